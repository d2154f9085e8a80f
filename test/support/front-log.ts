/**
 * Which way a WebSocket handshake reached a front, as the front's own log says it: an HTTP/2
 * extended CONNECT (RFC 8441) or an HTTP/1.1 Upgrade. Two kinds of line say it:
 * - an access log's request line, `"GET /ws HTTP/1.1"` or `"CONNECT /ws HTTP/2.0"` (nginx,
 *   httpd); HAProxy writes an HTTP/2 request's target as an absolute URL,
 *   `"GET https://127.0.0.1:33550/ws HTTP/2.0"`; nghttpx logs an extended CONNECT by its
 *   authority, `"CONNECT 127.0.0.1:33470 HTTP/2"`, so any CONNECT over HTTP/2 counts as one;
 * - Caddy's JSON access log: `request.proto` ("HTTP/1.1", "HTTP/2.0") and `request.uri`;
 * - the http-front's tunnel lines, `ws#1 /ws (h2): upgraded by the app …` over HTTP/2 and
 *   `ws#1 /ws: upgraded by the app …` over HTTP/1.1.
 */
export type LoggedProtocol = 'h2' | 'http/1.1';

const REQUEST_LINE = /"([A-Z]+) (\S+) HTTP\/(2(?:\.0)?|1\.1)"/;
const HTTP_FRONT_TUNNEL = /\bws#\d+ (\S+?)( \(h2\))?: /;

/** A request target's path: itself, or an absolute URL's pathname; without the query. */
function targetPath(target: string): string {
  const path = /^https?:\/\//.test(target) ? new URL(target).pathname : target;
  return path.replace(/\?.*$/, '');
}

function fromRequest(method: string, target: string, h2: boolean, path: string): LoggedProtocol | undefined {
  const isWebSocket = targetPath(target) === path || (h2 && method === 'CONNECT' && !target.startsWith('/'));
  return isWebSocket ? (h2 ? 'h2' : 'http/1.1') : undefined;
}

/** Caddy's access log line, when this is one: its request's method, uri and proto. */
function caddyRequest(line: string): { method: string; uri: string; proto: string } | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const entry = JSON.parse(line) as { request?: { method?: unknown; uri?: unknown; proto?: unknown } };
    const r = entry.request;
    return r && typeof r.uri === 'string' && typeof r.proto === 'string' ? { method: String(r.method), uri: r.uri, proto: r.proto } : undefined;
  } catch {
    return undefined;
  }
}

function protocolOf(line: string, path: string): LoggedProtocol | undefined {
  const caddy = caddyRequest(line);
  if (caddy) return fromRequest(caddy.method, caddy.uri, caddy.proto.startsWith('HTTP/2'), path);
  const request = REQUEST_LINE.exec(line);
  if (request) {
    const [, method = '', target = '', version = ''] = request;
    return fromRequest(method, target, version.startsWith('2'), path);
  }
  const tunnel = HTTP_FRONT_TUNNEL.exec(line);
  if (tunnel && tunnel[1] === path) return tunnel[2] ? 'h2' : 'http/1.1';
  return undefined;
}

/** The protocol of the last WebSocket request to `path` in the front's log; undefined when no line says. */
export function loggedProtocol(logs: string, path: string): LoggedProtocol | undefined {
  let last: LoggedProtocol | undefined;
  for (const line of logs.split('\n')) last = protocolOf(line, path) ?? last;
  return last;
}
