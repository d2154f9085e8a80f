/** Test helpers for the socket.io app: quiet in-process servers with fast heartbeats. */
import { silentSink, type LogSink } from '../../../src/socketio/log.js';
import type { SocketioOptionValues } from '../../../src/socketio/options.js';
import { startSocketioServer, type SocketioServerHandle } from '../../../src/socketio/server.js';

/** Short heartbeats keep the tests fast; a test that needs others passes them. */
export function startQuietSocketio(options: Partial<SocketioOptionValues> = {}, logSink: LogSink = silentSink, closeGraceMs?: number): Promise<SocketioServerHandle> {
  return startSocketioServer({ host: '127.0.0.1', port: 0, pingInterval: 500, pingTimeout: 500, replicaId: 'test', ...options }, { logSink, ...(closeGraceMs === undefined ? {} : { closeGraceMs }) });
}
