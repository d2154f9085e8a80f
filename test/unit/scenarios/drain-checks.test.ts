/**
 * The bounded-drain reload check, in-process: the echo app behind a TCP relay whose "reload"
 * cuts every connection it holds BOUND_MS later (as a drain bound retires the old generation);
 * new connections are relayed as before. Counted at both ends, the check passes with the real
 * app and fails when the app's counter says it echoed less than the client counted. One app and
 * relay per test, so they run side by side.
 */
import { describe, expect, it } from 'vitest';
import type { EchoServerHandle } from '../../../src/echo/server.js';
import { reloadDrainBounded } from '../../../src/scenarios/checks/drain.js';
import { runCheck } from '../../../src/scenarios/run.js';
import type { CheckContext } from '../../../src/scenarios/types.js';
import { timerAtLeast } from '../../../src/scenarios/check-helpers/wait.js';
import { startRelay, type PausableRelay } from '../client/relay.js';
import { startQuietServer } from '../echo/helpers.js';

const BOUND_MS = 300;

async function drainingPath(echoCounter: 'real' | 'stuck'): Promise<{ ctx: CheckContext; close(): Promise<void> }> {
  const app: EchoServerHandle = await startQuietServer({ keepAliveInterval: 0 });
  const relay: PausableRelay = await startRelay(app.port);
  let stuckAt: number | undefined;
  const timers: (() => void)[] = [];
  return {
    ctx: {
      wsUrl: `ws://127.0.0.1:${relay.port}/ws`,
      appStats: async () => {
        const s = app.stats();
        if (echoCounter === 'real') return s;
        // An app that echoed one message after the first read, whatever the client got back.
        stuckAt ??= s.messagesEchoed;
        return { ...s, messagesEchoed: Math.min(s.messagesEchoed, stuckAt + 1) };
      },
      idleTimeoutMs: 30_000,
      progress: () => {},
      // The old generation cut at the bound by the check's own clock (a bare setTimeout may come a millisecond early).
      reloadFront: async () => { timers.push(timerAtLeast(BOUND_MS, () => relay.cut())); },
    },
    close: async () => { timers.forEach((cancel) => cancel()); await relay.close(); await app.close(); },
  };
}

describe.concurrent('drain-cut, counted by the client and by the app', () => {
  it('passes: the quiet WebSocket is cut at the bound, the client reconnects, and the app echoed all the client counted', async () => {
    const path = await drainingPath('real');
    try {
      const outcome = await runCheck(reloadDrainBounded(BOUND_MS / 1000), path.ctx);
      expect(outcome.ok, outcome.detail).toBe(true);
      const m = outcome.measured ?? {};
      expect(m.cutMs).toBeGreaterThanOrEqual(BOUND_MS);
      expect(m.sent).toBe(m.received);
      expect(m.echoedByApp).toBeGreaterThanOrEqual((m.received ?? 0) + (m.duplicates ?? 0));
      expect(outcome.figure).toMatch(/, the app echoed \d+$/);
    } finally {
      await path.close();
    }
  });

  it('fails when the app echoed fewer messages than the client counted', async () => {
    const path = await drainingPath('stuck');
    try {
      const outcome = await runCheck(reloadDrainBounded(BOUND_MS / 1000), path.ctx);
      expect(outcome.ok).toBe(false);
      expect(outcome.measured?.sent).toBe(outcome.measured?.received);
      expect(outcome.measured?.received).toBeGreaterThan(0);
      expect(outcome.measured?.echoedByApp).toBe(1);
      expect(outcome.detail).toMatch(/the app echoed at least received \+ duplicates \(\d+\)/);
    } finally {
      await path.close();
    }
  });
});
