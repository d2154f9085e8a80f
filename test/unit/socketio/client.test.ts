/** The client module's own behaviour: how it describes failures, headers and cookies, reconnection. */
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../../src/free-port.js';
import { connectSocketio, describeError, SocketioConnectError } from '../../../src/socketio/client.js';
import type { SocketioServerHandle } from '../../../src/socketio/server.js';
import { quietSocketioPerTest } from './helpers.js';

const start = quietSocketioPerTest();

/** Records the request headers of every request engine.io handles (polling and upgrades). */
function recordRequests(server: SocketioServerHandle): IncomingMessage['headers'][] {
  const seen: IncomingMessage['headers'][] = [];
  server.io.engine.use((req: IncomingMessage, _res: unknown, next: () => void) => {
    seen.push(req.headers);
    next();
  });
  return seen;
}

describe('socket.io client module', () => {
  it('describes an engine.io transport error with its status and body, as engine.io-client hands them over', () => {
    const err = Object.assign(new Error('xhr post error'), { description: 400, context: { responseText: '{"code":1,"message":"Session ID unknown"}' } });
    expect(describeError(err)).toBe('xhr post error: 400 {"code":1,"message":"Session ID unknown"}');
    const ws = Object.assign(new Error('websocket error'), { description: { message: 'Unexpected server response: 502' } });
    expect(describeError(ws)).toBe('websocket error: Unexpected server response: 502');
    expect(describeError(new Error('timeout'))).toBe('timeout');
    expect(describeError('plain')).toBe('plain');
  });

  it('sends extra headers and cookies on polling requests and on the WebSocket upgrade', async () => {
    const server = await start();
    const seen = recordRequests(server);
    const c = await connectSocketio(server.url, { extraHeaders: { 'X-Bench': 'yes' }, cookies: { route: 'r2', other: 'x' } });
    await c.waitForTransport('websocket', 1500);
    c.close();
    const upgrades = seen.filter((h) => h.upgrade === 'websocket');
    expect(upgrades).toHaveLength(1);
    expect(seen.length).toBeGreaterThan(upgrades.length);
    for (const h of seen) expect(h).toMatchObject({ 'x-bench': 'yes', cookie: 'route=r2; other=x' });
  });

  it('keeps a cookie a response sets and sends it back with cookieJar (what cookie-based sticky sessions need)', async () => {
    const server = await start();
    const seen = recordRequests(server);
    server.io.engine.use((_req: IncomingMessage, res: { setHeader(n: string, v: string): void }, next: () => void) => {
      res.setHeader('Set-Cookie', 'SERVERID=replica-a; Path=/');
      next();
    });
    for (const cookieJar of [false, true]) {
      seen.length = 0;
      const c = await connectSocketio(server.url, { cookieJar });
      await c.waitForTransport('websocket', 1500);
      c.close();
      const [first, ...later] = seen;
      expect(first?.cookie).toBeUndefined();
      expect(later.length).toBeGreaterThan(0);
      for (const h of later) expect(h.cookie, `cookieJar ${cookieJar}`).toBe(cookieJar ? 'SERVERID=replica-a' : undefined);
    }
  });

  it('without a reconnection policy, a refused connection fails at once with what engine.io-client said', async () => {
    const port = await freePort();
    const started = Date.now();
    // "At once": well within the connect timeout, with a margin of over a second either side (the
    // loop stalls 500–600 ms at times).
    const err = await connectSocketio(`http://127.0.0.1:${port}`, { connectTimeoutMs: 3_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SocketioConnectError);
    expect((err as SocketioConnectError).errors[0]).toMatch(/^xhr poll error/);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('with a reconnection policy, keeps trying until the server is there', async () => {
    const port = await freePort();
    const connecting = connectSocketio(`http://127.0.0.1:${port}`, {
      transports: ['websocket'],
      reconnection: { attempts: 20, delayMs: 50, delayMaxMs: 100, randomization: 0 },
      connectTimeoutMs: 1500,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await start({ port, replicaId: 'late' });
    const c = await connecting;
    try {
      expect((await c.whoami()).replica).toBe('late');
      // The attempts before the server came up were seen, and described.
      expect(c.errors.length).toBeGreaterThan(0);
      expect(c.errors[0]).toMatch(/^websocket error/);
    } finally {
      c.close();
    }
  });
});
