/**
 * The checks' waits never end early by performance.now(), the clock the checks measure with: a
 * bare setTimeout(ms) may fire up to a millisecond before `ms` have passed by it (the event
 * loop's cached whole-millisecond clock), which once made freeze-hangs report a 400 ms hold of
 * less than 400 ms.
 */
import { WebSocketServer } from 'ws';
import WebSocket from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import { closed } from '../../../src/scenarios/check-helpers/client.js';
import { sleep, timerAtLeast } from '../../../src/scenarios/check-helpers/wait.js';

describe('waiting at least', () => {
  it('sleep(ms) never resolves before ms have passed by performance.now() (300 tries of 2 ms)', async () => {
    const short: number[] = [];
    for (let i = 0; i < 300; i++) {
      const started = performance.now();
      await sleep(2);
      const took = performance.now() - started;
      if (took < 2) short.push(took);
    }
    expect(short).toEqual([]);
  });

  it('timerAtLeast can be cancelled', async () => {
    let fired = false;
    const cancel = timerAtLeast(20, () => { fired = true; });
    cancel();
    await sleep(40);
    expect(fired).toBe(false);
  });

  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  afterAll(() => new Promise<void>((resolve) => { server.close(() => resolve()); }));

  it('closed(ws, ms) says "still open" only once ms have passed by performance.now() (100 tries of 2 ms)', async () => {
    await new Promise<void>((resolve) => { if (server.address()) resolve(); else server.once('listening', () => resolve()); });
    const { port } = server.address() as { port: number };
    const ws = new WebSocket(`ws://127.0.0.1:${port}`);
    await new Promise((resolve) => ws.once('open', resolve));
    const short: number[] = [];
    for (let i = 0; i < 100; i++) {
      const started = performance.now();
      expect(await closed(ws, 2)).toBeUndefined();
      const took = performance.now() - started;
      if (took < 2) short.push(took);
    }
    ws.close();
    expect(short).toEqual([]);
  });
});
