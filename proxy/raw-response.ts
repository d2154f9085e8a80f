/**
 * Answers written straight onto a raw socket, for the moments the front has no
 * `ServerResponse`: a refused upgrade (502, 504), a malformed request (400).
 */
import type { Duplex } from 'node:stream';
import { rawHttpResponse } from '../src/raw-http-response.js';
import { ConnectTimeoutError } from './connect-timeout.js';
import { FRONT_HEADER, FRONT_IDENTITY } from './identity.js';

/**
 * The front's answer when it could not reach the app, for raw and HTTP answers alike: 504 when
 * connecting took longer than --connect-timeout (as nginx answers), else 502.
 */
export function unreachableAnswer(target: string, err: unknown): { status: 502 | 504; body: string } {
  if (err instanceof ConnectTimeoutError) {
    return { status: 504, body: `504 Gateway Timeout: http-front could not connect to ${target} within ${err.timeoutMs} ms` };
  }
  return { status: 502, body: `502 Bad Gateway: http-front could not reach ${target} (${errorText(err)})` };
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
