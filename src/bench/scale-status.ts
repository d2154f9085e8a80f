/** What a scale load generator (scale-generator.ts) answers on GET /status. */
export interface ScaleGeneratorStatus {
  /** Connections it was asked to open. */
  wanted: number;
  /** Opened (got their 101), counted once each. */
  opened: number;
  /** Failed to open, every attempt; the last error of any attempt. */
  failed: number;
  /** Handshakes tried again after a failed attempt, by the attempt's error. */
  retried: number;
  retryErrors: Record<string, number>;
  lastError: string | null;
  /** Closes of opened connections, from the first open on, and their codes. */
  dropped: number;
  closeCodes: Record<string, number>;
  /** Still opening; once done, how long opening took. */
  opening: boolean;
  openSeconds: number;
}
