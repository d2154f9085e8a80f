/**
 * The faults, hostile-input and security checks, in-process: the echo app behind the http-proxy
 * front on this host, with restart controls (close and start again on the same port). The
 * container suites run the same checks against real fronts (test/containers/scenarios/faults-*).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpFront, type HttpFrontHandle } from '../../../proxy/front.js';
import { silentLog } from '../../../proxy/log.js';
import { startEchoServer, type EchoServerHandle } from '../../../src/echo/server.js';
import { appRestartAnswered, describeAppDownAnswer, frontRestartLosesNothing, frozenPathDetected, heldAsExpected, refusalsAsExpected } from '../../../src/scenarios/checks/faults.js';
import { HEAP_BYTES_PER_HANDSHAKE, handshakeBurst, invalidUtf8Refused, oversizedFrameRefused, slowHeadersCut } from '../../../src/scenarios/checks/hostile.js';
import { clientAddressFromForwardedFor, originAllowList } from '../../../src/scenarios/checks/security.js';
import { runCheck } from '../../../src/scenarios/run.js';
import type { CheckContext } from '../../../src/scenarios/types.js';

const MAX = 4_096;

/** The app's real stats, but its `messagesEchoed` stuck where it was first read: an app that echoed less than its clients counted. */
function frozenEchoCounter(ctx: CheckContext): CheckContext {
  let first: number | undefined;
  return {
    ...ctx,
    get wsUrl() { return ctx.wsUrl; },
    appStats: async () => {
      const s = await ctx.appStats();
      first ??= s.messagesEchoed;
      return { ...s, messagesEchoed: first };
    },
  };
}
const ORIGIN = 'http://allowed.example';

describe('fault, hostile-input and security checks through the in-process http-front', () => {
  let app: EchoServerHandle;
  let front: HttpFrontHandle;
  let ctx: CheckContext;

  const startApp = (port = 0) => startEchoServer({ host: '127.0.0.1', port, maxMessageSize: MAX, allowedOrigins: [ORIGIN], keepAliveInterval: 0 }, { logSink: () => {} });
  const startFront = (port = 0) => startHttpFront({ target: app.url, host: '127.0.0.1', port, headerTimeout: 1_000, log: silentLog });

  beforeAll(async () => {
    app = await startApp();
    front = await startFront();
    ctx = {
      get wsUrl() { return front.wsUrl('/ws'); },
      appStats: async (read) => app.stats(read),
      idleTimeoutMs: 30_000,
      progress: () => {},
      controls: {
        restartFront: async () => { const port = front.port; await front.close(); await new Promise((r) => setTimeout(r, 300)); front = await startFront(port); },
        restartApp: async () => {
          const options = app.options;
          await app.close();
          // Down for 1.5 s: the probe (a handshake every 50 ms) sees several refusals even when
          // the loop stalls 500–600 ms, as it does at times on a loaded machine (300 ms once gave
          // it only the one the checks forgive as in flight).
          await new Promise((r) => setTimeout(r, 1_500));
          app = await startEchoServer(options, { logSink: () => {} });
        },
        pauseFront: () => Promise.reject(new Error('an in-process front cannot be paused')),
        unpauseFront: async () => {},
      },
    };
  });
  afterAll(async () => {
    await front.close();
    await app.close();
  });

  it('hostile frames: 1009 over the size limit, 1007 for invalid UTF-8', async () => {
    for (const check of [oversizedFrameRefused(MAX), invalidUtf8Refused()]) {
      const outcome = await runCheck(check, ctx);
      // The background client has no Origin, so it is refused: the check must say so and fail.
      expect(outcome.ok, outcome.detail).toBe(false);
      expect(outcome.detail).toMatch(/handshake failed: 403 from app/);
    }
  });

  it('origin allow-list through the front', async () => {
    const origin = await runCheck(originAllowList(ORIGIN, 'http://evil.example'), ctx);
    expect(origin.ok, origin.detail).toBe(true);
    expect(origin.figure).toBe(`${ORIGIN}: 101 from app; http://evil.example: 403 from app`);
  });

  describe('X-Forwarded-For from an untrusted front: the app records the front, never the claim nor nothing', () => {
    const check = clientAddressFromForwardedFor({ trusted: false, origin: ORIGIN });
    /** The app's real stats with its recorded address replaced: what a broken app would report. */
    const recording = (address: string | null): CheckContext => ({
      ...ctx, wsUrl: ctx.wsUrl, appStats: async () => ({ ...(await ctx.appStats()), lastClientAddress: address }),
    });

    it('passes when the app recorded the front (127.0.0.1, on one host) and the context names it', async () => {
      const outcome = await runCheck(check, { ...ctx, wsUrl: ctx.wsUrl, frontAddress: '127.0.0.1' });
      expect(outcome.ok, outcome.detail).toBe(true);
      expect(outcome.figure).toBe('X-Forwarded-For "203.0.113.7, 127.0.0.1" → client 127.0.0.1');
    });

    it('fails when the app recorded nothing', async () => {
      const outcome = await runCheck(check, { ...recording(null), frontAddress: '127.0.0.1' });
      expect(outcome.ok).toBe(false);
      expect(outcome.figure).toBe('X-Forwarded-For "203.0.113.7, 127.0.0.1" → client (none)');
      expect((await runCheck(check, recording(''))).ok).toBe(false);
    });

    it('fails when the app believed the claim', async () => {
      const outcome = await runCheck(check, { ...recording('203.0.113.7'), frontAddress: '127.0.0.1' });
      expect(outcome.ok).toBe(false);
      expect(outcome.figure).toMatch(/→ client 203\.0\.113\.7$/);
      expect((await runCheck(check, recording('203.0.113.7'))).ok).toBe(false);
    });

    it('fails when the address is not the front the context names, or not an address at all', async () => {
      const other = await runCheck(check, { ...ctx, wsUrl: ctx.wsUrl, frontAddress: '10.0.0.9' });
      expect(other.ok).toBe(false);
      expect(other.detail).toMatch(/the front is 10\.0\.0\.9$/);
      expect((await runCheck(check, { ...recording('?'), frontAddress: '?' })).ok).toBe(false);
    });

    it('passes when the front dropped the claim and wrote its own header (as Caddy does), and fails when the claim sits elsewhere in it', async () => {
      const header = (xff: string): CheckContext => ({
        ...ctx, wsUrl: ctx.wsUrl, frontAddress: '127.0.0.1',
        appStats: async () => { const st = await ctx.appStats(); return { ...st, lastUpgradeHeaders: { ...st.lastUpgradeHeaders, 'x-forwarded-for': xff } }; },
      });
      const dropped = await runCheck(check, header('172.17.0.1'));
      expect(dropped.ok, dropped.detail).toBe(true);
      expect(dropped.figure).toBe('the front dropped the claim; X-Forwarded-For "172.17.0.1" → client 127.0.0.1');
      const misplaced = await runCheck(check, header('172.17.0.1, 203.0.113.7'));
      expect(misplaced.ok).toBe(false);
    });

    it('without the front address it cannot tell the front from the client both on 127.0.0.1: an address in the header fails', async () => {
      const outcome = await runCheck(check, ctx);
      expect(outcome.ok).toBe(false);
      expect(outcome.detail).toMatch(/nor anything in the header/);
    });
  });

  it('a fault check without topology controls fails, saying what it needs', async () => {
    const { controls: _none, ...bare } = ctx;
    const outcome = await runCheck(frozenPathDetected(), { ...bare, wsUrl: ctx.wsUrl });
    expect(outcome.ok).toBe(false);
    expect(outcome.detail).toMatch(/needs topology controls/);
  });

  describe('without an origin allow-list', () => {
    beforeAll(async () => {
      const port = app.port;
      await app.close();
      app = await startEchoServer({ host: '127.0.0.1', port, maxMessageSize: MAX, keepAliveInterval: 0 }, { logSink: () => {} });
    });

    it('hostile frames get 1009 and 1007 while another client keeps echoing', async () => {
      for (const [check, code] of [[oversizedFrameRefused(MAX), 1009], [invalidUtf8Refused(), 1007]] as const) {
        const outcome = await runCheck(check, ctx);
        expect(outcome.ok, outcome.detail).toBe(true);
        expect(outcome.measured?.closeCode).toBe(code);
        expect(outcome.measured?.othersReceived).toBeGreaterThanOrEqual(3);
      }
    });

    it('slow headers are cut at the front header timeout', async () => {
      const outcome = await runCheck(slowHeadersCut(1, 200), ctx);
      expect(outcome.ok, outcome.detail).toBe(true);
      expect(outcome.figure).toMatch(/answer "HTTP\/1\.1 408 Request Timeout"/);
    });

    it('hostile frames fail when the app did not count the echoes its client beside them got', async () => {
      const outcome = await runCheck(invalidUtf8Refused(), frozenEchoCounter(ctx));
      expect(outcome.ok).toBe(false);
      expect(outcome.measured?.othersReceived).toBeGreaterThanOrEqual(3);
      expect(outcome.measured?.othersAppEchoed).toBe(0);
      expect(outcome.figure).toMatch(/\(the app counted 0\)/);
    });

    const burst = { total: 300, concurrency: 50, settleMs: 100, settleWithinMs: 500 };

    /**
     * In-process the "app's" heap is this whole process (client, front and app together), so the
     * heap the check reads is given here: the real stats with heapUsed set per reading, from
     * `growth(n)` bytes per handshake above the first reading (n = 1, 2, … after it).
     */
    const heapGrowing = (growth: (reading: number) => number): CheckContext => {
      let reads = 0;
      let base = 0;
      return {
        ...ctx, wsUrl: ctx.wsUrl,
        appStats: async (read) => {
          const s = await ctx.appStats(read);
          if (!read?.collectGarbage) return s;
          const n = reads++;
          if (n === 0) base = s.memory.heapUsed;
          else s.memory.heapUsed = base + burst.total * growth(n);
          return s;
        },
      };
    };
    const over = HEAP_BYTES_PER_HANDSHAKE + 1_024;
    const under = HEAP_BYTES_PER_HANDSHAKE - 1_024;

    it('a burst of handshakes leaves the app serving; its heap counts after a forced GC, read again while above the bound', async () => {
      // Above the bound right after the burst, within it once settled. The settling (open
      // connections back, three forced collections settleMs apart) gets 2 s, not 0.5 s: a margin of
      // a second over what it takes, as the loop stalls 500–600 ms at times.
      const outcome = await runCheck(handshakeBurst({ ...burst, settleWithinMs: 2_000 }), heapGrowing((n) => (n <= 2 ? over : under)));
      expect(outcome.ok, outcome.detail).toBe(true);
      expect(outcome.measured?.succeeded).toBe(300);
      expect(outcome.measured?.heapReadings).toBeGreaterThanOrEqual(2);
      expect(outcome.measured?.heapCollected).toBe(1);
      expect(outcome.measured?.heapBytesPerHandshake).toBe(under);
      expect(outcome.figure).toContain(`(${under} B/handshake, bound ${HEAP_BYTES_PER_HANDSHAKE} B/handshake)`);
    });

    it('a burst fails when the heap stays above the bound per handshake, saying the bound', async () => {
      const outcome = await runCheck(handshakeBurst(burst), heapGrowing(() => over));
      expect(outcome.ok).toBe(false);
      expect(outcome.measured?.succeeded).toBe(300);
      expect(outcome.measured?.heapBytesPerHandshake).toBe(over);
      expect(outcome.figure).toContain(`(${over} B/handshake, bound ${HEAP_BYTES_PER_HANDSHAKE} B/handshake)`);
      expect(outcome.detail).toMatch(/heap growth ≤ 16384 B\/handshake \(4\.7 MiB for 300\)/);
    });

    it('a burst fails when the app cannot collect garbage on request, saying so', async () => {
      const uncollected: CheckContext = {
        ...ctx, wsUrl: ctx.wsUrl,
        appStats: async () => {
          const s = await ctx.appStats();
          return { ...s, memory: { rss: s.memory.rss, heapUsed: s.memory.heapUsed } };
        },
      };
      const outcome = await runCheck(handshakeBurst(burst), uncollected);
      expect(outcome.ok).toBe(false);
      expect(outcome.measured?.succeeded).toBe(300);
      expect(outcome.measured?.heapCollected).toBe(0);
      expect(outcome.detail).toMatch(/the app did not collect garbage on request/);
    });

    const restart = { clients: 2, recoveryBoundMs: 5_000, settleMs: 200 };

    it('the front restarts under sending clients: nothing lost or doubled, counted at both ends', async () => {
      const outcome = await runCheck(frontRestartLosesNothing(restart), ctx);
      console.log(`  in-process front restart: ${outcome.figure}`);
      expect(outcome.ok, outcome.detail).toBe(true);
      const m = outcome.measured ?? {};
      expect(m.sent).toBe(m.received);
      expect(m.sent).toBeGreaterThan(0);
      expect(m.appEchoed).toBeGreaterThanOrEqual((m.received ?? 0) + (m.duplicates ?? 0));
    });

    it('a front restart fails when the app echoed fewer messages than the clients counted', async () => {
      const outcome = await runCheck(frontRestartLosesNothing(restart), frozenEchoCounter(ctx));
      expect(outcome.ok).toBe(false);
      expect(outcome.measured?.sent).toBe(outcome.measured?.received);
      expect(outcome.measured?.appEchoed).toBe(0);
      expect(outcome.figure).toMatch(/the app echoed 0$/);
    });

    it('the app restarts behind the front: 502 from the front while it is down, then 101', async () => {
      const outcome = await runCheck(appRestartAnswered({ refusedWith: 502 }), ctx);
      console.log(`  in-process app restart: ${outcome.figure}`);
      expect(outcome.ok, outcome.detail).toBe(true);
    });

    it("fails 'held' against a front that refuses while the app is down, and a refusal status the front does not give", async () => {
      const held = await runCheck(appRestartAnswered('held'), ctx);
      expect(held.ok, held.detail).toBe(false);
      expect(held.figure).toMatch(/^refused: .*502×\d+/);
      const other = await runCheck(appRestartAnswered({ refusedWith: 503 }, 2_000), ctx);
      expect(other.ok, other.detail).toBe(false);
    });
  });
});

describe('refusalsAsExpected: the statuses an app restart may give, in order', () => {
  it("accepts the front's status, the app's own 503, and one 502 for the handshake in flight as the app stopped", () => {
    // httpd in CI: the first handshake caught as the app stopped, then 503s, then back.
    expect(refusalsAsExpected([101, 502, ...Array(16).fill(503), 101], 503)).toBe(true);
    expect(refusalsAsExpected([101, 503, 502, 502, 101], 502)).toBe(true);
  });

  it('refuses a 502 after the first refusal, any other status, and a run where the expected status never came', () => {
    expect(refusalsAsExpected([101, 503, 502, 503, 101], 503)).toBe(false);
    expect(refusalsAsExpected([101, 502, 502, 503, 101], 503)).toBe(false);
    expect(refusalsAsExpected([101, 504, 503, 101], 503)).toBe(false);
    expect(refusalsAsExpected([101, 502, 101], 503)).toBe(false);
    expect(refusalsAsExpected([101, 101], 502)).toBe(false);
  });
});

describe('refusalsAsExpected with the front\'s answer while the app\'s name does not resolve', () => {
  it("takes httpd's 500 (DNS lookup failure while the stopped container's name is gone) beside its 503s", () => {
    // Seen in a full run on a loaded machine: 101×3, 503×14, 500×1, then 101.
    expect(refusalsAsExpected([101, 503, 503, 500, 503, 101], 503, 500)).toBe(true);
    expect(refusalsAsExpected([101, 502, 503, 500, 101], 503, 500)).toBe(true);
  });

  it('still needs the front\'s own status, and takes no 500 from a front that has no such answer', () => {
    expect(refusalsAsExpected([101, 500, 500, 101], 503, 500)).toBe(false);
    expect(refusalsAsExpected([101, 503, 500, 101], 503)).toBe(false);
    expect(refusalsAsExpected([101, 502, 500, 502, 101], 502)).toBe(false);
  });
});

describe('describeAppDownAnswer', () => {
  it('names the status while down, and the other one while the name does not resolve where there is one', () => {
    expect(describeAppDownAnswer({ refusedWith: 502 })).toBe('502 while down');
    expect(describeAppDownAnswer({ refusedWith: 503, whileUnresolvable: 500 })).toBe('503 while down (500 while its name does not resolve)');
    expect(describeAppDownAnswer('held')).toBe('handshakes held until it is back');
  });
});

describe('heldAsExpected: the statuses an app restart may give behind a front that holds handshakes', () => {
  it('every handshake 101, or one 502 for the handshake in flight as the app stopped (seen with HAProxy: 502×1, 101×7)', () => {
    expect(heldAsExpected([101, 101, 101])).toBe(true);
    expect(heldAsExpected([101, 502, 101, 101])).toBe(true);
  });
  it('two refusals, or any other status, is not holding', () => {
    expect(heldAsExpected([101, 502, 502, 101])).toBe(false);
    expect(heldAsExpected([101, 503, 101])).toBe(false);
  });
});
