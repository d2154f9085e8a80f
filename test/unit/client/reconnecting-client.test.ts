/**
 * The reconnecting client in-process: an echo server behind the http-proxy front (which the test
 * stops and starts again on the same port), and behind a relay that can freeze the path.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHttpFront, type HttpFrontHandle } from '../../../proxy/front.js';
import { silentLog } from '../../../proxy/log.js';
import { EchoSession } from '../../../src/client/echo-session.js';
import { PONG_GRACE_MS } from '../../../src/client/keepalive.js';
import { ReconnectingClient } from '../../../src/client/reconnecting-client.js';
import type { EchoServerHandle } from '../../../src/echo/server.js';
import { sleep, startQuietServer } from '../echo/helpers.js';
import { startRelay, type PausableRelay } from './relay.js';
import { watchLoopLag } from '../../support/loop-lag.js';

const FAST_BACKOFF = { initialMs: 50, maxMs: 400, factor: 2, jitter: 0.5 };

function frontOn(app: EchoServerHandle, port: number): Promise<HttpFrontHandle> {
  return startHttpFront({ target: app.url, host: '127.0.0.1', port, log: silentLog });
}

function waitFor(client: ReconnectingClient, event: 'open' | 'closed' | 'ping-timeout', timeoutMs: number): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${event}' within ${timeoutMs} ms`)), timeoutMs);
    client.once(event, () => {
      clearTimeout(timer);
      resolve(performance.now() - started);
    });
  });
}

describe('reconnecting client through the http-proxy front', () => {
  let app: EchoServerHandle;
  let front: HttpFrontHandle;
  let session: EchoSession | undefined;

  beforeAll(async () => {
    app = await startQuietServer();
    front = await frontOn(app, 0);
  });
  afterEach(async () => { await session?.stop(); session = undefined; });
  afterAll(async () => {
    await front.close();
    await app.close();
  });

  it('delivers messages sent before, while and after the front is down, each echoed once and in order; events in order', async () => {
    const events: string[] = [];
    const lines: string[] = [];
    session = new EchoSession({ url: front.wsUrl(), backoff: FAST_BACKOFF, random: () => 0, log: (l) => lines.push(l) });
    const client = session.client;
    for (const name of ['connecting', 'open', 'closed', 'reconnecting'] as const) {
      client.on(name, (e: object) => events.push(`${name}${'attempt' in e ? ` ${String(e.attempt)}` : ''}`));
    }
    session.start();
    await waitFor(client, 'open', 2_000);
    for (let i = 0; i < 20; i++) session.send(`before ${i}`);
    expect(await session.allEchoed(2_000)).toBe(true);

    const port = front.port;
    const closedAt = waitFor(client, 'closed', 2_000);
    await front.close();
    await closedAt;
    for (let i = 0; i < 20; i++) session.send(`during ${i}`);
    expect(client.state).not.toBe('open');
    expect(client.pending).toBe(20);
    await sleep(300); // a few failed attempts while the front is down
    front = await frontOn(app, port);
    await waitFor(client, 'open', 3_000);
    for (let i = 0; i < 20; i++) session.send(`after ${i}`);
    expect(await session.allEchoed(3_000)).toBe(true);

    const counts = session.counts();
    console.log(`  reconnecting client via http-front restart: sent ${counts.sent}, received ${counts.received}, duplicates ${counts.duplicates}, gaps ${counts.gaps}`);
    expect(counts).toMatchObject({ sent: 60, received: 60, gaps: 0, garbled: 0 });
    expect(client.pending).toBe(0);
    // connecting 1, open 1, closed, then reconnect attempts 1, 2, … until one opens.
    const n = Number(/^open (\d+)$/.exec(events.at(-1) ?? '')?.[1]);
    expect(n).toBeGreaterThan(1); // the front was down for 300 ms: some attempts failed
    const expected = ['connecting 1', 'open 1', 'closed'];
    for (let k = 1; k <= n; k++) expected.push(`reconnecting ${k}`, `connecting ${k}`, k < n ? 'closed' : `open ${k}`);
    expect(events).toEqual(expected);
    expect(lines.some((l) => /reconnecting: attempt 1 in 50 ms/.test(l))).toBe(true);
  });

});

// Each test freezes or cuts its own relay (in front of one app), so they run side by side.
describe.concurrent('reconnecting client on a path that freezes or drops', () => {
  let app: EchoServerHandle;
  const relays: PausableRelay[] = [];
  const clients: ReconnectingClient[] = [];
  const sessions: EchoSession[] = [];
  const ownRelay = async (): Promise<PausableRelay> => {
    const relay = await startRelay(app.port);
    relays.push(relay);
    return relay;
  };

  beforeAll(async () => {
    app = await startQuietServer({ keepAliveInterval: 0 });
  });
  afterAll(async () => {
    await Promise.all([...clients.map((c) => c.stop()), ...sessions.map((s) => s.stop())]);
    await Promise.all(relays.map((r) => r.close()));
    await app.close();
  });

  it('detects a frozen path within two ping intervals and reconnects once it flows again', async () => {
    const relay = await ownRelay();
    const P = 200;
    const client = new ReconnectingClient({ url: `ws://127.0.0.1:${relay.port}/ws`, pingIntervalMs: P, handshakeTimeoutMs: 1_000, backoff: FAST_BACKOFF });
    clients.push(client);
    client.start();
    await waitFor(client, 'open', 2_000);
    await sleep(3 * P); // pings answered: still open
    expect(client.state).toBe('open');
    // Frozen right after the client's next ping went through: its pong cannot come back, and
    // the client's next tick, one interval after that ping, finds it unanswered.
    const lag = watchLoopLag();
    // Waited 2 s: a margin of well over a second past the detection (the loop stalls 500–600 ms
    // at times); the bounds below allow for the loop delay measured.
    const timedOut = waitFor(client, 'ping-timeout', 2_000);
    const closedAt = waitFor(client, 'closed', 2_000);
    const frozeAt = await relay.pauseAfterNextFromClient();
    await timedOut;
    const detected = performance.now() - frozeAt;
    await closedAt;
    const lagMs = lag.stop();
    console.log(`  frozen path detected by client pings after ${detected.toFixed(0)} ms (interval ${P} ms, loop delay up to ${lagMs.toFixed(0)} ms)`);
    // The ping left the client at most one loop delay before the relay read it; the tick comes
    // one interval after it (less the timer clock's millisecond) and the judgement the pong
    // grace after the tick: two timers, each at most one loop delay late.
    expect(detected, `loop delay up to ${lagMs.toFixed(0)} ms`).toBeGreaterThanOrEqual(P + PONG_GRACE_MS - 2 - lagMs);
    expect(detected, `loop delay up to ${lagMs.toFixed(0)} ms`).toBeLessThanOrEqual(P + PONG_GRACE_MS + 3 * lagMs + 3);
    expect(client.state).not.toBe('open');
    relay.unpause();
    const reopened = await waitFor(client, 'open', 3_000);
    expect(performance.now() - frozeAt).toBeGreaterThan(detected);
    expect(reopened).toBeLessThan(3_000);
    expect(client.opens).toBe(2);
  });

  it('with ack-by-echo, messages lost in flight when the connection drops are written again: all back once, in order', async () => {
    const relay = await ownRelay();
    const session = new EchoSession({ url: `ws://127.0.0.1:${relay.port}/ws`, backoff: FAST_BACKOFF });
    sessions.push(session);
    session.start();
    await waitFor(session.client, 'open', 2_000);
    for (let i = 0; i < 50; i++) session.send(`first ${i}`);
    expect(await session.allEchoed(2_000)).toBe(true);
    relay.pause();
    for (let i = 0; i < 50; i++) session.send(`in flight ${i}`);
    await sleep(50);
    const receivedBeforeDrop = session.counts().received;
    relay.cut(); // the 50 in flight are lost with the connection
    expect(await session.allEchoed(3_000)).toBe(true);
    const counts = session.counts();
    console.log(`  messages in flight across a dropped connection: sent ${counts.sent}, received ${counts.received} (${receivedBeforeDrop} before the drop), duplicates dropped ${counts.duplicates}`);
    expect(receivedBeforeDrop).toBe(50);
    expect(counts).toMatchObject({ sent: 100, received: 100, gaps: 0, garbled: 0 });
    expect(session.client.opens).toBe(2);
  });

  it('without pings the client sees nothing: still "open" on a frozen path', async () => {
    const relay = await ownRelay();
    const client = new ReconnectingClient({ url: `ws://127.0.0.1:${relay.port}/ws`, pingIntervalMs: 0 });
    clients.push(client);
    client.start();
    await waitFor(client, 'open', 2_000);
    let closed = false;
    client.on('closed', () => { closed = true; });
    relay.pause();
    await sleep(1_000);
    expect(closed).toBe(false);
    expect(client.state).toBe('open');
    relay.unpause();
  });
});
