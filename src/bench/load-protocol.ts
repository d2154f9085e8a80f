/** What the perf bench's main thread and its load workers say to each other. */

export interface LoadJob {
  url: string;
  clients: number;
  messageBytes: number;
  /** Epoch ms: start sending at startAt; count from startAt + warmupMs for durationMs. */
  startAt: number;
  warmupMs: number;
  durationMs: number;
}

export interface WorkerResult {
  clients: number;
  /** Echoes received inside the measured window. */
  messages: number;
  /** Their round trips, in microseconds. */
  latenciesUs: Float64Array;
  /** Event-loop utilization of the worker over the window (1 = never idle: the worker is saturated). */
  elu: number;
  errors: string[];
}

export type FromWorker = { type: 'ready' } | { type: 'done'; result: WorkerResult } | { type: 'failed'; error: string };
