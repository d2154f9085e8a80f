/** Waiting in checks: a pause, a timer that never fires early, and polling a condition with a bound. */

/**
 * Calls `fire` once `ms` have passed by performance.now(), the clock every check measures with;
 * returns a function that cancels it. Node's timers count whole milliseconds of the event loop's
 * cached clock, so a bare setTimeout(ms) may fire up to a millisecond before `ms` have passed by
 * performance.now() (measured here: setTimeout(5) came after 4.16 ms, once in 200), and a
 * check that says "held for 400 ms" must have held that long. So the timer is set again for
 * what is left, until nothing is.
 */
export function timerAtLeast(ms: number, fire: () => void): () => void {
  const due = performance.now() + ms;
  let timer: ReturnType<typeof setTimeout>;
  const check = (): void => {
    const left = due - performance.now();
    if (left <= 0) fire();
    else timer = setTimeout(check, Math.ceil(left));
  };
  timer = setTimeout(check, ms);
  return () => clearTimeout(timer);
}

/** Resolves once `ms` have passed by performance.now() (never before: timerAtLeast). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => { timerAtLeast(ms, resolve); });
}

/** Polls `probe` every `everyMs` until it is true; the time it took, or undefined after `timeoutMs`. */
export async function within(timeoutMs: number, everyMs: number, probe: () => Promise<boolean> | boolean): Promise<number | undefined> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (await probe()) return performance.now() - started;
    await sleep(everyMs);
  }
  return undefined;
}
