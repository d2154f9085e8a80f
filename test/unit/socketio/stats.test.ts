/** GET /stats: what the app counts, read over HTTP as a check reads it. */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { connectSocketio } from '../../../src/socketio/client.js';
import type { SocketioServerHandle } from '../../../src/socketio/server.js';
import type { SocketioStats } from '../../../src/socketio/stats.js';
import { startQuietSocketio } from './helpers.js';

const servers: SocketioServerHandle[] = [];
afterEach(async () => { await Promise.all(servers.splice(0).map((s) => s.close())); });

async function stats(server: SocketioServerHandle): Promise<SocketioStats> {
  const res = await fetch(`${server.url}/stats`);
  expect(res.headers.get('cache-control')).toBe('no-store');
  return (await res.json()) as SocketioStats;
}

describe('socket.io app: /stats', () => {
  it('starts at zero, with the replica id and the memory in use', async () => {
    const server = await startQuietSocketio({ replicaId: 'stats-0' });
    servers.push(server);
    const s = await stats(server);
    expect(s).toEqual({
      replica: 'stats-0', upgradesReceived: 0, sessions: { open: 0, total: 0 }, transports: { polling: 0, websocket: 0 },
      upgrades: 0, messagesEchoed: 0, connectionErrors: {}, memory: { rss: expect.any(Number), heapUsed: expect.any(Number) },
    });
    expect(s.memory.rss).toBeGreaterThan(s.memory.heapUsed);
    expect(s.memory.heapUsed).toBeGreaterThan(0);
  });

  it('counts sessions by transport, upgrades, WebSocket handshakes, echoes and refusals', async () => {
    const server = await startQuietSocketio({ replicaId: 'stats-1' });
    servers.push(server);
    const upgraded = await connectSocketio(server.url); // polling, then websocket
    await upgraded.waitForTransport('websocket', 1500);
    const direct = await connectSocketio(server.url, { transports: ['websocket'] });
    const polling = await connectSocketio(server.url, { transports: ['polling'] });
    for (const c of [upgraded, direct, polling]) await c.echo('count me');
    await direct.echo(Buffer.from('and me'));
    await fetch(`${server.url}/socket.io/?EIO=4&transport=polling&sid=unknown-session`);
    await expect.poll(async () => (await stats(server)).transports).toEqual({ polling: 1, websocket: 2 });
    expect(await stats(server)).toMatchObject({
      replica: 'stats-1',
      // the upgrade of the first session and the second session's direct WebSocket
      upgradesReceived: 2,
      sessions: { open: 3, total: 3 },
      upgrades: 1,
      messagesEchoed: 4,
      connectionErrors: { 'Session ID unknown': 1 },
    });
    polling.close();
    direct.close();
    await expect.poll(async () => (await stats(server)).sessions).toEqual({ open: 1, total: 3 });
    expect((await stats(server)).transports).toEqual({ polling: 0, websocket: 1 });
    upgraded.close();
  });

  it('counts an upgrade it refuses too (not on its path)', async () => {
    const server = await startQuietSocketio();
    servers.push(server);
    await new Promise<void>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/elsewhere`);
      ws.once('error', () => resolve());
    });
    expect((await stats(server)).upgradesReceived).toBe(1);
  });
});
