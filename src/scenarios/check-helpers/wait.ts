/** Waiting in checks: a plain pause, and polling a condition with a bound. */

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
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
