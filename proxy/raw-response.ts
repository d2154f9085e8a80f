/**
 * Answers written straight onto a raw socket, for the moments the front has no
 * `ServerResponse`: a refused upgrade (502), a malformed request (400).
 */
import type { Duplex } from 'node:stream';
import { rawHttpResponse } from '../src/raw-http-response.js';
import { FRONT_HEADER, FRONT_IDENTITY } from './identity.js';

/** The front's 502 text when it cannot reach the app, for raw and HTTP answers alike. */
export function badGatewayText(target: string, err: unknown): string {
  return `502 Bad Gateway: http-front could not reach ${target} (${errorText(err)})`;
}

/** The short form of an error for log lines and answers: its code (ECONNREFUSED) or message. */
export function errorText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ?? e.message ?? String(err);
}

/** Writes the answer and closes the socket; a socket that can no longer be written is destroyed. */
export function answerRawSocket(socket: Duplex, status: number, body: string): void {
  if (socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(rawHttpResponse(status, body, { [FRONT_HEADER]: FRONT_IDENTITY }));
}
