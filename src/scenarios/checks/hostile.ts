/**
 * Hostile input through the front, each beside a client that keeps echoing (../check-helpers/background.ts):
 * a frame over the app's size limit (1009), invalid UTF-8 in a text frame (1007), a handshake
 * whose headers trickle in one byte a second (cut by the front's header timeout), and a burst of
 * handshakes (bounded concurrency) after which the app still serves and its heap settles within a
 * bound per handshake.
 */
import { connect as tcpConnect } from 'node:net';
import { besideEchoingClient, type Others } from '../check-helpers/background.js';
import { connect, contextOptions, discard } from '../check-helpers/client.js';
import { closeCodeIn, frame, rawHandshake, socketTarget, upgradeRequest } from '../check-helpers/raw-socket.js';
import { bytes, seconds, verdict } from '../check-helpers/result.js';
import type { Check, CheckContext, CheckResult } from '../types.js';
import { sleep, within } from '../check-helpers/wait.js';

/** The app's close code for a message over its size limit (RFC 6455: message too big). */
export const MESSAGE_TOO_BIG = 1009;
/** The app's close code for a text frame that is not UTF-8 (RFC 6455: invalid frame payload data). */
export const INVALID_PAYLOAD = 1007;

/** The handshake burst: this many handshakes, so many at a time. */
export const BURST_HANDSHAKES = 2_000;
export const BURST_CONCURRENCY = 100;

/** What the client beside a hostile check must see (../check-helpers/background.ts). */
const OTHERS_OK = 'others unaffected (every echo back, and counted by the app)';

function othersText(o: Others): string {
  return `others: ${o.received}/${o.sent} echoed (the app counted ${o.appEchoed})${o.open ? '' : ', their connection closed'}`;
}

/** A raw frame through the front; the close code the app answers with. */
async function closeCodeFor(ctx: CheckContext, data: Buffer): Promise<number | null> {
  const raw = await rawHandshake(ctx.wsUrl);
  try {
    raw.socket.write(data);
    await raw.waitForClose(5_000).catch(() => {});
    return closeCodeIn(raw.incoming());
  } finally {
    raw.socket.destroy();
  }
}

function closesWith(id: string, title: string, code: number, data: () => Buffer): Check {
  return {
    id,
    title,
    independent: false,
    async run(ctx): Promise<CheckResult> {
      const { result: seen, others } = await besideEchoingClient(ctx, () => closeCodeFor(ctx, data()));
      const figure = `closed with ${seen ?? 'no close frame'}; ${othersText(others)}`;
      return verdict(seen === code && others.ok, figure, `${code}, ${OTHERS_OK}`, figure, { closeCode: seen ?? 0, othersSent: others.sent, othersReceived: others.received, othersAppEchoed: others.appEchoed });
    },
  };
}

/** A binary message one byte over the app's limit (ECHO_MAX_MESSAGE_BYTES) is refused with 1009. */
export function oversizedFrameRefused(maxMessageBytes: number): Check {
  return closesWith(`oversized-${MESSAGE_TOO_BIG}`, `a frame of ${bytes(maxMessageBytes + 1)} (limit ${bytes(maxMessageBytes)}) gets ${MESSAGE_TOO_BIG}`, MESSAGE_TOO_BIG,
    () => frame(0x2, Buffer.alloc(maxMessageBytes + 1, 0x61)));
}

/** A text frame that is not UTF-8 is refused with 1007. */
export function invalidUtf8Refused(): Check {
  return closesWith(`invalid-utf8-${INVALID_PAYLOAD}`, `a text frame with invalid UTF-8 gets ${INVALID_PAYLOAD}`, INVALID_PAYLOAD,
    () => frame(0x1, Buffer.from([0x68, 0x69, 0xff, 0xfe])));
}

/**
 * A handshake that sends its headers one byte every `byteEveryMs` is cut by the front within
 * [T - 0.5 s, T + 2 s] of its first byte (T: the front's header timeout), before it is complete.
 */
export function slowHeadersCut(headerTimeoutSeconds: number, byteEveryMs = 1_000): Check {
  const t = headerTimeoutSeconds * 1000;
  return {
    id: 'slow-headers-cut',
    title: `a handshake sending its headers one byte every ${seconds(byteEveryMs)} is cut at the ${seconds(t)} header timeout`,
    independent: false,
    async run(ctx) {
      const { host, port, path } = socketTarget(ctx.wsUrl);
      const request = upgradeRequest(path);
      ctx.progress(`trickling a handshake one byte every ${seconds(byteEveryMs)}; expecting a cut near ${seconds(t)}`);
      const { result, others } = await besideEchoingClient(ctx, () => new Promise<{ cutMs: number; bytesSent: number; answer: string }>((resolve) => {
        const socket = tcpConnect(port, host);
        let sent = 0;
        let answer = '';
        let started = 0;
        let timer: NodeJS.Timeout | undefined;
        const giveUp = setTimeout(() => socket.destroy(), t + 10_000);
        socket.on('error', () => {});
        socket.on('data', (c: Buffer) => { answer += c.toString('latin1'); });
        socket.once('connect', () => {
          started = performance.now();
          const writeOne = (): void => {
            if (socket.destroyed || sent >= request.length) return;
            socket.write(request[sent++] as string);
            timer = setTimeout(writeOne, byteEveryMs);
          };
          writeOne();
        });
        socket.once('close', () => {
          clearTimeout(timer);
          clearTimeout(giveUp);
          resolve({ cutMs: performance.now() - started, bytesSent: sent, answer: answer.split('\r\n')[0] ?? '' });
        });
      }));
      const cutInTime = result.cutMs >= t - 500 && result.cutMs <= t + 2_000 && result.bytesSent < request.length;
      const figure = `cut after ${seconds(result.cutMs)} (${result.bytesSent} of ${request.length} bytes${result.answer ? `, answer "${result.answer}"` : ', no answer'}); ${othersText(others)}`;
      return verdict(cutInTime && others.ok, figure, `a cut within [${seconds(t - 500)}, ${seconds(t + 2_000)}], ${OTHERS_OK}`, figure,
        { cutMs: result.cutMs, bytesSent: result.bytesSent, headerTimeoutMs: t, othersSent: others.sent, othersReceived: others.received, othersAppEchoed: others.appEchoed });
    },
  };
}

export interface BurstOptions {
  total?: number;
  concurrency?: number;
  /** The app's heap may end at most this many bytes per handshake above where it started. */
  heapBytesPerHandshake?: number;
  /** The heap is read at least twice this far apart once the burst's connections are gone. */
  settleMs?: number;
  /** How long the open connections and the heap get to come back down. */
  settleWithinMs?: number;
}

/**
 * The heap a handshake may leave behind in the app, read after a full garbage collection
 * (`/stats?gc=1`), so only what stays alive counts. 16 KiB each is 32 MiB for a burst of
 * BURST_HANDSHAKES; a leak of a socket, its buffers or its request per handshake is well above it.
 */
export const HEAP_BYTES_PER_HANDSHAKE = 16 * 1024;

/**
 * `total` handshakes through the front, `concurrency` at a time, each closed right after it
 * opens: every one succeeds or is refused cleanly, the app keeps serving, its open connections
 * return to where they were, and its heap after a forced garbage collection is at most
 * `heapBytesPerHandshake` × `total` above where it was (collected too) before the burst. The
 * collected heap is read again `settleMs` apart while it is above (timers and sockets the burst
 * left may take a moment to be released), until `settleWithinMs`; an app that cannot collect on
 * request fails the check, saying so.
 */
export function handshakeBurst(options: BurstOptions = {}): Check {
  const total = options.total ?? BURST_HANDSHAKES;
  const concurrency = options.concurrency ?? BURST_CONCURRENCY;
  const perHandshake = options.heapBytesPerHandshake ?? HEAP_BYTES_PER_HANDSHAKE;
  const settleMs = options.settleMs ?? 1_000;
  const settleWithinMs = options.settleWithinMs ?? 10_000;
  const tolerance = perHandshake * total;
  return {
    id: 'handshake-burst',
    title: `a burst of ${total} handshakes (${concurrency} at a time) leaves the app serving, its heap after a forced GC back within ${bytes(perHandshake)} per handshake of the start`,
    independent: false,
    async run(ctx) {
      const collected = { collectGarbage: true };
      const before = await ctx.appStats(collected);
      const statuses = new Map<number, number>();
      const started = performance.now();
      const { others } = await besideEchoingClient(ctx, async () => {
        let next = 0;
        const worker = async (): Promise<void> => {
          while (next < total) {
            next++;
            const outcome = await connect(ctx.wsUrl, contextOptions(ctx, { timeoutMs: 5_000 }));
            discard(outcome.socket);
            statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
          }
        };
        ctx.progress(`${total} handshakes, ${concurrency} at a time`);
        await Promise.all(Array.from({ length: concurrency }, worker));
      });
      const burstMs = performance.now() - started;
      // Settled: the burst's connections are gone, then the collected heap, read again settleMs
      // apart while its lowest reading is above the bound (until the time is up).
      const settleStarted = performance.now();
      await within(settleWithinMs, 100, async () => (await ctx.appStats()).openConnections <= before.openConnections);
      const readings = [await ctx.appStats(collected)];
      const lowestGrowth = (): number => Math.min(...readings.map((r) => r.memory.heapUsed)) - before.memory.heapUsed;
      while (lowestGrowth() > tolerance && performance.now() - settleStarted + settleMs <= settleWithinMs) {
        await sleep(settleMs);
        readings.push(await ctx.appStats(collected));
      }
      const settleMsTaken = performance.now() - settleStarted;
      const lowest = readings.reduce((a, r) => (r.memory.heapUsed < a.memory.heapUsed ? r : a));
      const last = readings.at(-1) ?? lowest;
      const ok101 = statuses.get(101) ?? 0;
      const heapGrowth = lowest.memory.heapUsed - before.memory.heapUsed;
      const growthPerHandshake = Math.max(0, heapGrowth) / total;
      const connectionsBack = last.openConnections <= before.openConnections;
      const allCollected = [before, ...readings].every((r) => r.memory.collected === true);
      const ok = ok101 === total && others.ok && connectionsBack && allCollected && growthPerHandshake <= perHandshake;
      const list = [...statuses.entries()].map(([s, c]) => `${s}×${c}`).join(', ');
      const heapText = `heap ${bytes(before.memory.heapUsed)} → ${bytes(lowest.memory.heapUsed)} (${Math.round(growthPerHandshake)} B/handshake, bound ${perHandshake} B/handshake)`;
      const figure = `${ok101}/${total} in ${seconds(burstMs)}; ${heapText}, rss ${bytes(before.memory.rss)} → ${bytes(lowest.memory.rss)}; ${othersText(others)}`;
      return verdict(ok, figure,
        `all ${total} answered 101, open connections back to ${before.openConnections}, heap growth ≤ ${perHandshake} B/handshake (${bytes(tolerance)} for ${total}) after a forced garbage collection, ${OTHERS_OK}`,
        `${figure}; ${allCollected ? '' : 'the app did not collect garbage on request (GET /stats?gc=1 without memory.collected), so its heap counts garbage too; '}statuses ${list}; open connections ${last.openConnections} after ${seconds(settleMsTaken)}; heap readings ${readings.map((r) => bytes(r.memory.heapUsed)).join(', ')}`,
        { handshakes: total, succeeded: ok101, burstMs, heapBefore: before.memory.heapUsed, heapAfter: lowest.memory.heapUsed, heapBytesPerHandshake: growthPerHandshake, heapBoundPerHandshake: perHandshake, heapReadings: readings.length, heapCollected: allCollected ? 1 : 0, rssBefore: before.memory.rss, rssAfter: lowest.memory.rss, othersSent: others.sent, othersReceived: others.received, othersAppEchoed: others.appEchoed });
    },
  };
}
