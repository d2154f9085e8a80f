/**
 * Connecting to the app is bounded: against an app whose connects hang (a listener whose accept
 * queue is full drops every further SYN, as an address whose network just went away swallows
 * them), the front answers 504 once --connect-timeout passes, for a plain request and an
 * upgrade alike; with the bound off the request is still waiting long after it.
 */
import { connect as connectTcp, type Socket } from 'node:net';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpFrontHandle } from '../../../proxy/front.js';
import { FRONT_IDENTITY } from '../../../proxy/identity.js';
import { CLOCK_ALLOWANCE_MS } from '../../../src/scenarios/checks/idle.js';
import { connect, discard } from '../../../src/scenarios/check-helpers/client.js';
import { startQuietFront } from './upstream.js';

const CONNECT_TIMEOUT_MS = 300;
/**
 * The answer after the timer: a few turns of the front's loop and the client's (same process),
 * with a margin of a second over them, as the loop stalls 500–600 ms at times.
 */
const ANSWER_WITHIN_MS = 1_500;

interface HangingApp { url: string; close(): Promise<void> }

/**
 * A listener with a backlog of 1 in a thread that never runs its loop (it waits on a shared
 * word), so nothing is ever accepted: once its queue holds what it can, further connects hang.
 */
async function startHangingApp(): Promise<HangingApp> {
  const wake = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(`
    const { parentPort, workerData } = require('node:worker_threads');
    const server = require('node:net').createServer();
    server.listen({ host: '127.0.0.1', port: 0, backlog: 1 }, () => {
      parentPort.postMessage(server.address().port);
      setImmediate(() => { Atomics.wait(workerData.wake, 0, 0); process.exit(0); });
    });
  `, { eval: true, workerData: { wake } });
  const port = await new Promise<number>((resolve, reject) => { worker.once('message', resolve); worker.once('error', reject); });
  // Fill the accept queue: these complete in the kernel (or hang, once it is full).
  const fillers: Socket[] = Array.from({ length: 4 }, () => connectTcp(port, '127.0.0.1').on('error', () => {}));
  await new Promise((r) => setTimeout(r, 200));
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const s of fillers) s.destroy();
      Atomics.store(wake, 0, 1);
      Atomics.notify(wake, 0);
      await new Promise((resolve) => worker.once('exit', resolve));
    },
  };
}

describe('the front gives up connecting to an app whose connects hang', () => {
  let app: HangingApp;
  let front: HttpFrontHandle;
  let unbounded: HttpFrontHandle;
  beforeAll(async () => {
    app = await startHangingApp();
    front = await startQuietFront({ target: app.url, connectTimeout: CONNECT_TIMEOUT_MS, idleTimeout: 10_000 });
    unbounded = await startQuietFront({ target: app.url, connectTimeout: 0, idleTimeout: 10_000 });
  });
  afterAll(async () => { await front.close(); await unbounded.close(); await app.close(); });

  it('answers a plain GET with its own 504 once the connect timeout passes', async () => {
    const started = performance.now();
    const res = await fetch(`${front.url}/healthz`);
    const tookMs = performance.now() - started;
    expect(res.status).toBe(504);
    expect(res.headers.get('x-front')).toBe(FRONT_IDENTITY);
    expect(await res.text()).toContain(`could not connect to ${app.url} within ${CONNECT_TIMEOUT_MS} ms`);
    expect(tookMs).toBeGreaterThanOrEqual(CONNECT_TIMEOUT_MS - CLOCK_ALLOWANCE_MS);
    expect(tookMs).toBeLessThan(CONNECT_TIMEOUT_MS + ANSWER_WITHIN_MS);
  });

  it('answers a handshake with its own 504 once the connect timeout passes', async () => {
    const started = performance.now();
    const outcome = await connect(front.wsUrl());
    const tookMs = performance.now() - started;
    discard(outcome.socket);
    expect(outcome.status).toBe(504);
    expect(outcome.headers['x-front']).toBe(FRONT_IDENTITY);
    expect(outcome.body).toContain(`could not connect to ${app.url}`);
    expect(tookMs).toBeGreaterThanOrEqual(CONNECT_TIMEOUT_MS - CLOCK_ALLOWANCE_MS);
    expect(tookMs).toBeLessThan(CONNECT_TIMEOUT_MS + ANSWER_WITHIN_MS);
  });

  it('with --connect-timeout 0 the handshake is still waiting at three times the bound', async () => {
    const outcome = await Promise.race([
      connect(unbounded.wsUrl()).then((o) => { discard(o.socket); return `answered ${o.status}`; }),
      new Promise<string>((r) => setTimeout(() => r('still waiting'), 3 * CONNECT_TIMEOUT_MS)),
    ]);
    expect(outcome).toBe('still waiting');
  });
});
