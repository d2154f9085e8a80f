/**
 * How long the front waits for a connection to the app (its name looked up, TCP connected):
 * past `--connect-timeout` the request to the app is destroyed with a ConnectTimeoutError, and
 * the client gets a 504 (raw-response.ts), as nginx answers when its proxy_connect_timeout
 * passes. Without it a connect to a replica that just went away (its address still cached, its
 * network gone) hangs for as long as the kernel retries the SYN, and so does the client's request.
 * Only connecting is bounded; an app that is slow to answer is the idle timeout's business.
 */
import type { ClientRequest } from 'node:http';
import type { Socket } from 'node:net';

export class ConnectTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(readonly target: string, readonly timeoutMs: number) {
    super(`connecting to ${target} took longer than ${timeoutMs} ms`);
  }
}

/** Destroys `request` with a ConnectTimeoutError if its socket has not connected within `timeoutMs` (0 = no bound). */
export function boundConnect(request: ClientRequest, target: string, timeoutMs: number): void {
  if (timeoutMs <= 0) return;
  const watch = (socket: Socket): void => {
    if (!socket.connecting) return; // a kept-alive socket, connected already
    const timer = setTimeout(() => request.destroy(new ConnectTimeoutError(target, timeoutMs)), timeoutMs);
    const clear = (): void => clearTimeout(timer);
    socket.once('connect', clear);
    socket.once('close', clear);
  };
  if (request.socket) watch(request.socket as Socket);
  else request.once('socket', watch);
}
