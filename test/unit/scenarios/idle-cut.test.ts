/**
 * idle-cut against a fake front that cuts each connection a set time after it wrote the 101:
 * inside the window it passes; too early (counted from the request sent) or too late (counted
 * from the 101 received) it fails, and the verdict names the window. One server per test, so
 * they run side by side.
 */
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { CLOCK_ALLOWANCE_MS, cutWindow, idleConnectionCut } from '../../../src/scenarios/checks/idle.js';
import { runCheck } from '../../../src/scenarios/run.js';
import type { CheckContext } from '../../../src/scenarios/types.js';
import { stallLoop } from '../../support/loop-lag.js';

/**
 * The fake front's idle timeout T and the check's tolerance: the window is [T from the request,
 * T + TOLERANCE from the 101]. Each fake cut sits where a late timer or a late read (a loaded
 * machine delays both, never hastens them) moves it further from the edge it tests, or about a
 * second short of crossing one: the fake front, the client and their timers share this event
 * loop, and a stall of it delays them all at once. A full unit run saw a stall of over 500 ms
 * (the "too late" cut, then half a second from the end of the watch, was not seen by its end).
 */
const T = 400;
const TOLERANCE = 1_000;

/**
 * A WebSocket server that drops each connection (no close frame) `cutAfterMs` after writing its
 * 101 ('connection' is emitted right after the write); `busyMs`: then blocks this process's event
 * loop that long, so the client reads the 101 late, as a loaded machine does.
 */
async function cuttingServer(cutAfterMs: number | 'never', busyMs = 0, timeoutMs = T): Promise<{ ctx: CheckContext; close(): Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  wss.on('connection', (ws) => {
    if (cutAfterMs !== 'never') setTimeout(() => ws.terminate(), cutAfterMs);
    stallLoop(busyMs); // the client's process is busy
  });
  const { port } = wss.address() as AddressInfo;
  return {
    ctx: { wsUrl: `ws://127.0.0.1:${port}/ws`, appStats: () => Promise.reject(new Error('no app here')), idleTimeoutMs: timeoutMs, progress: () => {} },
    close: () => new Promise<void>((resolve) => { for (const c of wss.clients) c.terminate(); wss.close(() => resolve()); }),
  };
}

async function cutAt(cutAfterMs: number | 'never', busyMs = 0, { timeoutMs = T, toleranceMs = TOLERANCE } = {}) {
  const server = await cuttingServer(cutAfterMs, busyMs, timeoutMs);
  try {
    return await runCheck(idleConnectionCut(toleranceMs, 1006), server.ctx);
  } finally {
    await server.close();
  }
}

describe.concurrent('idle-cut judges the cut from both ends of the handshake', () => {
  it('passes a cut inside the window', async () => {
    const outcome = await cutAt(T + 50);
    expect(outcome.ok, outcome.detail).toBe(true);
    const m = outcome.measured ?? {};
    expect(m.cutAfterMs).toBeGreaterThanOrEqual(T + 50);
    expect(m.cutAfter101Ms).toBeLessThanOrEqual(m.cutAfterMs ?? Number.NaN);
    expect(m.handshakeMs).toBeCloseTo((m.cutAfterMs ?? 0) - (m.cutAfter101Ms ?? 0), 6);
    expect(outcome.figure).toMatch(/^cut after \d\.\d\d s \(1006\)/);
  });

  it('fails a cut too early, counted from the request sent, naming the window', async () => {
    // Cut as the 101 is written, against a timeout of 2 s: a loaded machine (which delays the
    // cut as the client sees it, never hastens it) has nearly 2 s before the cut looks in time.
    // A cut a quarter of a 0.4 s timeout in left 0.28 s, and a fresh-clone run once used them up.
    const early = { timeoutMs: 2_000, toleranceMs: TOLERANCE };
    const outcome = await cutAt(0, 0, early);
    expect(outcome.ok).toBe(false);
    expect(outcome.measured?.cutAfterMs).toBeLessThan(early.timeoutMs - CLOCK_ALLOWANCE_MS);
    expect(outcome.detail).toContain(`expected a cut ${cutWindow(early.timeoutMs, TOLERANCE)} with 1006; saw cut `);
    expect(cutWindow(T, TOLERANCE)).toBe('no sooner than 0.40 s after the handshake request was sent, no later than 1.40 s after its 101 arrived');
  });

  it('fails a cut too late, counted from the 101 received, naming the window', async () => {
    // Past the window by a second, and a second before the check stops watching (one tolerance
    // past the window): a 101 read late makes the cut look sooner, a cut read late looks later,
    // and each has 1 s before it would cross an edge.
    const late = { timeoutMs: T, toleranceMs: 2_000 };
    const outcome = await cutAt(T + late.toleranceMs + 1_000, 0, late);
    expect(outcome.ok).toBe(false);
    expect(outcome.measured?.cutAfter101Ms).toBeGreaterThan(T + late.toleranceMs);
    expect(outcome.detail).toContain(`expected a cut ${cutWindow(T, late.toleranceMs)} with 1006`);
  });

  it('fails a front that never cuts, watching one tolerance past the window', async () => {
    const started = performance.now();
    const outcome = await cutAt('never');
    expect(outcome).toMatchObject({ ok: false, figure: 'not cut' });
    expect(outcome.detail).toMatch(/; saw still open \d\.\d\d s after the 101$/);
    expect(performance.now() - started).toBeGreaterThanOrEqual(T + 2 * TOLERANCE);
  });

  it('fails the wrong close code', async () => {
    const server = await cuttingServer(T + 100);
    try {
      const wrongCode = await runCheck(idleConnectionCut(TOLERANCE, 1000), server.ctx);
      expect(wrongCode.ok).toBe(false);
      expect(wrongCode.detail).toMatch(/with 1006$/);
    } finally {
      await server.close();
    }
  });
});

// Alone: its busy loop would delay the other servers' cuts.
describe('idle-cut on a loaded client', () => {
  it('passes a cut exactly at T after the 101 that the client read late (its clock would have started at open, T - busy before the cut)', async () => {
    const busy = 150;
    const outcome = await cutAt(T, busy);
    expect(outcome.ok, outcome.detail).toBe(true);
    // Read late: the 101 arrived in the busy stretch, so the handshake took at least that long
    // and, counted from the 101, the cut came that much sooner than from the request.
    expect(outcome.measured?.handshakeMs).toBeGreaterThanOrEqual(busy);
    expect(outcome.measured?.cutAfterMs).toBeGreaterThanOrEqual(T - CLOCK_ALLOWANCE_MS);
    expect(outcome.figure).toMatch(/^cut after \d\.\d\d s \(1006\), \d\.\d\d s after the 101$/);
  });
});
