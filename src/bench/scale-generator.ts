/**
 * The scale benches' load generator, run in the node image as a container of its own on the
 * bench network (dist/bench-scale-generator.mjs): each generator has its own address, so its
 * connections do not share one host's ports and open-files limit with the others'.
 *
 * It opens SCALE_COUNT WebSockets, SCALE_BATCH at a time, spread round robin over the URLs in
 * SCALE_TARGETS (a failed handshake is tried again, twice at most, and counted), and holds them (answering the app's pings, as every ws client does). From the
 * first open on, every close is counted as a drop, with its code. GET /status answers what it
 * counted (ScaleGeneratorStatus); GET /healthz answers once it listens, as the app does. Its
 * WebSockets are idle-websocket.ts's: they answer pings and nothing else, at a fraction of a
 * full client's CPU.
 */
import { createServer } from 'node:http';
import { openIdleWebSocket, type IdleWebSocket } from './idle-websocket.js';
import type { ScaleGeneratorStatus } from './scale-status.js';

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    console.error(`bench-scale-generator: ${name} is not set`);
    process.exit(2);
  }
  return value;
}

const targets = required('SCALE_TARGETS').split(',').filter(Boolean);
const count = Number(required('SCALE_COUNT'));
const batch = Number(process.env.SCALE_BATCH ?? 200);

const status: ScaleGeneratorStatus = {
  wanted: count, opened: 0, failed: 0, retried: 0, retryErrors: {}, lastError: null, dropped: 0, closeCodes: {}, opening: true, openSeconds: 0,
};
const sockets: IdleWebSocket[] = [];

/** A handshake that fails is tried again this many times (counted), as a client reconnects. */
const ATTEMPTS = 3;

/** Counts a close of an opened connection as a drop, with its code. */
function dropped(code: number): void {
  status.dropped += 1;
  status.closeCodes[code] = (status.closeCodes[code] ?? 0) + 1;
}

async function openOne(url: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const outcome = await openIdleWebSocket(url, { onClose: dropped }, 30_000).catch((err: Error) => err);
    if (!(outcome instanceof Error)) {
      status.opened += 1;
      sockets.push(outcome);
      return;
    }
    status.lastError = outcome.message;
    if (attempt >= ATTEMPTS) {
      status.failed += 1;
      return;
    }
    status.retried += 1;
    status.retryErrors[outcome.message] = (status.retryErrors[outcome.message] ?? 0) + 1;
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

async function openAll(): Promise<void> {
  const started = performance.now();
  for (let i = 0; i < count; i += batch) {
    const size = Math.min(batch, count - i);
    await Promise.all(Array.from({ length: size }, (_, j) => openOne(targets[(i + j) % targets.length] as string)));
  }
  status.openSeconds = (performance.now() - started) / 1000;
  status.opening = false;
}

const server = createServer((req, res) => {
  if (req.url === '/healthz') { res.end('ok'); return; }
  if (req.url === '/status') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(status));
    return;
  }
  res.statusCode = 404;
  res.end();
});
server.listen(Number(process.env.ECHO_PORT ?? 8080), process.env.ECHO_HOST ?? '0.0.0.0', () => {
  console.log(`scale generator: ${count} WebSockets to ${targets.join(', ')}, ${batch} at a time`);
  void openAll();
});
process.once('SIGTERM', () => {
  for (const ws of sockets) ws.destroy();
  process.exit(0);
});
