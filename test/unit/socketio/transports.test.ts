/** Which transport a session ends up on, by what the client and the server allow. */
import { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { connectSocketio, probeSocketio } from '../../../src/socketio/client.js';
import { quietSocketioPerTest } from './helpers.js';

const start = quietSocketioPerTest();

describe('socket.io app: transports', () => {
  it('default transports: the session starts on polling and upgrades to websocket', async () => {
    const server = await start();
    const probe = await probeSocketio(server.url, { upgradeBoundMs: 1500 });
    console.log(`transports: default -> opened on ${probe.initialTransport}, upgraded after ${probe.upgradeMs?.toFixed(1)} ms, echo ${probe.echoRoundTripMs?.toFixed(2)} ms on ${probe.finalTransport}`);
    expect(probe).toMatchObject({ connected: true, initialTransport: 'polling', finalTransport: 'websocket', echoMatches: true, replica: 'test', errors: [] });
    expect(probe.upgradeMs).not.toBeNull();
    await expect.poll(() => server.stats().upgrades).toBe(1);
  });

  it("transports: ['websocket'] connects straight to a WebSocket, no polling request at all", async () => {
    const server = await start();
    const probe = await probeSocketio(server.url, { transports: ['websocket'] });
    expect(probe).toMatchObject({ connected: true, initialTransport: 'websocket', finalTransport: 'websocket', upgradeMs: null, echoMatches: true });
    const stats = server.stats();
    expect(stats.upgradesReceived).toBe(1);
    expect(stats.upgrades).toBe(0);
  });

  it('a server that allows polling only keeps a default client on polling, and refuses a WebSocket upgrade with 400', async () => {
    const server = await start({ transports: ['polling'] });
    const c = await connectSocketio(server.url);
    try {
      expect(c.initialTransport).toBe('polling');
      const waited = await c.waitForTransport('websocket', 600);
      expect(waited.transport).toBe('polling');
      expect((await c.echo('still polling')).reply).toBe('still polling');
      expect(c.errors).toEqual([]);
      expect(server.stats().transports).toEqual({ polling: 1, websocket: 0 });
    } finally {
      c.close();
    }
    // The handshake tells the client there is nothing to upgrade to; a client that tries anyway is refused.
    const handshake = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`);
    expect(await handshake.text()).toMatch(/"upgrades":\[\]/);
    const status = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/socket.io/?EIO=4&transport=websocket`);
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('open', () => reject(new Error('the upgrade was accepted')));
      ws.once('error', () => {});
    });
    expect(status).toBe(400);
  });

  it("a websocket-only client cannot reach a polling-only server, and says why", async () => {
    const server = await start({ transports: ['polling'] });
    // The 400 must come before the connect timeout: 2 s, a margin of well over a second (the loop stalls 500–600 ms at times).
    await expect(connectSocketio(server.url, { transports: ['websocket'], connectTimeoutMs: 2_000 })).rejects.toThrow(/websocket error: Unexpected server response: 400/);
  });
});
