/**
 * One load-generator thread of the perf bench (dist/bench-load-worker.mjs): opens its share of
 * the clients, then each client sends a text message, waits for its echo, and sends the next
 * (closed loop), recording round trips inside the measured window only.
 */
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';
import type { FromWorker, LoadJob, WorkerResult } from './load-protocol.js';

const job = workerData as LoadJob;
const post = (m: FromWorker): void => parentPort?.postMessage(m);

function openClient(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: 10_000 });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

async function main(): Promise<void> {
  const sockets: WebSocket[] = [];
  for (let i = 0; i < job.clients; i += 16) {
    const batch = Math.min(16, job.clients - i);
    sockets.push(...(await Promise.all(Array.from({ length: batch }, () => openClient(job.url)))));
  }
  post({ type: 'ready' });
  const payload = Buffer.alloc(job.messageBytes, 'x');
  // Wall-clock phases from the shared start time, then measured on this thread's clock.
  const t0 = performance.now() + (job.startAt - Date.now());
  const windowStart = t0 + job.warmupMs;
  const windowEnd = windowStart + job.durationMs;
  const latencies = new Float64Array(Math.max(1024, Math.ceil(job.durationMs * 200)));
  let count = 0;
  let store = latencies;
  const errors: string[] = [];
  let stopping = false;
  let inFlight = 0;
  let eluStart: ReturnType<typeof performance.eventLoopUtilization> | undefined;
  let eluEnd: ReturnType<typeof performance.eventLoopUtilization> | undefined;

  await new Promise((r) => setTimeout(r, Math.max(0, t0 - performance.now())));
  setTimeout(() => { eluStart = performance.eventLoopUtilization(); }, Math.max(0, windowStart - performance.now()));
  const finished = new Promise<void>((resolve) => {
    setTimeout(() => {
      eluEnd = performance.eventLoopUtilization();
      stopping = true;
      const check = setInterval(() => { if (inFlight === 0) { clearInterval(check); resolve(); } }, 5);
      setTimeout(() => { clearInterval(check); resolve(); }, 2_000);
    }, Math.max(0, windowEnd - performance.now()));
  });

  for (const ws of sockets) {
    let sentAt = 0;
    const send = (): void => {
      if (stopping || ws.readyState !== WebSocket.OPEN) return;
      sentAt = performance.now();
      inFlight += 1;
      ws.send(payload, { binary: false });
    };
    ws.on('message', () => {
      inFlight -= 1;
      const now = performance.now();
      if (sentAt >= windowStart && now <= windowEnd) {
        if (count === store.length) {
          const bigger = new Float64Array(store.length * 2);
          bigger.set(store);
          store = bigger;
        }
        store[count++] = (now - sentAt) * 1000;
      }
      send();
    });
    ws.on('close', (code) => { if (!stopping) errors.push(`a client closed with ${code} during the run`); });
    ws.on('error', (e) => errors.push(e.message));
    send();
  }
  await finished;
  for (const ws of sockets) ws.terminate();
  const elu = eluStart && eluEnd ? performance.eventLoopUtilization(eluEnd, eluStart).utilization : NaN;
  const result: WorkerResult = { clients: sockets.length, messages: count, latenciesUs: store.slice(0, count), elu, errors: errors.slice(0, 5) };
  post({ type: 'done', result });
}

main().catch((e: unknown) => post({ type: 'failed', error: e instanceof Error ? e.message : String(e) }));
