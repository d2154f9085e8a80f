/**
 * The path-freeze checks, in-process: the echo app behind a TCP relay that stops forwarding bytes
 * while "paused" (as a `docker pause`d front does), and behind a "front" whose pause does nothing.
 * Each check must pass on the first and fail on the second, or its verdict means nothing.
 * Every test has its own app and relay (the checks read the app's counters), so they run side by side.
 */
import { describe, expect, it } from 'vitest';
import type { EchoServerHandle } from '../../../src/echo/server.js';
import { frozenPathDetected, frozenPathHangs } from '../../../src/scenarios/checks/faults.js';
import { runCheck } from '../../../src/scenarios/run.js';
import type { CheckContext } from '../../../src/scenarios/types.js';
import { startRelay, type PausableRelay } from '../client/relay.js';
import { startQuietServer } from '../echo/helpers.js';

/** Ping interval of the app and the client in freeze-detected: short, so the test is too. */
const INTERVAL_MS = 400;
/**
 * freeze-detected's slack past two intervals where it must pass (0.7 s in the catalog):
 * detection may come two intervals after the freeze, and this leaves a margin of a second over
 * that, as the loop stalls 500–600 ms at times.
 */
const DETECT_SLACK_MS = 1_100;
/** How long freeze-hangs holds the frozen connection. */
const HOLD_MS = 400;

interface Path {
  ctx: CheckContext;
  pauses: number;
  unpauses: number;
  close(): Promise<void>;
}

/** The app behind a relay; `freezes`: whether pauseFront really stops the relay. */
async function path(keepAliveInterval: number, freezes: boolean): Promise<Path> {
  const app: EchoServerHandle = await startQuietServer({ keepAliveInterval });
  const relay: PausableRelay = await startRelay(app.port);
  const p: Path = {
    pauses: 0,
    unpauses: 0,
    ctx: {
      wsUrl: `ws://127.0.0.1:${relay.port}/ws`,
      appStats: async () => app.stats(),
      idleTimeoutMs: 30_000,
      progress: () => {},
      controls: {
        restartFront: () => Promise.reject(new Error('not here')),
        restartApp: () => Promise.reject(new Error('not here')),
        pauseFront: async () => { p.pauses++; if (freezes) relay.pause(); },
        unpauseFront: async () => { p.unpauses++; if (freezes) relay.unpause(); },
      },
    },
    close: async () => { await relay.close(); await app.close(); },
  };
  return p;
}

describe.concurrent('path-freeze checks against a relay that really freezes, and a front whose pause does nothing', () => {
  it('freeze-hangs passes on a frozen path: no echo while OPEN, the app untouched, the echo after the unpause', async () => {
    const frozen = await path(0, true);
    try {
      const outcome = await runCheck(frozenPathHangs(HOLD_MS), frozen.ctx);
      expect(outcome.ok, outcome.detail).toBe(true);
      expect(outcome.figure).toMatch(/^still open after \d\.\d\d s frozen, no echo, nothing noticed; the echo came \d\.\d\d s after the unpause$/);
      expect(outcome.measured).toMatchObject({ echoedWhileFrozen: 0, appEchoedWhileFrozen: 0, appEchoed: 1, appOpenConnections: 1 });
      // Held at least HOLD_MS: the clock read after the pause returned, the close wait started after it.
      expect(outcome.measured?.heldMs).toBeGreaterThanOrEqual(HOLD_MS);
      expect([frozen.pauses, frozen.unpauses]).toEqual([1, 1]);
    } finally {
      await frozen.close();
    }
  });

  it('freeze-hangs reports why the pause failed, and does not unpause a front that was never paused', async () => {
    const refused = await path(0, true);
    try {
      const controls = refused.ctx.controls as NonNullable<CheckContext['controls']>;
      controls.pauseFront = async () => { refused.pauses++; throw new Error('OCI runtime pause failed: unable to freeze: unknown'); };
      controls.unpauseFront = async () => { refused.unpauses++; throw new Error('Container 3794ff is not paused'); };
      const outcome = await runCheck(frozenPathHangs(HOLD_MS), refused.ctx);
      expect(outcome.ok).toBe(false);
      expect(outcome.detail).toContain('unable to freeze');
      expect(outcome.detail).not.toContain('is not paused');
      expect([refused.pauses, refused.unpauses]).toEqual([1, 0]);
    } finally {
      await refused.close();
    }
  });

  it('freeze-hangs fails when the pause freezes nothing: the echo comes back during the "freeze"', async () => {
    const open = await path(0, false);
    try {
      // Held 1.5 s, not HOLD_MS: the echo must be read before the hold ends, a margin of over a
      // second for the loop's stalls (500–600 ms at times).
      const outcome = await runCheck(frozenPathHangs(1_500), open.ctx);
      expect(outcome.ok).toBe(false);
      expect(outcome.figure).toMatch(/^echoed \d\.\d\d s into the "freeze": the path was not frozen;/);
      expect(outcome.measured?.echoedWhileFrozen).toBe(1);
      expect(outcome.measured?.appEchoedWhileFrozen).toBe(1);
      expect([open.pauses, open.unpauses]).toEqual([1, 1]);
    } finally {
      await open.close();
    }
  });

  it('freeze-detected passes on a frozen path: client and app pings notice it, the client reconnects after the unpause', async () => {
    const frozen = await path(INTERVAL_MS, true);
    try {
      const outcome = await runCheck(frozenPathDetected(INTERVAL_MS, DETECT_SLACK_MS), frozen.ctx);
      expect(outcome.ok, outcome.detail).toBe(true);
      const m = outcome.measured ?? {};
      expect(m.clientDetectMs).toBeLessThanOrEqual(2 * INTERVAL_MS + DETECT_SLACK_MS);
      expect(m.appDetectMs).toBeLessThanOrEqual(2 * INTERVAL_MS + DETECT_SLACK_MS);
      expect(Number.isFinite(m.recoverMs)).toBe(true);
      expect([frozen.pauses, frozen.unpauses]).toEqual([1, 1]);
    } finally {
      await frozen.close();
    }
  });

  it('freeze-detected fails when the pause freezes nothing: neither end notices, and it does not wait for a reconnect that cannot come', async () => {
    const open = await path(INTERVAL_MS, false);
    try {
      const started = performance.now();
      const outcome = await runCheck(frozenPathDetected(INTERVAL_MS), open.ctx);
      const tookMs = performance.now() - started;
      expect(outcome.ok).toBe(false);
      expect(outcome.measured?.clientDetectMs).toBeNaN();
      expect(outcome.measured?.appDetectMs).toBeNaN();
      // The app-detection wait (bound + 1 s) and the settling before it, not the 10 s reconnect bound.
      expect(tookMs).toBeLessThan(2 * INTERVAL_MS + 700 + 1_000 + 2 * INTERVAL_MS + 2_000);
      expect([open.pauses, open.unpauses]).toEqual([1, 1]);
    } finally {
      await open.close();
    }
  });
});
