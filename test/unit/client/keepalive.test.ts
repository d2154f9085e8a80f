/**
 * The keepalive's judgement of a missing pong while this process's loop is stalled, as a busy or
 * starved process's loop is: the peer answers from another thread (its pong arrives during the
 * stall) or from this one (it reads the ping only after the stall). The tick that runs once the
 * loop is free must not drop the peer for a pong that is here or on its way; a peer that really
 * stays silent is still dropped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { WebSocketServer, type WebSocket } from 'ws';
import { PONG_GRACE_MS, startKeepalive } from '../../../src/client/keepalive.js';
import { projectPath } from '../../../src/paths.js';
import { stallLoop } from '../../support/loop-lag.js';
import { openClient, sleep } from '../echo/helpers.js';

const INTERVAL_MS = 200;

/** A ws server in a worker thread (it answers pings while this thread is blocked); `autoPong` off: a silent peer. */
function startPeerThread(autoPong: boolean): Promise<{ port: number; stop(): Promise<number> }> {
  const worker = new Worker(`
    const { parentPort, workerData } = require('node:worker_threads');
    const { WebSocketServer } = require('ws');
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, autoPong: workerData.autoPong });
    wss.on('listening', () => parentPort.postMessage(wss.address().port));
  `, { eval: true, workerData: { autoPong } });
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (port: number) => resolve({ port, stop: () => worker.terminate() }));
  });
}

const connect = (port: number): Promise<WebSocket> => openClient(`ws://127.0.0.1:${port}/`);

/**
 * Keeps `ws` alive, blocks this loop for 1.5 intervals right after the first ping, and reports
 * the judgement of the tick that runs after the stall: the peer dropped, or pinged again (the
 * keepalive is stopped there, so later pings do not depend on how this machine runs the peer).
 */
async function judgedAfterStall(ws: WebSocket): Promise<{ dropped: boolean; pongs: number }> {
  let pongs = 0;
  let pings = 0;
  let stop = (): void => {};
  const judged = new Promise<boolean>((resolve) => {
    stop = startKeepalive(ws, INTERVAL_MS, {
      onPing: () => {
        if (++pings === 1) setImmediate(() => stallLoop(1.5 * INTERVAL_MS));
        else resolve(false);
      },
      onPong: () => { pongs++; },
      onTimeout: () => resolve(true),
    });
  });
  try {
    const dropped = await Promise.race([judged, sleep(10 * INTERVAL_MS).then(() => { throw new Error('no judgement within 10 intervals'); })]);
    return { dropped, pongs };
  } finally {
    stop();
  }
}

describe('keepalive judges a missing pong only after this process has run', () => {
  let answering: Awaited<ReturnType<typeof startPeerThread>>;
  let silent: Awaited<ReturnType<typeof startPeerThread>>;
  beforeAll(async () => { [answering, silent] = await Promise.all([startPeerThread(true), startPeerThread(false)]); });
  afterAll(async () => { await Promise.all([answering.stop(), silent.stop()]); });

  it('keeps a peer whose pong arrived while the loop was stalled past the next tick', async () => {
    const ws = await connect(answering.port);
    // The peer's thread answers the ping while this loop is blocked past the next tick, so that
    // tick runs before this turn reads the pong.
    expect(await judgedAfterStall(ws), 'the judgement after the stall').toEqual({ dropped: false, pongs: 1 });
    expect(ws.readyState).toBe(ws.OPEN);
    ws.close();
  });

  it('keeps a peer in this very thread, which could read the ping only once the stall ended', async () => {
    // The peer shares the stalled loop (the in-process tests' app does): its pong is written only
    // after the stall, through a few more turns of the loop, within the grace.
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    try {
      const ws = await connect((wss.address() as AddressInfo).port);
      expect(await judgedAfterStall(ws), 'the judgement after the stall').toEqual({ dropped: false, pongs: 1 });
      expect(ws.readyState).toBe(ws.OPEN);
      ws.close();
    } finally {
      await new Promise<void>((resolve) => { for (const c of wss.clients) c.terminate(); wss.close(() => resolve()); });
    }
  });

  it('arms the grace once more when the loop stalled again before it ran out, and keeps the peer whose pong came meanwhile', async () => {
    // A stand-in socket: the first pong is emitted when this test says so, the later ones at once.
    let answering = false;
    const socket = new EventEmitter();
    const ws = Object.assign(socket, {
      OPEN: 1, readyState: 1,
      ping() { if (answering) setImmediate(() => socket.emit('pong')); },
      terminate() { ws.readyState = 3; socket.emit('close'); },
    });
    let timeouts = 0;
    let pings = 0;
    let stop = (): void => {};
    // The judgement after the stall: the second ping (the re-armed grace found the pong and
    // pinged again) or the drop, whichever comes; not a fixed sleep, which a loaded machine
    // outran while this chain of late timers was still under way.
    const judged = new Promise<'pinged again' | 'dropped'>((resolve) => {
      stop = startKeepalive(ws as unknown as WebSocket, INTERVAL_MS, {
        onPing: () => {
          // After the first ping: the next tick (one interval on) finds no pong and arms the grace;
          // just after it the loop stalls past the grace, in the turn's last phase, so the next
          // turn runs the grace timer before it reads the pong that came during the stall.
          if (++pings === 1) {
            setTimeout(() => setImmediate(() => {
              stallLoop(3 * PONG_GRACE_MS);
              setImmediate(() => { answering = true; socket.emit('pong'); });
            }), INTERVAL_MS + 5);
          } else {
            resolve('pinged again');
          }
        },
        onTimeout: () => { timeouts++; resolve('dropped'); },
      });
    });
    try {
      const judgement = await Promise.race([judged, sleep(10 * INTERVAL_MS).then(() => { throw new Error('no judgement within 10 intervals'); })]);
      expect(judgement, 'dropped by a grace timer that fired late').toBe('pinged again');
      expect(timeouts).toBe(0);
      expect(ws.readyState).toBe(1);
      expect(pings).toBe(2);
    } finally {
      stop();
    }
  });

  it('still drops a silent peer, one interval and the grace after the ping it missed', async () => {
    const ws = await connect(silent.port);
    // The timers count from the loop's time, read when its turn began; a clock read inside the
    // ping's callback trails it by whatever that turn ran first (other callbacks, a collection),
    // 6 ms once. That lag is bounded by how late the ping's tick ran past its due time, and its
    // due time is at least one interval after `armedBefore`, read in a turn before the one that
    // started the keepalive (less the loop time's whole millisecond).
    const armedBefore = performance.now();
    await new Promise((r) => setTimeout(r, 0));
    let pingAt = 0;
    const dropped = new Promise<number>((resolve) => {
      startKeepalive(ws, INTERVAL_MS, { onPing: () => { pingAt ||= performance.now(); }, onTimeout: () => resolve(performance.now()) });
    });
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    const droppedAt = await dropped;
    expect(pingAt).toBeGreaterThan(0);
    const pingReadLate = Math.max(0, pingAt - (armedBefore - 1 + INTERVAL_MS));
    // The next tick comes one interval after the ping's tick (never early, less the clock's whole
    // millisecond), and the grace timer PONG_GRACE_MS after that.
    expect(droppedAt - pingAt).toBeGreaterThanOrEqual(INTERVAL_MS + PONG_GRACE_MS - 2 - pingReadLate);
    expect(await closed).toBe(1006);
  });

  it('is stated in the faults page with the grace it has', () => {
    const page = readFileSync(projectPath('docs/faults.md'), 'utf8').replace(/\s+/g, ' ');
    expect(page).toContain(`has run for ${PONG_GRACE_MS} ms after that tick`);
  });
});
