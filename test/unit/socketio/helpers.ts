/** Test helpers for the socket.io app: quiet in-process servers with fast heartbeats. */
import { afterEach } from 'vitest';
import { silentSink, type LogSink } from '../../../src/socketio/log.js';
import type { SocketioOptionValues } from '../../../src/socketio/options.js';
import { startSocketioServer, type SocketioServerHandle } from '../../../src/socketio/server.js';

/**
 * Short heartbeats keep the tests fast; a test that needs others passes them. The ping timeout is
 * 2 s all the same: engine.io's timers do not allow for a late event loop, and a test's clients
 * share the server's loop, which stalls 500–600 ms at times (no test waits for a ping timeout).
 */
export function startQuietSocketio(options: Partial<SocketioOptionValues> = {}, logSink: LogSink = silentSink, closeGraceMs?: number): Promise<SocketioServerHandle> {
  return startSocketioServer({ host: '127.0.0.1', port: 0, pingInterval: 500, pingTimeout: 2_000, replicaId: 'test', ...options }, { logSink, ...(closeGraceMs === undefined ? {} : { closeGraceMs }) });
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
