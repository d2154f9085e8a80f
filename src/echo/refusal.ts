/**
 * Refusing an upgrade on the raw socket: a complete HTTP response (status line, identity
 * header, `Connection: close`, a short text body), then the socket is destroyed once flushed.
 */
import type { Duplex } from 'node:stream';
import { rawHttpResponse } from '../raw-http-response.js';
import { PRODUCT } from '../version.js';

export const IDENTITY_HEADER = 'X-Echo-Server';

export function writeRefusal(socket: Duplex, status: number, body: string, extraHeaders: Record<string, string> = {}): void {
  socket.on('error', () => {});
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(rawHttpResponse(status, body, { [IDENTITY_HEADER]: PRODUCT, ...extraHeaders }));
  socket.once('finish', () => socket.destroy());
  // A peer that never reads must not keep the socket open.
  setTimeout(() => socket.destroy(), 1000).unref();
}
