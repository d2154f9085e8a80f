/**
 * The perf bench's load generator: `clients` WebSockets spread over `workers` threads, each in a
 * closed loop (send, wait for the echo, send again). Reports throughput, latency percentiles,
 * and how busy the generator was (each worker's event-loop utilization, the process's CPU), so
 * a run can show that the generator was not the bottleneck.
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { FromWorker, LoadJob, WorkerResult } from './load-protocol.js';

export interface LoadSpec {
  url: string;
  clients: number;
  workers: number;
  messageBytes: number;
  warmupMs: number;
  durationMs: number;
  /** Called as the measured window opens and closes (to read the servers' CPU over it). */
  onWindow?: (phase: 'start' | 'end') => Promise<void>;
}

export interface LoadResult {
  url: string;
  clients: number;
  workers: number;
  messages: number;
  messagesPerSecond: number;
  latencyMs: { p50: number; p99: number; mean: number; max: number };
  /** Each worker's event-loop utilization over the window (0–1; 1 = saturated). */
  workerElu: number[];
  /** The whole generator process's CPU over the window, in % of one core (all threads). */
  generatorCpuPercent: number;
  errors: string[];
}

/** The worker bundle sits next to the bench bundle in dist/. */
function workerFile(): URL {
  const url = new URL('./bench-load-worker.mjs', import.meta.url);
  if (!existsSync(url)) throw new Error(`${url.pathname} is missing: run \`node scripts/build.mjs --bundles\` (npm run bench:perf does)`);
  return url;
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

function runWorker(job: LoadJob, ready: () => void): { done: Promise<WorkerResult>; worker: Worker } {
  const worker = new Worker(workerFile(), { workerData: job });
  const done = new Promise<WorkerResult>((resolve, reject) => {
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'ready') ready();
      else if (m.type === 'done') resolve(m.result);
      else reject(new Error(`load worker: ${m.error}`));
    });
    worker.on('error', reject);
    worker.on('exit', (code) => reject(new Error(`load worker exited with ${code} before reporting`)));
  });
  return { done: done.finally(() => void worker.terminate()), worker };
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  if (spec.clients < spec.workers) throw new Error(`need at least one client per worker (${spec.clients} clients, ${spec.workers} workers)`);
  // Connecting takes a moment: start everyone together once all clients are open.
  const startAt = Date.now() + 1_000 + spec.clients * 5;
  let readyCount = 0;
  let allReady!: () => void;
  const everyoneReady = new Promise<void>((r) => { allReady = r; });
  const runs = Array.from({ length: spec.workers }, (_, i) => {
    const clients = Math.floor(spec.clients / spec.workers) + (i < spec.clients % spec.workers ? 1 : 0);
    return runWorker({ url: spec.url, clients, messageBytes: spec.messageBytes, startAt, warmupMs: spec.warmupMs, durationMs: spec.durationMs }, () => {
      readyCount += 1;
      if (readyCount === spec.workers) allReady();
    });
  });
  const results = Promise.all(runs.map((r) => r.done));
  results.catch(() => {});
  await Promise.race([everyoneReady, results]);
  if (Date.now() > startAt) throw new Error(`the load workers took too long to open ${spec.clients} clients to ${spec.url}`);
  // The process's CPU over the measured window (every thread together).
  const windowStart = startAt + spec.warmupMs;
  await new Promise((r) => setTimeout(r, windowStart - Date.now()));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await spec.onWindow?.('start');
  await new Promise((r) => setTimeout(r, spec.durationMs - (performance.now() - t0)));
  const cpu = process.cpuUsage(cpu0);
  await spec.onWindow?.('end');
  const generatorCpuPercent = ((cpu.user + cpu.system) / 1000 / (performance.now() - t0)) * 100;
  const done = await results;
  const messages = done.reduce((n, r) => n + r.messages, 0);
  const all = new Float64Array(messages);
  let offset = 0;
  for (const r of done) { all.set(r.latenciesUs, offset); offset += r.latenciesUs.length; }
  all.sort();
  const sum = all.reduce((a, b) => a + b, 0);
  return {
    url: spec.url,
    clients: spec.clients,
    workers: spec.workers,
    messages,
    messagesPerSecond: messages / (spec.durationMs / 1000),
    latencyMs: {
      p50: percentile(all, 50) / 1000,
      p99: percentile(all, 99) / 1000,
      mean: messages > 0 ? sum / messages / 1000 : NaN,
      max: messages > 0 ? (all[messages - 1] as number) / 1000 : NaN,
    },
    workerElu: done.map((r) => r.elu),
    generatorCpuPercent,
    errors: done.flatMap((r) => r.errors),
  };
}
