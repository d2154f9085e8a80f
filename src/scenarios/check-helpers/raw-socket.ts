/**
 * WebSocket on a bare TCP socket, for what a well-behaved client library will not send: frames
 * built byte by byte (oversized, invalid UTF-8) and handshakes written one byte at a time.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

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

/** Host, port and path of a ws:// URL. */
export function socketTarget(wsUrl: string): { host: string; port: number; path: string } {
  const url = new URL(wsUrl);
  if (url.protocol !== 'ws:') throw new Error(`raw sockets speak plain ws:// only, not ${url.protocol}// (${wsUrl})`);
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 80), path: `${url.pathname}${url.search}` };
}

/** A raw TCP connection that has completed a WebSocket handshake; `incoming` collects what follows. */
export interface RawWebSocket {
  socket: Socket;
  incoming(): Buffer;
  waitForClose(timeoutMs?: number): Promise<void>;
}

export function rawHandshake(wsUrl: string): Promise<RawWebSocket> {
  const { host, port, path } = socketTarget(wsUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(port, host);
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
        socket.destroy();
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
