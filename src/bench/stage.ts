/**
 * One step of a bench that starts containers of its own and removes them when it ends, also on
 * failure: `track` registers each part; they are stopped together at the end (the run's network
 * and labels stay the run's, see run-containers.ts).
 */
export type Track = <T extends { stop(): Promise<void> }>(part: T) => T;

export async function stage<R>(body: (track: Track) => Promise<R>, onStopFailure: (err: unknown) => void = () => {}): Promise<R> {
  const parts: { stop(): Promise<void> }[] = [];
  try {
    return await body((part) => { parts.push(part); return part; });
  } finally {
    await Promise.all(parts.map((p) => p.stop().catch(onStopFailure)));
  }
}
