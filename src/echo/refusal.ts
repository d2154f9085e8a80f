/**
 * Refusing an upgrade on the raw socket: a complete HTTP response (status line, identity
 * header, `Connection: close`, a short text body), then the socket is destroyed once flushed.
 */
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { PRODUCT } from '../version.js';

export const IDENTITY_HEADER = 'X-Echo-Server';

export function writeRefusal(socket: Duplex, status: number, body: string, extraHeaders: Record<string, string> = {}): void {
  socket.on('error', () => {});
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const text = `${body}\n`;
  const headers: Record<string, string> = {
    [IDENTITY_HEADER]: PRODUCT,
    Connection: 'close',
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    ...extraHeaders,
  };
  const head = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)].join('\r\n');
  socket.end(`${head}\r\n\r\n${text}`);
  socket.once('finish', () => socket.destroy());
  // A peer that never reads must not keep the socket open.
  setTimeout(() => socket.destroy(), 1000).unref();
}
