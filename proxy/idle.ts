/**
 * The front's idle timeout: a connection is cut when one of its sockets has moved no bytes
 * (read or written, ping and pong frames included) for `idleMs`. Node's socket timeout resets on
 * every read and write, which is the same rule nginx applies with proxy_read_timeout.
 */
import type { Socket } from 'node:net';

/**
 * Arms the timeout on `socket`; `onIdle` runs once when it fires. `idleMs` 0 disarms it.
 * Call it after anything else that sets the socket's timeout (http-proxy and ws reset it to 0).
 */
export function cutWhenIdle(socket: Socket, idleMs: number, onIdle: () => void): void {
  socket.setTimeout(idleMs);
  if (idleMs > 0) socket.once('timeout', onIdle);
}
