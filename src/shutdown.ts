/**
 * How the long-running commands (`serve`, `front`) stop: wait for SIGTERM or SIGINT, close,
 * and exit anyway (code 1) when closing takes longer than its bound.
 */

/** How long closing may take before the process exits anyway (the "exit within 5 s"). */
export const STOP_BOUND_MS = 5_000;

/** Resolves with the first of SIGTERM and SIGINT; both listeners are removed then. */
export function nextStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      resolve(signal);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

/**
 * Runs `close`; if it has not settled within `boundMs`, says so through `report` and exits the
 * process with code 1, so a stuck socket never keeps a stopped service alive.
 */
export async function closeWithin(close: () => Promise<void>, report: (line: string) => void, boundMs = STOP_BOUND_MS): Promise<void> {
  const timer = setTimeout(() => {
    report(`still closing after ${boundMs} ms, exiting anyway`);
    process.exit(1);
  }, boundMs);
  timer.unref();
  try {
    await close();
  } finally {
    clearTimeout(timer);
  }
}
