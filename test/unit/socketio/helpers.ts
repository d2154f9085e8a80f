/** Test helpers for the socket.io app: quiet in-process servers with fast heartbeats. */
import { afterEach } from 'vitest';
import { silentSink, type LogSink } from '../../../src/socketio/log.js';
import type { SocketioOptionValues } from '../../../src/socketio/options.js';
import { startSocketioServer, type SocketioServerHandle } from '../../../src/socketio/server.js';

/** Short heartbeats keep the tests fast; a test that needs others passes them. */
export function startQuietSocketio(options: Partial<SocketioOptionValues> = {}, logSink: LogSink = silentSink, closeGraceMs?: number): Promise<SocketioServerHandle> {
  return startSocketioServer({ host: '127.0.0.1', port: 0, pingInterval: 500, pingTimeout: 500, replicaId: 'test', ...options }, { logSink, ...(closeGraceMs === undefined ? {} : { closeGraceMs }) });
}

/** A start function for quiet servers that a test file's afterEach closes again (call once per file, at its top level). */
export function quietSocketioPerTest(): (...args: Parameters<typeof startQuietSocketio>) => Promise<SocketioServerHandle> {
  const servers: SocketioServerHandle[] = [];
  afterEach(async () => { await Promise.all(servers.splice(0).map((s) => s.close())); });
  return async (...args) => {
    const s = await startQuietSocketio(...args);
    servers.push(s);
    return s;
  };
}
