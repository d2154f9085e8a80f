/** The keepalive bench's ping intervals and the windows its CPU is read over. */

/** The shortest window CPU is read over; a window is a whole number of ping intervals. */
export const MIN_WINDOW_MS = 10_000;

export function intervalMs(interval: string): number {
  return interval === 'none' ? 0 : Number(interval.slice(0, -1)) * 1_000;
}

/** The window CPU is read over: a whole number of intervals, at least MIN_WINDOW_MS. */
export function windowMs(pingIntervalMs: number): number {
  return pingIntervalMs === 0 ? MIN_WINDOW_MS : Math.ceil(MIN_WINDOW_MS / pingIntervalMs) * pingIntervalMs;
}
