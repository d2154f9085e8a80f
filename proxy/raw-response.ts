/**
 * Answers written straight onto a raw socket, for the moments the front has no
 * `ServerResponse`: a refused upgrade (502), a malformed request (400).
 */
import type { Duplex } from 'node:stream';
import { STATUS_CODES } from 'node:http';
import { FRONT_HEADER, FRONT_IDENTITY } from './identity.js';

export function rawResponse(status: number, body: string): string {
  const text = `${body}\n`;
  return [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    `${FRONT_HEADER}: ${FRONT_IDENTITY}`,
    'Content-Type: text/plain; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(text)}`,
    'Connection: close',
    '',
    text,
  ].join('\r\n');
}

/** Writes the answer and closes the socket; a socket that can no longer be written is destroyed. */
export function answerRawSocket(socket: Duplex, status: number, body: string): void {
  if (socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(rawResponse(status, body));
}
