/** Probe step 1: the handshake, as the client sees it: status, who answered, what was agreed. */
import type { IncomingHttpHeaders } from 'node:http';
import { answeredBy, connect, type Answerer, type ConnectOptions, type HandshakeOutcome } from '../scenarios/check-helpers/client.js';

/** The response headers worth showing: identity, the upgrade's own, and common proxy marks. */
const SHOWN_HEADERS = [
  'x-echo-server', 'x-front', 'server', 'via', 'upgrade', 'connection',
  'sec-websocket-protocol', 'sec-websocket-extensions', 'content-type', 'date',
];

export interface HandshakeReport {
  ok: boolean;
  /** 101 on success; the refusal's status; 0 when no response came. */
  status: number;
  /** Who answered, from the project's identity headers ("proxy" = neither was present). */
  answeredBy: Answerer;
  /** The identity headers, when present: X-Echo-Server (the app), X-Front (the http-proxy front), Server. */
  identity: { echoServer?: string; front?: string; server?: string };
  headers: Record<string, string>;
  /** The subprotocol the far end selected ('' = none). */
  subprotocol: string;
  /** The extensions the far end accepted, as its Sec-WebSocket-Extensions header ('' = none). */
  extensions: string;
  durationMs: number;
  /** Why no response came. */
  error?: string;
  /** Start of a refusal's body. */
  body?: string;
}

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

function shownHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of SHOWN_HEADERS) {
    const v = one(headers[name]);
    if (v !== undefined) out[name] = v;
  }
  return out;
}

export async function probeHandshake(url: string, options: ConnectOptions): Promise<{ report: HandshakeReport; outcome: HandshakeOutcome }> {
  const started = performance.now();
  const outcome = await connect(url, options);
  const durationMs = performance.now() - started;
  const h = outcome.headers;
  const identity: HandshakeReport['identity'] = {};
  const echoServer = one(h['x-echo-server']);
  const front = one(h['x-front']);
  const server = one(h.server);
  if (echoServer) identity.echoServer = echoServer;
  if (front) identity.front = front;
  if (server) identity.server = server;
  // A 101 the client then refuses (no subprotocol selected although one was offered, a bad
  // Sec-WebSocket-Accept, an extension it did not offer) comes back as an error with the 101's headers.
  const refused101 = outcome.status === 0 && outcome.error !== undefined && h.upgrade !== undefined;
  const report: HandshakeReport = {
    ok: outcome.status === 101 && outcome.socket !== undefined,
    status: refused101 ? 101 : outcome.status,
    answeredBy: answeredBy(h),
    identity,
    headers: shownHeaders(h),
    subprotocol: outcome.socket?.protocol ?? '',
    extensions: outcome.socket?.extensions ?? '',
    durationMs,
    ...(outcome.error !== undefined ? { error: refused101 ? `the client refused the 101: ${outcome.error}` : outcome.error } : {}),
    ...(outcome.body !== undefined && outcome.body !== '' ? { body: outcome.body } : {}),
  };
  return { report, outcome };
}
