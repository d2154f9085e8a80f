/** Test helpers for the echo server: quiet servers, ws clients, raw sockets and raw frames. */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { WebSocket, type ClientOptions, type RawData } from 'ws';
import { silentSink } from '../../../src/echo/log.js';
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

export function upgradeRequest(path: string, headers: Record<string, string | undefined> = {}, method = 'GET'): string {
  const all: Record<string, string | undefined> = {
    Host: 'localhost',
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
    'Sec-WebSocket-Version': '13',
    ...headers,
  };
  const lines = Object.entries(all).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}: ${v}`);
  return `${method} ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}

/** A raw TCP connection that has completed a WebSocket handshake; `incoming` collects what follows. */
export interface RawWebSocket {
  socket: Socket;
  incoming(): Buffer;
  waitForClose(timeoutMs?: number): Promise<void>;
}

export function rawHandshake(port: number, path = '/ws'): Promise<RawWebSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let buffer = Buffer.alloc(0);
    let upgraded = false;
    let ended = false;
    const endWaiters: Array<() => void> = [];
    socket.on('error', () => {});
    socket.on('close', () => {
      ended = true;
      for (const w of endWaiters) w();
      if (!upgraded) reject(new Error('closed before the handshake completed'));
    });
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (upgraded) return;
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buffer.subarray(0, end).toString('latin1');
      if (!head.startsWith('HTTP/1.1 101')) {
        reject(new Error(`handshake refused: ${head.split('\r\n')[0]}`));
        return;
      }
      upgraded = true;
      buffer = buffer.subarray(end + 4);
      resolve({
        socket,
        incoming: () => buffer,
        waitForClose: (timeoutMs = 5000) =>
          new Promise<void>((res, rej) => {
            if (ended) return res();
            const timer = setTimeout(() => rej(new Error(`server did not close within ${timeoutMs} ms`)), timeoutMs);
            endWaiters.push(() => {
              clearTimeout(timer);
              res();
            });
          }),
      });
    });
    socket.write(upgradeRequest(path));
  });
}

/** One WebSocket frame as a client writes it (masked unless `masked: false`). */
export function frame(opcode: number, payload: Buffer, { fin = true, masked = true } = {}): Buffer {
  const length = payload.length;
  const lengthBytes = length < 126 ? Buffer.from([length]) : length < 65536 ? Buffer.from([126, length >> 8, length & 0xff]) : (() => {
    const b = Buffer.alloc(9);
    b[0] = 127;
    b.writeBigUInt64BE(BigInt(length), 1);
    return b;
  })();
  const first = Buffer.from([(fin ? 0x80 : 0) | opcode]);
  lengthBytes[0] = (lengthBytes[0] ?? 0) | (masked ? 0x80 : 0);
  if (!masked) return Buffer.concat([first, lengthBytes, payload]);
  const mask = randomBytes(4);
  const body = Buffer.from(payload.map((byte, i) => byte ^ (mask[i % 4] ?? 0)));
  return Buffer.concat([first, lengthBytes, mask, body]);
}

/** The close code of the first close frame in server output (server frames are unmasked). */
export function closeCodeIn(data: Buffer): number | null {
  let offset = 0;
  while (offset + 2 <= data.length) {
    const opcode = (data[offset] ?? 0) & 0x0f;
    let length = (data[offset + 1] ?? 0) & 0x7f;
    let header = 2;
    if (length === 126) {
      length = data.readUInt16BE(offset + 2);
      header = 4;
    } else if (length === 127) {
      length = Number(data.readBigUInt64BE(offset + 2));
      header = 10;
    }
    if (opcode === 0x8) return length >= 2 ? data.readUInt16BE(offset + header) : 1005;
    offset += header + length;
  }
  return null;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
