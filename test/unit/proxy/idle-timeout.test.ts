/**
 * The front's idle timeout: an idle WebSocket is cut at T (the client sees 1006, as behind
 * nginx); client pings, or messages, every T/5 keep one open past 2T. Both handling modes. Every
 * test has its own app and front (one counts the app's open WebSockets), so all run side by side.
 */
import { describe, expect, it } from 'vitest';
import type { HttpFrontHandle } from '../../../proxy/front.js';
import { closed, connect, discard, nextMessage, open } from '../../../src/scenarios/check-helpers/client.js';
import { CLOCK_ALLOWANCE_MS } from '../../../src/scenarios/checks/idle.js';
import { startQuietFront, startUpstream, type TestUpstream } from './upstream.js';

const IDLE_MS = 1_000;
// The tests that keep a connection busy run against 1.5 s, with a ping or a message every 300 ms:
// it stays open unless this process, the front's too, stalls for the 1.2 s between one and the
// timeout; the loop stalls 500–600 ms at times.
const BUSY_IDLE_MS = 1_500;
const BUSY_EVERY_MS = 300;
const HOLD_MS = 2 * BUSY_IDLE_MS;
/** How late the cut may come, counted from the 101 the client read: the loop stalls 500–600 ms at times. */
const TOLERANCE_MS = 1_500;

async function withFront<T>(options: { websocket?: 'off' | 'on'; idleTimeout: number }, fn: (front: HttpFrontHandle, upstream: TestUpstream) => Promise<T>): Promise<T> {
  const upstream = await startUpstream();
  const front = await startQuietFront({ target: upstream.url, ...options });
  try {
    return await fn(front, upstream);
  } finally {
    await front.close();
    await upstream.close();
  }
}

describe.concurrent(`idle timeout ${IDLE_MS} ms`, () => {
  describe.each(['off', 'on'] as const)('front WebSocket handling %s', (websocket) => {
    it(`cuts an idle connection with 1006: at least ${IDLE_MS} ms after the handshake request, at most ${IDLE_MS + TOLERANCE_MS} ms after the 101`, async ({ expect }) => {
      await withFront({ websocket, idleTimeout: IDLE_MS }, async (front, upstream) => {
        // The front's timer starts between the request sent and the 101 read: judged from both ends.
        const handshake = await connect(front.wsUrl());
        const ws = handshake.socket;
        try {
          expect(ws, handshake.error).toBeDefined();
          const cut = await closed(ws as NonNullable<typeof ws>, IDLE_MS + TOLERANCE_MS + 2_000);
          expect(cut, 'not cut at all').toBeDefined();
          const at = cut?.at ?? Infinity;
          expect(at - (handshake.requestSentAt ?? Infinity)).toBeGreaterThanOrEqual(IDLE_MS - CLOCK_ALLOWANCE_MS);
          expect(at - (handshake.responseAt ?? -Infinity)).toBeLessThanOrEqual(IDLE_MS + TOLERANCE_MS);
          expect(cut?.code).toBe(1006);
          // Both legs are cut: the app's side of the connection goes too.
          await expect.poll(() => upstream.openWebSockets(), { timeout: 2_000 }).toBe(0);
        } finally {
          discard(ws);
        }
      });
    });

    it(`keeps a connection with client pings every ${BUSY_EVERY_MS} ms open past ${HOLD_MS} ms, still echoing`, async () => {
      await withFront({ websocket, idleTimeout: BUSY_IDLE_MS }, async (front) => {
        const ws = await open(front.wsUrl());
        let pongs = 0;
        ws.on('pong', () => { pongs += 1; });
        const pinger = setInterval(() => ws.ping(), BUSY_EVERY_MS);
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
    });

    it('keeps a connection open while messages flow, and cuts it once they stop', async () => {
      await withFront({ websocket, idleTimeout: BUSY_IDLE_MS }, async (front) => {
        const ws = await open(front.wsUrl());
        try {
          const started = performance.now();
          for (let i = 0; i < 11; i++) {
            await new Promise((resolve) => setTimeout(resolve, BUSY_EVERY_MS));
            const reply = nextMessage(ws);
            ws.send(`message ${i}`);
            expect((await reply).data.toString()).toBe(`message ${i}`);
          }
          expect(performance.now() - started).toBeGreaterThan(BUSY_IDLE_MS * 2);
          // Read after the last echo arrived: the front passed it, so its timer started before this.
          const quiet = performance.now();
          const cut = await closed(ws, BUSY_IDLE_MS + TOLERANCE_MS + 2_000);
          expect(cut?.code).toBe(1006);
          expect((cut?.at ?? Infinity) - quiet).toBeLessThanOrEqual(BUSY_IDLE_MS + TOLERANCE_MS);
        } finally {
          discard(ws);
        }
      });
    });
  });

  it('0 never cuts an idle connection', async () => {
    await withFront({ idleTimeout: 0 }, async (front) => {
      const ws = await open(front.wsUrl());
      try {
        // Longer than a 1 s timeout would have needed to cut it.
        expect(await closed(ws, 1.5 * IDLE_MS)).toBeUndefined();
      } finally {
        discard(ws);
      }
    });
  });
});
