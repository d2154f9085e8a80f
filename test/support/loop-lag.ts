/**
 * How late this process's event loop ran while a timing test waited: the tolerance a timer-based
 * bound needs on a loaded machine. The test's client, server and timers share one loop, so each
 * timer in a chain (a ping timer, then a terminate timer, then the client's close event) may fire
 * up to the largest delay seen late; a bound adds that delay once per timer in its chain.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** Resolution of the sampling timer (ms): delays shorter than this are not told apart. */
const RESOLUTION_MS = 10;

export interface LoopLagWatch {
  /** The largest delay of a sampling timer seen so far, in ms (it includes the sampling interval, so it is never below it). */
  maxMs(): number;
  /** Stops watching; returns maxMs(). */
  stop(): number;
}

export function watchLoopLag(): LoopLagWatch {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  // Each sample is the sampling timer's whole delay (an idle loop reads about RESOLUTION_MS): a
  // timer due meanwhile fired at most that late. No sample yet: the interval itself.
  const maxMs = (): number => Math.max(RESOLUTION_MS, histogram.count > 0 ? histogram.max / 1e6 : 0);
  return {
    maxMs,
    stop: () => {
      const max = maxMs();
      histogram.disable();
      return max;
    },
  };
}

/** Blocks this thread's event loop for `ms` (a busy or starved process, on purpose): nothing else in it runs meanwhile. */
export function stallLoop(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) { /* stalled */ }
}
