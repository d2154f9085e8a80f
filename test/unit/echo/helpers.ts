/** Test helpers for the echo server: quiet servers, ws clients, raw sockets and raw frames. */
import { connect } from 'node:net';
import { WebSocket, type ClientOptions, type RawData } from 'ws';
import { silentSink } from '../../../src/echo/log.js';
import { rawHandshake as sharedRawHandshake, type RawWebSocket } from '../../../src/scenarios/check-helpers/raw-socket.js';
import { startEchoServer, type EchoServerHandle } from '../../../src/echo/server.js';
import type { EchoOptions } from '../../../src/echo/options.js';

export function startQuietServer(options: Partial<EchoOptions> = {}): Promise<EchoServerHandle> {
  return startEchoServer({ host: '127.0.0.1', port: 0, ...options }, { logSink: silentSink });
}

export function openClient(url: string, options: ClientOptions = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

export interface Received {
  data: Buffer;
  isBinary: boolean;
}

export function nextMessage(ws: WebSocket, timeoutMs = 5000): Promise<Received> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no message within ${timeoutMs} ms`)), timeoutMs);
    ws.once('message', (data: RawData, isBinary: boolean) => {
      clearTimeout(timer);
      resolve({ data: Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[]), isBinary });
    });
  });
}

export async function echo(ws: WebSocket, data: Buffer | string, binary: boolean): Promise<Received> {
  const reply = nextMessage(ws);
  ws.send(data, { binary });
  return reply;
}

export function closed(ws: WebSocket, timeoutMs = 5000): Promise<{ code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    if (ws.readyState === ws.CLOSED) reject(new Error('already closed'));
    const timer = setTimeout(() => reject(new Error(`not closed within ${timeoutMs} ms`)), timeoutMs);
    ws.once('close', (code, reason) => {
      clearTimeout(timer);
      resolve({ code, reason: reason.toString('utf8') });
    });
  });
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The server closed the connection (we did not have to time out). */
  closedByServer: boolean;
}

function parseResponse(text: string, closedByServer: boolean): RawResponse {
  const end = text.indexOf('\r\n\r\n');
  const head = end >= 0 ? text.slice(0, end) : text;
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body: end >= 0 ? text.slice(end + 4) : '', closedByServer };
}

/** Writes `request` on a fresh TCP connection and reads until the server closes it (or `timeoutMs`). */
export function rawExchange(port: number, request: string, timeoutMs = 3000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(parseResponse(Buffer.concat(chunks).toString('latin1'), false));
    }, timeoutMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(parseResponse(Buffer.concat(chunks).toString('latin1'), true));
    });
    socket.write(request);
  });
}

export { closeCodeIn, frame, upgradeRequest, type RawWebSocket } from '../../../src/scenarios/check-helpers/raw-socket.js';

export function rawHandshake(port: number, path = '/ws'): Promise<RawWebSocket> {
  return sharedRawHandshake(`ws://127.0.0.1:${port}${path}`);
}

/** The checks' sleep: never resolves before `ms` have passed by performance.now(). */
export { sleep } from '../../../src/scenarios/check-helpers/wait.js';
