/**
 * The front's h2 side (with --tls-cert/--tls-key). WebSockets arrive as RFC 8441 extended CONNECT
 * streams (`:protocol websocket`, no Sec-WebSocket-Key); the app only speaks HTTP/1.1, so each
 * becomes an HTTP/1.1 Upgrade toward it: a new TCP connection, a GET with Upgrade: websocket, a
 * fresh key, the client's version, subprotocols and extensions, and X-Forwarded-*. The app's 101
 * (its key checked) becomes `:status 200` on the stream, carrying the app's headers, and the
 * stream and the socket are piped both ways; any other answer is passed on with its status.
 *
 * The idle timeout is the HTTP/1.1 one: the WebSocket is cut when its stream or the app's socket
 * has moved no bytes for that long. A cut resets the stream (CANCEL; CONNECT_ERROR when the app's
 * connection failed, RFC 9113 §8.5) and leaves the session and its other streams alone.
 *
 * Plain h2 requests (the page, /healthz) are forwarded as HTTP/1.1 requests; http-proxy cannot
 * take them (it copies the pseudo-headers into the request it sends).
 */
import { randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { constants as h2, type Http2ServerRequest, type Http2ServerResponse, type IncomingHttpHeaders as H2Headers, type ServerHttp2Stream } from 'node:http2';
import type { Socket } from 'node:net';
import type { Balancer } from './balancer.js';
import { cutWhenIdle } from './idle.js';
import { FRONT_HEADER, FRONT_IDENTITY } from './identity.js';
import type { FrontLog } from './log.js';
import type { FrontOptions } from './options.js';
import { boundConnect } from './connect-timeout.js';
import { errorText, unreachableAnswer } from './raw-response.js';
import { websocketAccept } from '../src/websocket-accept.js';

/** Connection-specific headers: never carried from one hop to the next (and forbidden in h2). */
const HOP_BY_HOP = new Set(['connection', 'upgrade', 'keep-alive', 'proxy-connection', 'te', 'transfer-encoding', 'http2-settings', 'host', 'trailer']);

export interface H2Side {
  /** An extended CONNECT (or a plain CONNECT, which is refused), answered on its stream. */
  handleConnect(req: Http2ServerRequest): void;
  /** A plain h2 request: forwarded to the app. */
  handleRequest(req: Http2ServerRequest, res: Http2ServerResponse): void;
  /** Resets every open WebSocket stream (front shutdown). */
  closeAll(): void;
}

/** Answers a stream itself (carrying X-Front), or resets it when that is no longer possible. */
export function answerStream(stream: ServerHttp2Stream, status: number, body: string, extra: Record<string, string> = {}): void {
  if (stream.destroyed || stream.closed) return;
  if (stream.headersSent) {
    stream.close(h2.NGHTTP2_CONNECT_ERROR);
    return;
  }
  stream.respond({ ':status': status, [FRONT_HEADER.toLowerCase()]: FRONT_IDENTITY, 'content-type': 'text/plain; charset=utf-8', ...extra });
  stream.end(`${body}\n`);
}

function append(existing: string | string[] | undefined, value: string): string {
  const before = Array.isArray(existing) ? existing.join(',') : existing;
  return before ? `${before},${value}` : value;
}

/** The client's headers as an HTTP/1.1 request carries them: no pseudo-headers, no hop-by-hop ones, Host from :authority. */
export function http1RequestHeaders(headers: H2Headers, remoteAddress: string | undefined, forwarded: boolean): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith(':') || HOP_BY_HOP.has(name) || value === undefined) continue;
    out[name] = value;
  }
  const authority = headers[':authority'] ?? '';
  out.host = authority;
  if (forwarded) {
    // As http-proxy's xfwd does for HTTP/1.1: For, Port and Proto appended to any chain; Host if absent.
    out['x-forwarded-for'] = append(headers['x-forwarded-for'], remoteAddress ?? '');
    out['x-forwarded-port'] = append(headers['x-forwarded-port'], /:(\d+)$/.exec(authority)?.[1] ?? '443');
    out['x-forwarded-proto'] = append(headers['x-forwarded-proto'], 'https');
    out['x-forwarded-host'] ??= authority;
  }
  return out;
}

/** The app's response headers as an h2 answer may carry them. */
function h2ResponseHeaders(headers: IncomingHttpHeaders, drop: string[] = []): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (HOP_BY_HOP.has(name) || drop.includes(name) || value === undefined) continue;
    out[name] = value;
  }
  return out;
}

/** One WebSocket stream tunnelled to the app. */
interface Tunnel {
  id: number;
  path: string;
  stream: ServerHttp2Stream;
  upstream?: Socket;
  /** The app's answer (101 or a refusal) is on its way to the client: the front can no longer answer. */
  answered: boolean;
  startedAt: number;
  ending?: string;
}

export interface OwnStreams {
  /** The front answers an extended CONNECT itself (--websocket on). */
  handleStream(stream: ServerHttp2Stream, headers: H2Headers): void;
}

export function createH2Side(
  options: Pick<FrontOptions, 'idleTimeout' | 'connectTimeout' | 'forwardedHeaders' | 'websocket'>,
  balancer: Balancer,
  own: OwnStreams,
  log: FrontLog,
): H2Side {
  const open = new Set<Tunnel>();
  let nextId = 1;

  const cut = (tunnel: Tunnel, reason: string, code: number = h2.NGHTTP2_CANCEL): void => {
    tunnel.ending ??= reason;
    tunnel.upstream?.destroy();
    if (!tunnel.stream.closed) tunnel.stream.close(code);
  };

  const tunnel = (stream: ServerHttp2Stream, headers: H2Headers): void => {
    const target = balancer.pick(headers);
    const app = new URL(target.url);
    const t: Tunnel = { id: nextId++, path: headers[':path'] ?? '/', stream, answered: false, startedAt: performance.now() };
    open.add(t);
    const key = randomBytes(16).toString('base64');
    const upgradeHeaders = {
      ...http1RequestHeaders(headers, stream.session?.socket?.remoteAddress, options.forwardedHeaders),
      connection: 'Upgrade',
      upgrade: 'websocket',
      'sec-websocket-key': key,
    };
    const proxyReq = httpRequest({ host: app.hostname, port: app.port || 80, method: 'GET', path: t.path, headers: upgradeHeaders });
    boundConnect(proxyReq, target.url, options.connectTimeout);
    proxyReq.end();

    stream.on('error', (err) => { t.ending ??= `client stream error (${errorText(err)})`; });
    stream.once('close', () => {
      open.delete(t);
      t.ending ??= stream.rstCode ? `the client reset the stream (${stream.rstCode})` : 'the client closed';
      if (t.upstream && !t.upstream.destroyed) t.upstream.end();
      if (!t.answered) proxyReq.destroy();
      const seconds = ((performance.now() - t.startedAt) / 1000).toFixed(2);
      log(`ws#${t.id} ${t.path} (h2): closed after ${seconds} s: ${t.ending}`);
    });

    // The front's own answers, before the app answered (as on HTTP/1.1: 502 unreachable, 504 silent).
    const refuse = (status: 502 | 504, body: string, reason: string): void => {
      t.ending ??= reason;
      proxyReq.destroy();
      answerStream(stream, status, body);
    };

    proxyReq.on('error', (err) => {
      if (!t.answered) {
        const answer = unreachableAnswer(target.url, err);
        refuse(answer.status, answer.body, `app unreachable (${errorText(err)}, ${answer.status})`);
        return;
      }
      cut(t, `app connection failed (${errorText(err)})`, h2.NGHTTP2_CONNECT_ERROR);
    });

    proxyReq.once('response', (res: IncomingMessage) => {
      t.answered = true;
      const status = res.statusCode ?? 502;
      log(`ws#${t.id} ${t.path} (h2): the app refused the upgrade with ${status}`);
      t.ending ??= `the app refused with ${status}`;
      if (stream.closed || stream.headersSent) {
        res.resume();
        return;
      }
      balancer.stick(res.headers, headers, target);
      stream.respond({ ':status': status, ...h2ResponseHeaders(res.headers) });
      res.pipe(stream);
    });

    proxyReq.once('upgrade', (res: IncomingMessage, upstream: Socket, head: Buffer) => {
      t.answered = true;
      t.upstream = upstream;
      upstream.on('error', (err) => cut(t, `app connection failed (${errorText(err)})`, h2.NGHTTP2_CONNECT_ERROR));
      const accept = websocketAccept(key);
      if (String(res.headers.upgrade ?? '').toLowerCase() !== 'websocket' || res.headers['sec-websocket-accept'] !== accept) {
        upstream.destroy();
        answerStream(stream, 502, `502 Bad Gateway: ${target.url} answered the upgrade with a 101 that is not a WebSocket handshake for this key`);
        t.ending ??= 'the app answered with a bad 101';
        return;
      }
      if (stream.closed || stream.headersSent) {
        upstream.destroy();
        return;
      }
      log(`ws#${t.id} ${t.path} (h2): upgraded by the app at ${target.url}`);
      balancer.stick(res.headers, headers, target);
      stream.respond({ ':status': 200, ...h2ResponseHeaders(res.headers, ['sec-websocket-accept']) });
      if (head.length > 0) stream.write(head);
      upstream.pipe(stream);
      stream.pipe(upstream);
      cutWhenIdle(upstream, options.idleTimeout, () => cut(t, `idle for ${options.idleTimeout} ms (app side)`));
      upstream.once('close', () => {
        t.ending ??= 'the app closed';
        // Its close handshake done, the app ended the TCP connection: end the stream as cleanly.
        if (!stream.closed) stream.end();
      });
    });

    // Armed at once: a handshake the app never answers gets a 504 at the idle timeout.
    stream.setTimeout(options.idleTimeout, () => {
      if (!t.answered) {
        refuse(504, `504 Gateway Timeout: ${target.url} did not answer the upgrade within ${options.idleTimeout} ms`,
          `the app did not answer within ${options.idleTimeout} ms (504)`);
        return;
      }
      cut(t, `idle for ${options.idleTimeout} ms (client side)`);
    });
  };

  return {
    handleConnect(req) {
      const stream = req.stream;
      const headers = req.headers;
      const protocol = headers[':protocol'];
      if (protocol === undefined) {
        answerStream(stream, 405, '405 Method Not Allowed: the front is no CONNECT proxy', { allow: 'GET, HEAD, POST' });
        return;
      }
      if (protocol !== 'websocket') {
        answerStream(stream, 501, `501 Not Implemented: extended CONNECT for "${protocol}"; only websocket is served`);
        return;
      }
      if (options.websocket === 'on') {
        own.handleStream(stream, headers);
        return;
      }
      tunnel(stream, headers);
    },

    handleRequest(req, res) {
      const target = balancer.pick(req.headers);
      const app = new URL(target.url);
      const headers = http1RequestHeaders(req.headers, req.socket?.remoteAddress, options.forwardedHeaders);
      const proxyReq = httpRequest({ host: app.hostname, port: app.port || 80, method: req.method, path: req.url, headers });
      boundConnect(proxyReq, target.url, options.connectTimeout);
      req.pipe(proxyReq);
      proxyReq.on('response', (upstream) => {
        balancer.stick(upstream.headers, req.headers, target);
        res.writeHead(upstream.statusCode ?? 502, h2ResponseHeaders(upstream.headers));
        upstream.pipe(res);
      });
      proxyReq.on('error', (err) => {
        const answer = unreachableAnswer(target.url, err);
        log(`${req.method} ${req.url} (h2): ${answer.status}, ${target.url} unreachable (${errorText(err)})`);
        if (res.headersSent) {
          res.stream.close(h2.NGHTTP2_INTERNAL_ERROR);
          return;
        }
        res.writeHead(answer.status, { [FRONT_HEADER]: FRONT_IDENTITY, 'content-type': 'text/plain; charset=utf-8' });
        res.end(`${answer.body}\n`);
      });
    },

    closeAll() {
      for (const t of open) cut(t, 'the front is shutting down');
    },
  };
}
