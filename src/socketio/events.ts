/**
 * What the app does on one socket.io session: `echo` acknowledges with its arguments unchanged
 * (strings, binary Buffers, objects; several arguments come back as several); without an
 * acknowledgement callback the same arguments come back as an `echo` event. `whoami`
 * acknowledges with the replica that holds the session and its transport now.
 */
import type { Socket } from 'socket.io';

export interface WhoAmI {
  replica: string;
  transport: string;
  /** The engine.io session id (the `sid` of polling requests). */
  sid: string;
}

type Ack = (...args: unknown[]) => void;

/**
 * The engine.io session id (the `sid` in polling URLs, what "Session ID unknown" is about). It is
 * a public property at run time; engine.io's type declarations mark it private.
 */
export function sessionId(socket: Socket): string {
  return (socket.conn as unknown as { id: string }).id;
}

export function attachEvents(socket: Socket, replica: string, onEcho: () => void): void {
  socket.on('echo', (...args: unknown[]) => {
    onEcho();
    const last = args.at(-1);
    if (typeof last === 'function') {
      (last as Ack)(...args.slice(0, -1));
    } else {
      socket.emit('echo', ...args);
    }
  });
  socket.on('whoami', (...args: unknown[]) => {
    const ack = args.at(-1);
    if (typeof ack !== 'function') return;
    const info: WhoAmI = { replica, transport: socket.conn.transport.name, sid: sessionId(socket) };
    (ack as Ack)(info);
  });
}
