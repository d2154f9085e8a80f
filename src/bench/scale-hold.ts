/**
 * The hold of bench:scale: the fronts' idle timeout set from the app's ping interval, and
 * whether a hold shows that the pings, and nothing else, keep the connections open.
 */

/**
 * The fronts' idle timeout, in ping intervals: a ping comes every interval, so the timeout is
 * never reached while the app pings (half an interval to spare for a loaded loop), and it is
 * short enough that a hold longer than it shows the pings at work (30 s pings: 45 s).
 */
export const IDLE_TIMEOUT_PER_PING_INTERVAL = 1.5;

/** The fronts' idle timeout for an app that pings every `pingIntervalMs`, in whole seconds. */
export function holdIdleTimeoutSeconds(pingIntervalMs: number): number {
  return Math.ceil((IDLE_TIMEOUT_PER_PING_INTERVAL * pingIntervalMs) / 1000);
}

/**
 * Every connection is held at least `holdMs` (the hold starts once the last one opened): only
 * when that is longer than the idle timeout would each have been cut without the pings.
 */
export function holdShowsPings(holdMs: number, pingIntervalMs: number): boolean {
  return holdMs > holdIdleTimeoutSeconds(pingIntervalMs) * 1000;
}

/** What the hold shows, in words for the docs' list of conditions. */
export function holdClaim(holdMs: number, pingIntervalMs: number): string {
  const idle = holdIdleTimeoutSeconds(pingIntervalMs);
  const pings = `the app pings every ${pingIntervalMs / 1000} s, each front's idle timeout is ${idle} s`;
  return holdShowsPings(holdMs, pingIntervalMs)
    ? `${pings}, and every connection is held at least ${holdMs / 1000} s: only the pings keep them open`
    : `${pings}, longer than the ${holdMs / 1000} s hold: the hold does not show that the pings keep them open`;
}
