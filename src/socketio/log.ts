/**
 * One line per event, on stdout by default, as the echo app logs (src/echo/log.ts: the same
 * sinks, plain text or JSON lines): `2026-11-24T13:29:13.000Z connect AbC123 via polling from
 * 127.0.0.1 (replica r1)`. Tests inject a sink.
 */
import { stdoutSink, type LogSink } from '../echo/log.js';

export { silentSink, stdoutSink, type LogSink } from '../echo/log.js';

export type SocketioEvent =
  | { event: 'listening'; url: string; path: string; replica: string; transports: string[] }
  | { event: 'connect'; id: string; transport: string; remote: string; forwardedFor?: string }
  | { event: 'upgrade'; id: string; from: string; to: string }
  | { event: 'disconnect'; id: string; reason: string; transport: string }
  /** engine.io refused a request (its `connection_error`); `code` is engine.io's (1 = Session ID unknown). */
  | { event: 'connection error'; code: number; message: string; method: string; url: string; remote: string }
  /** An upgrade the app refused itself (not on socket.io's path, or WebSockets are off). */
  | { event: 'refused'; status: number; reason: string; method: string; url: string; remote: string }
  | { event: 'shutdown'; sessions: number; websockets: number };

export type SocketioLogger = (entry: SocketioEvent) => void;

function plain(entry: SocketioEvent): string {
  switch (entry.event) {
    case 'listening':
      return `listening on ${entry.url} (socket.io at ${entry.path}, transports ${entry.transports.join(',')}, replica ${entry.replica})`;
    case 'connect':
      return `connect ${entry.id} via ${entry.transport} from ${entry.remote}${entry.forwardedFor ? ` (x-forwarded-for ${entry.forwardedFor})` : ''}`;
    case 'upgrade':
      return `upgrade ${entry.id} ${entry.from} -> ${entry.to}`;
    case 'disconnect':
      return `disconnect ${entry.id} on ${entry.transport}: ${entry.reason}`;
    case 'connection error':
      return `connection error (engine.io code ${entry.code}) ${JSON.stringify(entry.message)}: ${entry.method} ${entry.url} from ${entry.remote}`;
    case 'refused':
      return `refused ${entry.status} ${entry.method} ${entry.url} from ${entry.remote}: ${entry.reason}`;
    case 'shutdown':
      return `shutting down: disconnecting ${entry.sessions} session(s), closing ${entry.websockets} WebSocket(s) with 1001`;
  }
}

export function createSocketioLogger(format: 'plain' | 'json', replica: string, sink: LogSink = stdoutSink): SocketioLogger {
  return (entry) => {
    const time = new Date().toISOString();
    // JSON lines carry the replica on every line: several replicas' logs are often read together.
    sink(format === 'json' ? JSON.stringify({ time, replica, ...entry }) : `${time} ${plain(entry)}`);
  };
}
