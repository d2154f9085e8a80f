/**
 * WebSockets over HTTP/2 (RFC 8441), as Chromium opens them: a TLS connection that negotiated h2
 * by ALPN, a server whose SETTINGS carry SETTINGS_ENABLE_CONNECT_PROTOCOL=1, then one extended
 * CONNECT stream per WebSocket (`:method CONNECT`, `:protocol websocket`, no Sec-WebSocket-Key,
 * no Upgrade header) answered with `:status 200`; the stream then carries RFC 6455 frames.
 *
 * The framing is the `ws` package's own, set up on the stream (src/websocket-on-stream.ts) in the
 * client role: its frames are masked and the server's must not be (the unit tests prove both
 * against a server-side ws, which refuses unmasked client frames).
 *
 * Several WebSockets share one session as separate streams: closing one leaves the others open.
 */
import { connect as http2Connect, constants as h2, type ClientHttp2Session, type ClientHttp2Stream, type IncomingHttpHeaders as H2Headers } from 'node:http2';
import { isIP } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import WebSocket from 'ws';
import { websocketOnStream } from '../../websocket-on-stream.js';
import { ABNORMAL_CLOSURE, connect as connectHttp1, describeOutcome, discard, nextMessage, type Closed, type Received } from './client.js';

/** How the client reaches a TLS endpoint. */
export interface H2ConnectOptions {
  /** Trust these CA certificates (PEM) besides the system's. */
  ca?: string | Buffer;
  /** Accept a certificate that does not verify (self-signed, wrong name). Default: verify. */
  insecure?: boolean;
  /** Connecting, the TLS handshake and the server's first SETTINGS must take no longer. Default 5 s. */
  timeoutMs?: number;
}

/** Where a wss:// or https:// URL points: the TLS endpoint, the :authority and the :path. */
export interface H2Target {
  host: string;
  port: number;
  authority: string;
  path: string;
}

export function h2Target(url: string): H2Target {
  const parsed = new URL(url);
  if (parsed.protocol !== 'wss:' && parsed.protocol !== 'https:') {
    throw new Error(`WebSockets over HTTP/2 need TLS (wss:// or https://), not ${parsed.protocol}// (${url})`);
  }
  const port = Number(parsed.port || 443);
  return { host: parsed.hostname.replace(/^\[|\]$/g, ''), port, authority: parsed.port ? `${parsed.hostname}:${port}` : parsed.hostname, path: `${parsed.pathname}${parsed.search}` };
}

/** What a TLS endpoint offers, read as a browser reads it. */
export interface H2Probe {
  /** The ALPN protocol the server chose ('h2', 'http/1.1'), or false when it chose none. */
  alpn: string | false;
  /** Whether the server's SETTINGS carried SETTINGS_ENABLE_CONNECT_PROTOCOL=1 (only with h2). */
  connectProtocol: boolean;
}

/** One h2 connection, WebSockets opened on it as streams. */
export interface H2Session extends H2Probe {
  alpn: 'h2';
  session: ClientHttp2Session;
  target: H2Target;
  /** Opens a WebSocket as an extended CONNECT stream of this session (tried also when not advertised). */
  openWebSocket(options?: H2WebSocketOptions): Promise<H2Handshake>;
  /** Ends the session and every stream on it at once. */
  close(): void;
}

export interface H2WebSocketOptions {
  /** :path; default the path of the URL the session was opened for. */
  path?: string;
  /** Offered in sec-websocket-protocol. */
  protocols?: string[];
  /** More request headers (lower-case names), e.g. origin. */
  headers?: Record<string, string>;
  /** The CONNECT must be answered within this long. Default 5 s. */
  timeoutMs?: number;
  /** Answer the server's pings (default, as browsers do). */
  autoPong?: boolean;
}

/** What a client saw for its extended CONNECT. */
export interface H2Handshake {
  /** :status of the answer; 0 when none came (stream reset, session gone, timeout). */
  status: number;
  headers: H2Headers;
  /** The open WebSocket, when the server answered 200. */
  socket?: EchoSocket;
  /** Why no usable answer came (status 0), or why a 200 is not a WebSocket. */
  error?: string;
  /** Start of the body of a refusal. */
  body?: string;
  /** performance.now() just before the CONNECT was handed to the session: nothing on the path saw it earlier. */
  requestSentAt?: number;
  /** performance.now() when its answer (the 200, or a refusal) was read. */
  responseAt?: number;
}

/** How a WebSocket ended: RFC 6455's code and reason, and the stream's reset code if it was reset. */
export interface SocketClosed extends Closed {
  /** The h2 stream's RST_STREAM code (0 = none, or not an h2 stream). */
  rstCode: number;
}

/** A WebSocket as the checks use it, over an h2 stream or an HTTP/1.1 upgrade alike. */
export interface EchoSocket {
  /**
   * The ws WebSocket underneath: the client helpers (nextMessage, closed, echoesText, send from
   * checks/echo.ts) work on it unchanged.
   */
  ws: WebSocket;
  /** The subprotocol the server chose ('' for none). */
  protocol: string;
  /** Sends one message, or one fragment of it (`fin: false` for all but the last). */
  send(data: string | Buffer, options?: { binary?: boolean; fin?: boolean }): void;
  nextMessage(timeoutMs?: number): Promise<Received>;
  ping(data?: Buffer): void;
  /** Starts the closing handshake; `closed` resolves when it is done. */
  close(code?: number, reason?: string): void;
  /** Resolves once, when the WebSocket has closed (however it ended). */
  closed: Promise<SocketClosed>;
  /** Ends at once, without a closing handshake (cleanup). */
  discard(): void;
}

/** The EchoSocket face of a ws WebSocket; `rstCode` reads the stream's reset code, if any. */
export function echoSocket(ws: WebSocket, rstCode: () => number = () => 0, onDiscard: () => void = () => {}): EchoSocket {
  ws.on('error', () => {});
  const closed = new Promise<SocketClosed>((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) {
      resolve({ code: ABNORMAL_CLOSURE, reason: '', at: performance.now(), rstCode: rstCode() });
      return;
    }
    ws.once('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString('utf8'), at: performance.now(), rstCode: rstCode() }));
  });
  return {
    ws,
    protocol: ws.protocol,
    send: (data, options = {}) => ws.send(data, { binary: options.binary ?? typeof data !== 'string', fin: options.fin ?? true }),
    nextMessage: (timeoutMs) => nextMessage(ws, timeoutMs),
    ping: (data) => ws.ping(data),
    close: (code, reason) => ws.close(code, reason),
    closed,
    discard: () => {
      discard(ws);
      onDiscard();
    },
  };
}

function timeoutError(what: string, ms: number): Error {
  return new Error(`${what} within ${ms} ms`);
}

/** A TLS connection offering `alpn`; resolves when the handshake is done. */
function tlsTo(target: H2Target, alpn: string[], options: H2ConnectOptions): Promise<TLSSocket> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({
      host: target.host,
      port: target.port,
      ALPNProtocols: alpn,
      ...(isIP(target.host) ? {} : { servername: target.host }),
      ...(options.ca !== undefined ? { ca: options.ca } : {}),
      rejectUnauthorized: !options.insecure,
    });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(timeoutError('no TLS handshake', timeoutMs));
    }, timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      socket.off('error', onError);
      resolve(socket);
    });
    const onError = (err: Error): void => {
      clearTimeout(timer);
      reject(new Error(`TLS connection to ${target.authority} failed: ${err.message}`));
    };
    socket.once('error', onError);
  });
}

/** An h2 session on a TLS socket that negotiated h2, once the server's first SETTINGS arrived. */
function sessionOn(socket: TLSSocket, target: H2Target, timeoutMs: number): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const session = http2Connect(`https://${target.authority}`, { createConnection: () => socket });
    const timer = setTimeout(() => {
      session.destroy();
      reject(timeoutError('no SETTINGS from the server', timeoutMs));
    }, timeoutMs);
    const onError = (err: Error): void => {
      clearTimeout(timer);
      session.destroy();
      reject(new Error(`h2 session to ${target.authority} failed: ${err.message}`));
    };
    session.once('error', onError);
    session.once('remoteSettings', () => {
      clearTimeout(timer);
      session.off('error', onError);
      // Later session errors end its streams; each stream reports its own end.
      session.on('error', () => {});
      resolve(session);
    });
  });
}

/** Thrown by connectH2 when the server did not choose h2: `probe` says what it chose. */
export class NotH2Error extends Error {
  constructor(readonly probe: H2Probe, authority: string) {
    super(`${authority} did not negotiate h2 (ALPN ${probe.alpn === false ? 'none' : probe.alpn})`);
  }
}

/** Opens an h2 session to the TLS endpoint of `url` (wss:// or https://). Throws NotH2Error without h2. */
export async function connectH2(url: string, options: H2ConnectOptions = {}): Promise<H2Session> {
  const target = h2Target(url);
  const timeoutMs = options.timeoutMs ?? 5_000;
  const socket = await tlsTo(target, ['h2', 'http/1.1'], options);
  if (socket.alpnProtocol !== 'h2') {
    socket.destroy();
    throw new NotH2Error({ alpn: socket.alpnProtocol ?? false, connectProtocol: false }, target.authority);
  }
  const session = await sessionOn(socket, target, timeoutMs);
  return {
    alpn: 'h2',
    connectProtocol: session.remoteSettings.enableConnectProtocol === true,
    session,
    target,
    openWebSocket: (wsOptions = {}) => openStream(session, target, wsOptions),
    close: () => session.destroy(),
  };
}

/** What the endpoint of `url` offers (ALPN, extended CONNECT), on a connection closed right after. */
export async function probeH2(url: string, options: H2ConnectOptions = {}): Promise<H2Probe> {
  try {
    const h2session = await connectH2(url, options);
    h2session.close();
    return { alpn: h2session.alpn, connectProtocol: h2session.connectProtocol };
  } catch (err) {
    if (err instanceof NotH2Error) return err.probe;
    throw err;
  }
}

function readBody(stream: ClientHttp2Stream, limit = 512): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => { if (body.length < limit) body += chunk; });
    const done = (): void => resolve(body.slice(0, limit));
    stream.once('end', done);
    stream.once('close', done);
    stream.once('error', done);
  });
}

/** RFC 9113's error codes, by number: how a reset (RST_STREAM, GOAWAY) reads in a figure. */
const H2_ERROR_NAMES = ['NO_ERROR', 'PROTOCOL_ERROR', 'INTERNAL_ERROR', 'FLOW_CONTROL_ERROR', 'SETTINGS_TIMEOUT', 'STREAM_CLOSED',
  'FRAME_SIZE_ERROR', 'REFUSED_STREAM', 'CANCEL', 'COMPRESSION_ERROR', 'CONNECT_ERROR', 'ENHANCE_YOUR_CALM', 'INADEQUATE_SECURITY',
  'HTTP_1_1_REQUIRED'];

export function rstCodeName(code: number): string {
  return H2_ERROR_NAMES[code] ?? `0x${code.toString(16)}`;
}

function openStream(session: ClientHttp2Session, target: H2Target, options: H2WebSocketOptions): Promise<H2Handshake> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const protocols = options.protocols ?? [];
  const request: Record<string, string> = {
    ...options.headers,
    [h2.HTTP2_HEADER_METHOD]: 'CONNECT',
    ':protocol': 'websocket',
    [h2.HTTP2_HEADER_SCHEME]: 'https',
    [h2.HTTP2_HEADER_PATH]: options.path ?? target.path,
    [h2.HTTP2_HEADER_AUTHORITY]: target.authority,
    'sec-websocket-version': '13',
    ...(protocols.length ? { 'sec-websocket-protocol': protocols.join(', ') } : {}),
  };
  return new Promise((resolve) => {
    let settled = false;
    let stream: ClientHttp2Stream;
    let requestSentAt: number | undefined;
    let responseAt: number | undefined;
    const done = (outcome: H2Handshake): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({
        ...outcome,
        ...(requestSentAt !== undefined ? { requestSentAt } : {}),
        ...(responseAt !== undefined ? { responseAt } : {}),
      });
    };
    const timer = setTimeout(() => {
      stream?.close(h2.NGHTTP2_CANCEL);
      done({ status: 0, headers: {}, error: `no answer to the CONNECT within ${timeoutMs} ms` });
    }, timeoutMs);
    try {
      // Read the clock, then send: the CONNECT's bytes leave after this instant.
      requestSentAt = performance.now();
      stream = session.request(request, { endStream: false });
    } catch (err) {
      done({ status: 0, headers: {}, error: `the CONNECT could not be sent: ${(err as Error).message}` });
      return;
    }
    stream.on('error', (err: Error) => done({ status: 0, headers: {}, error: `stream failed: ${err.message}` }));
    stream.once('close', () => done({ status: 0, headers: {}, error: `stream closed before an answer${stream.rstCode ? ` (RST_STREAM ${rstCodeName(stream.rstCode)})` : ''}` }));
    stream.once('response', (headers) => {
      responseAt = performance.now();
      const status = Number(headers[h2.HTTP2_HEADER_STATUS] ?? 0);
      if (status !== 200) {
        clearTimeout(timer);
        void readBody(stream).then((body) => {
          stream.close();
          done({ status, headers, body });
        });
        return;
      }
      const chosen = String(headers['sec-websocket-protocol'] ?? '');
      const problem = chosen && !protocols.includes(chosen)
        ? `the server chose subprotocol "${chosen}", which was not offered`
        : headers['sec-websocket-extensions'] !== undefined
          ? `the server accepted extensions that were not offered (${String(headers['sec-websocket-extensions'])})`
          : undefined;
      if (problem) {
        stream.close(h2.NGHTTP2_CANCEL);
        done({ status, headers, error: problem });
        return;
      }
      const ws = websocketOnStream(stream, 'client', { autoPong: options.autoPong ?? true, protocol: chosen });
      done({ status, headers, socket: echoSocket(ws, () => stream.rstCode ?? 0) });
    });
  });
}

export function describeH2Handshake(h: H2Handshake): string {
  if (h.status === 0) return `no answer (${h.error ?? 'unknown error'})`;
  if (h.error) return `${h.status} but ${h.error}`;
  return `${h.status}${h.headers['x-echo-server'] ? ' from app' : h.headers['x-front'] ? ' from front' : ''}`;
}

/** An h2 session and one WebSocket on it; throws with what the client saw instead. */
export async function openH2WebSocket(url: string, options: H2ConnectOptions & H2WebSocketOptions = {}): Promise<{ h2: H2Session; socket: EchoSocket }> {
  const h2session = await connectH2(url, options);
  const handshake = await h2session.openWebSocket(options);
  if (!handshake.socket) {
    h2session.close();
    const advertised = h2session.connectProtocol ? '' : ' (the server did not advertise SETTINGS_ENABLE_CONNECT_PROTOCOL)';
    throw new Error(`extended CONNECT failed: ${describeH2Handshake(handshake)}${advertised}`);
  }
  return { h2: h2session, socket: handshake.socket };
}

/** How a browser-like client got its WebSocket: over h2 or, when that is not on offer, HTTP/1.1. */
export interface BrowserPath extends H2Probe {
  via: 'h2' | 'http/1.1';
  /** The ALPN protocol of the connection the WebSocket runs on (HTTP/1.1: 'http/1.1' or false). */
  socketAlpn: string | false;
  socket: EchoSocket;
  /** Ends the WebSocket and its connection. */
  close(): void;
}

/**
 * Opens a WebSocket the way Chromium does: over h2 when the server negotiated h2 and advertised
 * extended CONNECT, otherwise with the `ws` client as an HTTP/1.1 upgrade on a new TLS connection
 * that offers only http/1.1. Throws with what was seen when neither path opens.
 */
export async function openLikeBrowser(url: string, options: H2ConnectOptions & H2WebSocketOptions = {}): Promise<BrowserPath> {
  let h2session: H2Session | undefined;
  let probe: H2Probe;
  try {
    h2session = await connectH2(url, options);
    probe = { alpn: 'h2', connectProtocol: h2session.connectProtocol };
  } catch (err) {
    if (!(err instanceof NotH2Error)) throw err;
    probe = err.probe;
  }
  if (h2session && probe.connectProtocol) {
    const handshake = await h2session.openWebSocket(options);
    if (!handshake.socket) {
      h2session.close();
      throw new Error(`extended CONNECT was advertised but failed: ${describeH2Handshake(handshake)}`);
    }
    const session = h2session;
    return { ...probe, via: 'h2', socketAlpn: 'h2', socket: handshake.socket, close: () => { handshake.socket?.discard(); session.close(); } };
  }
  h2session?.close();
  const socket = await openHttp1(url, options);
  return { ...probe, via: 'http/1.1', socketAlpn: socket.alpn, socket: socket.socket, close: () => socket.socket.discard() };
}

/** The HTTP/1.1 path alone: a TLS connection offering only http/1.1, then an Upgrade. */
export async function openHttp1(url: string, options: H2ConnectOptions & H2WebSocketOptions = {}): Promise<{ alpn: string | false; socket: EchoSocket }> {
  const wsUrl = url.replace(/^https:/, 'wss:');
  const outcome = await connectHttp1(wsUrl, {
    alpn: ['http/1.1'],
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.protocols ? { protocols: options.protocols } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.ca !== undefined ? { ca: options.ca } : {}),
    ...(options.insecure ? { rejectUnauthorized: false } : {}),
    ...(options.autoPong !== undefined ? { autoPong: options.autoPong } : {}),
  });
  if (!outcome.socket) throw new Error(`HTTP/1.1 upgrade failed: ${describeOutcome(outcome)}`);
  const alpn = (outcome.transport as TLSSocket | undefined)?.alpnProtocol ?? false;
  return { alpn, socket: echoSocket(outcome.socket) };
}
