/**
 * Two replicas behind a round-robin proxy with no stickiness: socket.io's polling transport
 * needs every request of a session to reach the replica that holds it, so sessions that start on
 * polling fail with engine.io's "Session ID unknown"; WebSocket-only sessions are one connection
 * each and never do.
 */
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSessions } from '../../../src/socketio/client.js';
import type { SocketioServerHandle } from '../../../src/socketio/server.js';
import { startQuietSocketio } from './helpers.js';

interface RoundRobinProxy {
  url: string;
  /** Connections handed to each upstream, in upstream order. */
  perUpstream: number[];
  close(): Promise<void>;
}

/** A TCP proxy that hands each new connection to the next upstream in turn, nothing else. */
function startRoundRobinProxy(upstreamPorts: readonly number[]): Promise<RoundRobinProxy> {
  const perUpstream = upstreamPorts.map(() => 0);
  const sockets = new Set<Socket>();
  let next = 0;
  const server = createServer((client) => {
    const index = next++ % upstreamPorts.length;
    perUpstream[index] = (perUpstream[index] ?? 0) + 1;
    const upstream = connect(upstreamPorts[index] as number, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        perUpstream,
        close: () => new Promise<void>((done) => {
          for (const s of sockets) s.destroy();
          server.close(() => done());
        }),
      });
    });
  });
}

describe('socket.io app: two replicas behind round robin, no sticky sessions', () => {
  let a: SocketioServerHandle;
  let b: SocketioServerHandle;
  let proxy: RoundRobinProxy;
  beforeAll(async () => {
    a = await startQuietSocketio({ replicaId: 'replica-a' });
    b = await startQuietSocketio({ replicaId: 'replica-b' });
    proxy = await startRoundRobinProxy([a.port, b.port]);
  });
  afterAll(async () => {
    await proxy.close();
    await Promise.all([a.close(), b.close()]);
  });

  it('default transports (polling first): sessions fail with 400 "Session ID unknown"', async () => {
    const before = proxy.perUpstream.reduce((x, y) => x + y, 0);
    // Echoes get 2 s, well over a second more than they take: the loop stalls 500–600 ms at times.
    const report = await openSessions(proxy.url, 20, { concurrency: 4, upgradeBoundMs: 300, holdMs: 20, echoTimeoutMs: 2_000 });
    const connections = proxy.perUpstream.reduce((x, y) => x + y, 0) - before;
    console.log(`replicas: default transports, ${report.failed}/${report.attempted} sessions failed (${(report.failureShare * 100).toFixed(0)} %), over ${connections} TCP connections; ${JSON.stringify(report.messages)}`);
    expect(report.attempted).toBe(20);
    expect(report.failed).toBeGreaterThan(0);
    expect(report.failed + report.succeeded).toBe(20);
    const unknown = Object.entries(report.messages).filter(([m]) => m.includes('400 {"code":1,"message":"Session ID unknown"}'));
    expect(unknown.length).toBeGreaterThan(0);
    expect(report.failures[0]?.message).toMatch(/^xhr (post|poll) error: 400 \{"code":1,"message":"Session ID unknown"\}$/);
    // Each replica refused requests of sessions the other one holds.
    expect(a.stats().connectionErrors['Session ID unknown']).toBeGreaterThan(0);
    expect(b.stats().connectionErrors['Session ID unknown']).toBeGreaterThan(0);
  });

  it("transports: ['websocket']: one connection per session, none fails, both replicas serve", async () => {
    const before = [a.stats().sessions.total, b.stats().sessions.total];
    const report = await openSessions(proxy.url, 20, { transports: ['websocket'], concurrency: 4, holdMs: 20, echoTimeoutMs: 2_000 });
    console.log(`replicas: websocket only, ${report.failed}/${report.attempted} sessions failed`);
    expect(report).toMatchObject({ attempted: 20, succeeded: 20, failed: 0, failures: [], messages: {}, finalTransports: { websocket: 20 } });
    expect(a.stats().sessions.total - (before[0] ?? 0)).toBe(10);
    expect(b.stats().sessions.total - (before[1] ?? 0)).toBe(10);
  });
});
