/**
 * Reconnect delays: exponential backoff with jitter and a cap. Attempt n (1-based) waits
 * base(n) = min(maxMs, initialMs · factor^(n-1)), shortened by up to `jitter` of itself at random:
 * a delay in [base(n) · (1 - jitter), base(n)]. Spreading the delays keeps a crowd of clients
 * that lost the same front from reconnecting in one burst.
 *
 * Pure (no Node APIs): the echo page uses it too, bundled for the browser (src/echo/page-reconnect.ts).
 */

export interface BackoffOptions {
  /** The first delay, in ms. */
  initialMs: number;
  /** No delay is longer than this, in ms. */
  maxMs: number;
  /** Each attempt's base delay is the previous one times this (≥ 1). */
  factor: number;
  /** The fraction of a delay taken away at random, 0 (none) to 1 (anything down to 0). */
  jitter: number;
}

export const DEFAULT_BACKOFF: Readonly<BackoffOptions> = { initialMs: 250, maxMs: 10_000, factor: 2, jitter: 0.5 };

function requireNumber(name: string, value: number, ok: boolean, allowed: string): void {
  if (!Number.isFinite(value) || !ok) {
    throw new RangeError(`reconnecting client: backoff.${name} is ${String(value)}; it must be ${allowed}`);
  }
}

/** Completes and validates backoff options; a bad value is an error naming it and what is allowed. */
export function resolveBackoff(given: Partial<BackoffOptions> = {}): BackoffOptions {
  const b = { ...DEFAULT_BACKOFF, ...given };
  requireNumber('initialMs', b.initialMs, b.initialMs > 0, 'a number of milliseconds above 0, such as 250');
  requireNumber('maxMs', b.maxMs, b.maxMs >= b.initialMs, `at least initialMs (${b.initialMs})`);
  requireNumber('factor', b.factor, b.factor >= 1, 'at least 1 (1 = a constant delay)');
  requireNumber('jitter', b.jitter, b.jitter >= 0 && b.jitter <= 1, 'between 0 and 1');
  return b;
}

/** The base delay of attempt n (1-based), before jitter. */
export function baseDelay(b: BackoffOptions, attempt: number): number {
  return Math.min(b.maxMs, b.initialMs * b.factor ** Math.max(0, attempt - 1));
}

/** The delay before attempt n; `random` returns [0, 1) (Math.random, or a seeded one in tests). */
export function backoffDelay(b: BackoffOptions, attempt: number, random: () => number = Math.random): number {
  const base = baseDelay(b, attempt);
  return Math.round(base * (1 - b.jitter * random()));
}
