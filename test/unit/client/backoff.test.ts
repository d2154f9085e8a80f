import { describe, expect, it } from 'vitest';
import { backoffDelay, baseDelay, resolveBackoff } from '../../../src/client/backoff.js';
import { ReconnectingClient } from '../../../src/client/reconnecting-client.js';

/** A seeded [0, 1) generator (mulberry32), so jittered schedules are reproducible. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('backoff', () => {
  const b = resolveBackoff({ initialMs: 100, maxMs: 2_000, factor: 2, jitter: 0.5 });

  it('doubles from initialMs and stops at maxMs', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => baseDelay(b, n))).toEqual([100, 200, 400, 800, 1600, 2000, 2000]);
  });

  it('jitter takes away at most its fraction: random 0 gives the base, random → 1 gives base·(1 - jitter)', () => {
    expect(backoffDelay(b, 3, () => 0)).toBe(400);
    expect(backoffDelay(b, 3, () => 0.999999)).toBe(200);
  });

  it('a seeded schedule stays within [base·(1 - jitter), base] and never above the cap', () => {
    const random = seeded(42);
    const delays = Array.from({ length: 12 }, (_, i) => backoffDelay(b, i + 1, random));
    delays.forEach((d, i) => {
      const base = baseDelay(b, i + 1);
      expect(d).toBeGreaterThanOrEqual(Math.floor(base * 0.5));
      expect(d).toBeLessThanOrEqual(base);
    });
    // Reproducible, and actually jittered (not all at the base).
    const again = seeded(42);
    expect(Array.from({ length: 12 }, (_, i) => backoffDelay(b, i + 1, again))).toEqual(delays);
    expect(delays.some((d, i) => d !== baseDelay(b, i + 1))).toBe(true);
  });

  it.each([
    [{ initialMs: 0 }, /backoff.initialMs is 0; it must be a number of milliseconds above 0/],
    [{ initialMs: 500, maxMs: 100 }, /backoff.maxMs is 100; it must be at least initialMs \(500\)/],
    [{ factor: 0.5 }, /backoff.factor is 0.5; it must be at least 1/],
    [{ jitter: 1.5 }, /backoff.jitter is 1.5; it must be between 0 and 1/],
    [{ jitter: Number.NaN }, /backoff.jitter is NaN/],
  ])('refuses %o', (given, message) => {
    expect(() => resolveBackoff(given)).toThrow(message);
  });

  it('the client validates its url and intervals', () => {
    expect(() => new ReconnectingClient({ url: 'http://x/ws' })).toThrow(/must start with ws:\/\/ or wss:\/\//);
    expect(() => new ReconnectingClient({ url: 'nope' })).toThrow(/is not a URL/);
    expect(() => new ReconnectingClient({ url: 'ws://x/ws', pingIntervalMs: -1 })).toThrow(/pingIntervalMs is -1/);
    expect(() => new ReconnectingClient({ url: 'ws://x/ws', backoff: { jitter: 2 } })).toThrow(/jitter is 2/);
  });
});
