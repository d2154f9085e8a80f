import { afterAll, describe, expect, it } from 'vitest';
import { PONG_GRACE_MS } from '../../../src/client/keepalive.js';
import type { EchoServerHandle } from '../../../src/echo/server.js';
import type { EchoStats } from '../../../src/echo/stats.js';
import { CLOCK_ALLOWANCE_MS } from '../../../src/scenarios/checks/idle.js';
import { watchLoopLag } from '../../support/loop-lag.js';
import { closed, echo, openClient, sleep, startQuietServer } from './helpers.js';

const INTERVAL = 250;

// Every test has its own server, so they run side by side (the ping tests wait a few intervals).
describe.concurrent('echo server keepalive and stats', () => {
  const servers: EchoServerHandle[] = [];
  const serve = async (options: Parameters<typeof startQuietServer>[0]): Promise<EchoServerHandle> => {
    const server = await startQuietServer(options);
    servers.push(server);
    return server;
  };
  afterAll(async () => { await Promise.all(servers.map((s) => s.close())); });

  it('pings every interval (measured at the client)', async () => {
    const server = await serve({ keepAliveInterval: INTERVAL });
    const ws = await openClient(server.wsUrl);
    const opened = performance.now();
    const lag = watchLoopLag();
    const pings: number[] = [];
    // Pings that came while the socket was open: ws answers those itself; one that crosses our
    // close (the socket CLOSING) gets no pong.
    let answerable = 0;
    const fifth = new Promise<void>((resolve) => {
      ws.on('ping', () => { pings.push(performance.now()); if (ws.readyState === ws.OPEN) answerable++; if (pings.length === 5) resolve(); });
    });
    // Five pings, waited for (a loaded loop delays ticks; it does not lose them), within 12 intervals.
    await Promise.race([fifth, sleep(INTERVAL * 12)]);
    const lagMs = lag.stop();
    expect(pings.length, 'pings within 12 intervals').toBeGreaterThanOrEqual(5);
    const gaps = pings.slice(1, 5).map((t, i) => t - (pings[i] ?? t));
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    console.log(`keepalive: configured ${INTERVAL} ms, measured mean ${mean.toFixed(1)} ms between the first 5 pings (first ${((pings[0] ?? 0) - opened).toFixed(0)} ms after open; loop delay up to ${lagMs.toFixed(0)} ms)`);
    // Node's interval counts from when each tick ran, so the server's gaps are never shorter than
    // the interval (less the clock's whole millisecond); what the client reads of them moves by
    // how late its loop ran (measured) for the first and the fifth.
    expect(mean, `loop delay up to ${lagMs.toFixed(0)} ms`).toBeGreaterThanOrEqual(INTERVAL - 2 - lagMs / 4);
    expect(mean, `loop delay up to ${lagMs.toFixed(0)} ms`).toBeLessThanOrEqual(INTERVAL + 2 * lagMs + 2);
    // Close first so no ping is in flight, then compare what the server counted with what the
    // client saw (the server may have sent one more ping than our window caught).
    ws.close();
    await closed(ws);
    const counted = server.stats();
    expect(counted.pingsSent - pings.length).toBeGreaterThanOrEqual(0);
    expect(counted.pingsSent - pings.length).toBeLessThanOrEqual(1);
    // Every ping the client saw while open was answered; one that crossed our close was not.
    expect(counted.pongsReceived).toBeGreaterThanOrEqual(answerable);
    expect(counted.pongsReceived).toBeLessThanOrEqual(counted.pingsSent);
    expect(counted.pingTimeouts).toBe(0);
  });

  it('terminates a client that does not answer pings, about two intervals after it connected', async () => {
    const server = await serve({ keepAliveInterval: INTERVAL });
    const healthy = await openClient(server.wsUrl);
    const lag = watchLoopLag();
    // The server's timer starts as it takes the connection: between the request and the open.
    const requested = performance.now();
    const silent = await openClient(server.wsUrl, { autoPong: false });
    const opened = performance.now();
    // Waited 2.5 s: the drop comes after about 0.55 s, and the loop stalls 500–600 ms at times.
    const result = await closed(silent, 2_500);
    const droppedAt = performance.now();
    const lagMs = lag.stop();
    const elapsed = droppedAt - opened;
    console.log(`keepalive: non-ponging client dropped ${elapsed.toFixed(0)} ms after connecting (interval ${INTERVAL} ms), close code ${result.code}`);
    expect(result.code).toBe(1006);
    // Two ticks of its interval (the ping, then the missed pong) and the pong grace, none early by
    // more than the clock allowance.
    expect(droppedAt - requested).toBeGreaterThanOrEqual(INTERVAL * 2 + PONG_GRACE_MS - CLOCK_ALLOWANCE_MS);
    // The chain is the server's ping timer, its grace timer, its terminate timer and the client's
    // close event, in this one event loop: each may fire as late as the loop ran (measured), plus
    // the clocks' 1 ms each.
    expect(elapsed, `loop delay up to ${lagMs.toFixed(0)} ms`).toBeLessThanOrEqual(INTERVAL * 2 + PONG_GRACE_MS + 4 * lagMs + 3);
    expect(server.stats().pingTimeouts).toBe(1);
    expect(healthy.readyState).toBe(healthy.OPEN);
    expect((await echo(healthy, 'alive', false)).data.toString()).toBe('alive');
    healthy.close();
  });

  it('sends no pings when the interval is 0', async () => {
    const server = await serve({ keepAliveInterval: 0 });
    const ws = await openClient(server.wsUrl);
    let pings = 0;
    ws.on('ping', () => pings++);
    await sleep(300);
    expect(pings).toBe(0);
    expect(server.stats().pingsSent).toBe(0);
    ws.close();
  });

  it('serves /stats with counters that match what happened, and /healthz', async ({ expect }) => {
    const server = await serve({ keepAliveInterval: 0 });
    const b = await openClient(server.wsUrl);
    const a = await openClient(server.wsUrl, { headers: { 'X-Bench-Probe': 'stats-test' } });
    await echo(a, 'hello', false);
    await echo(a, Buffer.alloc(100), true);
    await echo(b, 'xyz', false);
    b.close();
    await closed(b);
    await expect.poll(() => server.stats().openConnections, { timeout: 2_000 }).toBe(1);
    const res = await fetch(`${server.url}/stats`);
    expect(res.status).toBe(200);
    const stats = (await res.json()) as EchoStats;
    expect(stats).toMatchObject({
      upgradesReceived: 2,
      openConnections: 1,
      totalConnections: 2,
      messagesEchoed: 3,
      bytesEchoed: 5 + 100 + 3,
      pingsSent: 0,
      pongsReceived: 0,
      pingTimeouts: 0,
    });
    expect(stats.lastUpgradeHeaders?.['x-bench-probe']).toBe('stats-test');
    // Memory moves between two reads; everything else is the same snapshot.
    expect({ ...server.stats(), memory: stats.memory }).toEqual(stats);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('ok');
    a.close();
  });

  it('records the headers of the last upgrade, including custom ones', async () => {
    const server = await serve({ keepAliveInterval: 0 });
    const ws = await openClient(server.wsUrl, { headers: { 'X-Bench-Probe': 'last-one' } });
    expect(server.stats().lastUpgradeHeaders?.['x-bench-probe']).toBe('last-one');
    expect(server.stats().lastUpgradeHeaders?.upgrade).toBe('websocket');
    ws.close();
  });
});
