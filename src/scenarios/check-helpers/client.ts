/**
 * The client side of every check: open a WebSocket and report exactly what a client sees
 * (status, headers, who answered), send and receive messages, wait for a close.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Duplex } from 'node:stream';
import WebSocket from 'ws';
import { toBuffer } from '../../client/raw-data.js';
import { timerAtLeast } from './wait.js';

export type Answerer = 'app' | 'front' | 'proxy';

export interface HandshakeOutcome {
  /** HTTP status of the handshake response; 0 when no response came (refused, reset, timeout). */
  status: number;
  headers: IncomingHttpHeaders;
  /** The open socket, when the handshake succeeded (status 101). */
  socket?: WebSocket;
  /** Why no response came, when status is 0. */
  error?: string;
  /** Start of the response body, for a refused handshake. */
  body?: string;
  /** The TCP (or TLS) stream under an open socket: how a connection ended (reset or not). */
  transport?: Duplex;
  /**
   * performance.now() just before the handshake request was handed to the socket: nothing on the
   * path can have seen this connection's last handshake byte earlier.
   */
  requestSentAt?: number;
  /** performance.now() when the response (the 101, or a refusal) was read: the path passed its last handshake byte by then. */
  responseAt?: number;
}

export interface ConnectOptions {
  timeoutMs?: number;
  headers?: Record<string, string>;
  protocols?: string[];
  /** Let the client answer server pings (the default, as browsers do). */
  autoPong?: boolean;
  /** Offer permessage-deflate (default: no). */
  perMessageDeflate?: boolean;
  /** wss://: accept certificates that do not verify (self-signed); default: verify. */
  rejectUnauthorized?: boolean;
  /** wss://: trust these CA certificates (PEM) besides the system's. */
  ca?: string | Buffer;
  /** wss://: the ALPN protocols offered (default none); ['http/1.1'] is a browser's HTTP/1.1 fallback. */
  alpn?: string[];
}

/** How a check's client connects in its context: trusting the front's CA on wss://. */
export function contextOptions(ctx: { ca?: string }, options: ConnectOptions = {}): ConnectOptions {
  return ctx.ca === undefined ? options : { ca: ctx.ca, ...options };
}

/** Who answered a handshake, from the identity headers the project's app and front set. */
export function answeredBy(headers: IncomingHttpHeaders): Answerer {
  if (headers['x-echo-server']) return 'app';
  if (headers['x-front']) return 'front';
  return 'proxy';
}

export function connect(url: string, options: ConnectOptions = {}): Promise<HandshakeOutcome> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  return new Promise((resolve) => {
    let headers: IncomingHttpHeaders = {};
    let transport: Duplex | undefined;
    let requestSentAt: number | undefined;
    let responseAt: number | undefined;
    const times = (): Pick<HandshakeOutcome, 'requestSentAt' | 'responseAt'> => ({
      ...(requestSentAt !== undefined ? { requestSentAt } : {}),
      ...(responseAt !== undefined ? { responseAt } : {}),
    });
    let settled = false;
    const done = (outcome: HandshakeOutcome): void => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    const ws = new WebSocket(url, options.protocols ?? [], {
      handshakeTimeout: timeoutMs,
      headers: options.headers,
      autoPong: options.autoPong ?? true,
      perMessageDeflate: options.perMessageDeflate ?? false,
      maxPayload: 64 * 1024 * 1024,
      ...(options.rejectUnauthorized !== undefined ? { rejectUnauthorized: options.rejectUnauthorized } : {}),
      ...(options.ca !== undefined ? { ca: options.ca } : {}),
      ...(options.alpn !== undefined ? { ALPNProtocols: options.alpn } : {}),
      // Read the clock, then send: the request's bytes leave after this instant.
      finishRequest: (req) => { requestSentAt = performance.now(); req.end(); },
    });
    ws.on('upgrade', (res) => { responseAt = performance.now(); headers = res.headers; transport = res.socket; });
    ws.on('open', () => done({ status: 101, headers, socket: ws, ...(transport ? { transport } : {}), ...times() }));
    ws.on('unexpected-response', (req, res) => {
      responseAt = performance.now();
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { if (body.length < 512) body += chunk; });
      const finish = (): void => {
        done({ status: res.statusCode ?? 0, headers: res.headers, body: body.slice(0, 512), ...times() });
        req.destroy();
      };
      res.on('end', finish);
      res.on('error', finish);
      res.on('close', finish);
    });
    ws.on('error', (err) => done({ status: 0, headers, error: err.message }));
  });
}

/** Opens a WebSocket or throws with what the client saw instead. */
export async function open(url: string, options: ConnectOptions = {}): Promise<WebSocket> {
  const outcome = await connect(url, options);
  if (!outcome.socket) {
    throw new Error(`handshake failed: ${describeOutcome(outcome)}`);
  }
  return outcome.socket;
}

export function describeOutcome(o: HandshakeOutcome): string {
  if (o.status === 0) return `no response (${o.error ?? 'unknown error'})`;
  return `${o.status} from ${answeredBy(o.headers)}`;
}

export interface Received {
  data: Buffer;
  isBinary: boolean;
}

/** The next message on a socket, or an error when it closes or the time runs out. */
export function nextMessage(ws: WebSocket, timeoutMs = 5_000): Promise<Received> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      clearTimeout(timer);
      ws.off('message', onMessage);
      ws.off('close', onClose);
    };
    const onMessage = (data: WebSocket.RawData, isBinary: boolean): void => {
      cleanup();
      resolve({ data: toBuffer(data), isBinary });
    };
    const onClose = (code: number): void => {
      cleanup();
      reject(new Error(`closed with ${code} before a message arrived`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no message within ${timeoutMs} ms`));
    }, timeoutMs);
    ws.on('message', onMessage);
    ws.on('close', onClose);
  });
}

/** Sends `text` and says whether the same text came back within `timeoutMs`. */
export async function echoesText(ws: WebSocket, text: string, timeoutMs = 5_000): Promise<boolean> {
  const reply = nextMessage(ws, timeoutMs);
  ws.send(text);
  return (await reply.catch(() => undefined))?.data.toString() === text;
}

/** The close code a client sees when the connection ended without a close frame (RFC 6455, 1006). */
export const ABNORMAL_CLOSURE = 1006;

export interface Closed {
  code: number;
  reason: string;
  /** performance.now() when the close arrived. */
  at: number;
}

/** Resolves when the socket closes (or at once, if it already has). */
export function closed(ws: WebSocket, timeoutMs: number): Promise<Closed | undefined> {
  return new Promise((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) {
      resolve({ code: ABNORMAL_CLOSURE, reason: '', at: performance.now() });
      return;
    }
    // "Still open after timeoutMs" is a claim by performance.now(): the timer never fires early.
    const cancel = timerAtLeast(timeoutMs, () => { ws.off('close', onClose); resolve(undefined); });
    const onClose = (code: number, reason: Buffer): void => {
      cancel();
      resolve({ code, reason: reason.toString('utf8'), at: performance.now() });
    };
    ws.once('close', onClose);
  });
}

/** Ends a socket without waiting: used in cleanup paths. */
export function discard(ws: WebSocket | undefined): void {
  if (!ws) return;
  ws.removeAllListeners('error');
  ws.on('error', () => {});
  ws.terminate();
}

