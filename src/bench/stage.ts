/**
 * One step of a bench that starts containers of its own and removes them when it ends, also on
 * failure: `track` registers each part; they are stopped together at the end (the run's network
 * and labels stay the run's, see run-containers.ts).
 */
export type Track = <T extends { stop(): Promise<void> }>(part: T) => T;

/** A step's parts, registered as they start, and one stop for all of them. */
export interface Stage {
  track: Track;
  /** Stops every part registered so far, together; a part that fails to stop is reported and the others still stop. */
  stop(onStopFailure?: (err: unknown) => void): Promise<void>;
}

export function openStage(): Stage {
  const parts: { stop(): Promise<void> }[] = [];
  return {
    track: (part) => { parts.push(part); return part; },
    stop: async (onStopFailure = () => {}) => {
      await Promise.all(parts.splice(0).map((p) => p.stop().catch(onStopFailure)));
    },
  };
}

export async function stage<R>(body: (track: Track) => Promise<R>, onStopFailure: (err: unknown) => void = () => {}): Promise<R> {
  const step = openStage();
  try {
    return await body(step.track);
  } finally {
    await step.stop(onStopFailure);
  }
}
