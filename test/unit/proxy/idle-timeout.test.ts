/**
 * The front's idle timeout: an idle WebSocket is cut at T (the client sees 1006, as behind
 * nginx); client pings every T/2.5 keep one open well past T. Both handling modes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpFrontHandle } from '../../../proxy/front.js';
import { closed, discard, nextMessage, open } from '../../../src/scenarios/check-helpers/client.js';
import { startQuietFront, startUpstream, type TestUpstream } from './upstream.js';

// 1 s: a pause of a few hundred ms in a loaded event loop must not look like idleness.
const IDLE_MS = 1_000;
const PING_EVERY_MS = IDLE_MS / 2.5;
const HOLD_MS = IDLE_MS * 3;
const TOLERANCE_MS = 1_000;

describe.each(['off', 'on'] as const)(`idle timeout ${IDLE_MS} ms, front WebSocket handling %s`, (websocket) => {
  let upstream: TestUpstream;
  let front: HttpFrontHandle;

  beforeAll(async () => {
    upstream = await startUpstream();
    front = await startQuietFront({ target: upstream.url, websocket, idleTimeout: IDLE_MS });
  });
  afterAll(async () => {
    await front.close();
    await upstream.close();
  });

  it(`cuts an idle connection within [${IDLE_MS}, ${IDLE_MS + TOLERANCE_MS}] ms with 1006`, async () => {
    const ws = await open(front.wsUrl());
    const started = performance.now();
    try {
      const cut = await closed(ws, IDLE_MS + TOLERANCE_MS + 2_000);
      expect(cut, 'not cut at all').toBeDefined();
      const after = (cut?.at ?? Infinity) - started;
      expect(after).toBeGreaterThanOrEqual(IDLE_MS - 20);
      expect(after).toBeLessThanOrEqual(IDLE_MS + TOLERANCE_MS);
      expect(cut?.code).toBe(1006);
      // Both legs are cut: the app's side of the connection goes too.
      await expect.poll(() => upstream.openWebSockets(), { timeout: 2_000 }).toBe(0);
    } finally {
      discard(ws);
    }
  });

  it(`keeps a connection with client pings every ${PING_EVERY_MS} ms open past ${HOLD_MS} ms, still echoing`, async () => {
    const ws = await open(front.wsUrl());
    let pongs = 0;
    ws.on('pong', () => { pongs += 1; });
    const pinger = setInterval(() => ws.ping(), PING_EVERY_MS);
    try {
      expect(await closed(ws, HOLD_MS)).toBeUndefined();
      const reply = nextMessage(ws);
      ws.send('still here');
      expect((await reply).data.toString()).toBe('still here');
      expect(pongs).toBeGreaterThanOrEqual(5);
    } finally {
      clearInterval(pinger);
      discard(ws);
    }
  });

  it('keeps a connection open while messages flow, and cuts it once they stop', async () => {
    const ws = await open(front.wsUrl());
    try {
      const started = performance.now();
      for (let i = 0; i < 6; i++) {
        await new Promise((resolve) => setTimeout(resolve, IDLE_MS / 2));
        const reply = nextMessage(ws);
        ws.send(`message ${i}`);
        expect((await reply).data.toString()).toBe(`message ${i}`);
      }
      expect(performance.now() - started).toBeGreaterThan(IDLE_MS * 2);
      const quiet = performance.now();
      const cut = await closed(ws, IDLE_MS + TOLERANCE_MS + 2_000);
      expect(cut?.code).toBe(1006);
      expect((cut?.at ?? Infinity) - quiet).toBeLessThanOrEqual(IDLE_MS + TOLERANCE_MS);
    } finally {
      discard(ws);
    }
  });
});

describe('idle timeout 0', () => {
  it('never cuts an idle connection', async () => {
    const upstream = await startUpstream();
    const front = await startQuietFront({ target: upstream.url, idleTimeout: 0 });
    const ws = await open(front.wsUrl());
    try {
      expect(await closed(ws, 1_000)).toBeUndefined();
    } finally {
      discard(ws);
      await front.close();
      await upstream.close();
    }
  });
});
