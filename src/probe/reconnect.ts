/**
 * Probe step 4 (--reconnect): how the path behaves when a connection drops, as the project's
 * reconnecting client (src/client/) sees it. One echo session: a few messages echoed, then idle
 * (no pings) until the far end cuts it, as the idle finder saw; messages sent right after the
 * cut wait in the outbox; the client reconnects with backoff; a few more messages after that.
 * Reports the time from the cut to OPEN again, the attempts and delays, and sent versus echoed.
 * Bounded: the cut must come within twice the time the idle finder measured plus 2 s, the reopen
 * within `reopenLimitMs`.
 */
import { EchoSession, type EchoCounts } from '../client/echo-session.js';
import type { ClientEvents, ReconnectingClient } from '../client/reconnecting-client.js';
import type { Progress } from './idle.js';

/** Messages sent in each phase: before the cut, while disconnected (queued), after reconnecting. */
export const RECONNECT_BATCH = 3;

/** The client's backoff here: quick first tries (50–100 ms), doubling, at most 2 s apart. */
export const PROBE_BACKOFF = { initialMs: 100, maxMs: 2_000, factor: 2, jitter: 0.5 } as const;

export interface ReconnectReport {
  /** The first connection's quiet before the far end cut it, in ms, from the last echo received; absent when it was not cut. */
  cutAfterMs?: number;
  /**
   * The same, from just before the last messages were sent. A far end that restarts its idle
   * timer on every byte started it between the two, so its timeout is at most this and, less
   * the time the client took to notice the cut, at least cutAfterMs. (nginx moves a running
   * timer only when it moves by 300 ms or more: behind it the cut may come that much sooner.)
   */
  cutAfterSentMs?: number;
  cutCode?: number;
  /** From the cut to OPEN again, in ms; absent when it did not reopen within the limit. */
  reopenMs?: number;
  /** The attempt that opened (1 = the first try after the cut). */
  attempts: number;
  /** The backoff delay before each attempt, in ms. */
  delaysMs: number[];
  /** Messages sent while the client was not open (they waited in the outbox). */
  queuedWhileDown: number;
  counts: EchoCounts;
  /** Every message came back exactly once and in order. */
  lossless: boolean;
  note?: string;
}

export interface ReconnectProbeOptions {
  url: string;
  /** The idle finder's cut, in ms. */
  idleCutMs: number;
  handshakeTimeoutMs: number;
  echoTimeoutMs: number;
  reopenLimitMs: number;
  ca?: string;
  rejectUnauthorized?: boolean;
}

/** Resolves with the event's payload, or undefined after `ms`. */
function nextEvent<K extends 'open' | 'closed'>(client: ReconnectingClient, event: K, ms: number): Promise<ClientEvents[K][0] | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => { client.off(event, on); resolve(undefined); }, ms);
    // The listener's type depends on K, which TypeScript cannot follow through EventEmitter's.
    const on = ((payload: ClientEvents[K][0]): void => { clearTimeout(timer); resolve(payload); }) as never;
    client.once(event, on);
  });
}

export async function probeReconnect(o: ReconnectProbeOptions, progress: Progress): Promise<ReconnectReport> {
  const delaysMs: number[] = [];
  let attempts = 0;
  const session = new EchoSession({
    url: o.url,
    backoff: PROBE_BACKOFF,
    pingIntervalMs: 0,
    handshakeTimeoutMs: o.handshakeTimeoutMs,
    ...(o.ca !== undefined ? { ca: o.ca } : {}),
    ...(o.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
    log: (line) => progress(`reconnecting client: ${line.replace(/^\S+ /, '')}`),
  });
  const client = session.client;
  client.on('reconnecting', ({ delayMs }) => delaysMs.push(delayMs));
  client.on('open', ({ attempt }) => { attempts = attempt; });
  const report = (fields: Partial<ReconnectReport>, note?: string): ReconnectReport => {
    const counts = session.counts();
    return {
      attempts: 0, delaysMs, queuedWhileDown: 0, counts,
      lossless: counts.sent > 0 && counts.received === counts.sent && counts.duplicates === 0 && counts.gaps === 0 && counts.garbled === 0,
      ...fields,
      ...(note !== undefined ? { note } : {}),
    };
  };
  try {
    progress(`reconnect: an echo session that idles until the far end cuts it (about ${(o.idleCutMs / 1000).toFixed(1)} s), then reconnects`);
    const opened = nextEvent(client, 'open', o.handshakeTimeoutMs + 1_000);
    session.start();
    if (!(await opened)) return report({}, `the reconnecting client did not open within ${o.handshakeTimeoutMs + 1_000} ms`);
    const sentFrom = performance.now();
    for (let i = 0; i < RECONNECT_BATCH; i++) session.send(`before the cut #${i + 1}`);
    if (!(await session.allEchoed(o.echoTimeoutMs))) return report({}, 'the messages before the cut did not all come back');
    const cutLimit = 2 * o.idleCutMs + 2_000;
    const idleFrom = performance.now();
    const cut = await nextEvent(client, 'closed', cutLimit);
    if (!cut) return report({}, `not cut within ${(cutLimit / 1000).toFixed(1)} s this time`);
    const cutAt = performance.now();
    const reopened = nextEvent(client, 'open', o.reopenLimitMs);
    let queuedWhileDown = 0;
    for (let i = 0; i < RECONNECT_BATCH; i++) {
      if (client.state !== 'open') queuedWhileDown++;
      session.send(`while disconnected #${i + 1}`);
    }
    const back = await reopened;
    const fields: Partial<ReconnectReport> = { cutAfterMs: cutAt - idleFrom, cutAfterSentMs: cutAt - sentFrom, cutCode: cut.code, queuedWhileDown };
    if (!back) return report(fields, `not OPEN again within ${(o.reopenLimitMs / 1000).toFixed(1)} s`);
    fields.reopenMs = performance.now() - cutAt;
    fields.attempts = attempts;
    for (let i = 0; i < RECONNECT_BATCH; i++) session.send(`after reconnecting #${i + 1}`);
    const all = await session.allEchoed(o.echoTimeoutMs);
    return report(fields, all ? undefined : `not every message came back within ${o.echoTimeoutMs} ms of reconnecting`);
  } finally {
    await session.stop();
  }
}
