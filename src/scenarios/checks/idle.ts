/**
 * Idle-timeout checks, measured in seconds: without pings the front cuts an idle WebSocket at
 * its timeout; with pings (from the server, or from the client) it stays open past it.
 */
import { closed, connect, contextOptions, describeOutcome, discard, echoesText, open } from '../check-helpers/client.js';
import { seconds, verdict } from '../check-helpers/result.js';
import type { Check, CheckResult } from '../types.js';

/**
 * How late past the configured timeout a cut may come and still count as "at the timeout",
 * counted from the 101 the client received.
 */
export const CUT_TOLERANCE_MS = 1_500;

/**
 * How early a cut may come, counted from the handshake request the client sent: the fronts time
 * their timers with coarse clocks (Node's loop time in whole milliseconds; nginx's cached time,
 * read from CLOCK_MONOTONIC_COARSE on Linux, one kernel tick: up to 10 ms at HZ=100), so a timer
 * can fire up to one tick short of T. Nothing else: the front's timer cannot start before the
 * request was sent.
 */
export const CLOCK_ALLOWANCE_MS = 20;

/** How many idle timeouts a connection kept open by pings (or by no timeout at all) is held for. */
export const HOLD_FACTOR = 3;

/** Pings per idle timeout that keep a connection open: the client's pings come every T/2. */
export const PINGS_PER_IDLE_TIMEOUT = 2;

/**
 * The idle-cut window in words, the same in the check's title, progress line and verdict. The
 * front's idle timer starts at the last handshake byte it passes, somewhere between the client
 * sending the request and receiving the 101, so the cut is judged from both ends of that bracket.
 */
export function cutWindow(timeoutMs: number, toleranceMs = CUT_TOLERANCE_MS, handshake: Handshake = HTTP1_HANDSHAKE): string {
  return windowText(seconds(timeoutMs), seconds(timeoutMs + toleranceMs), handshake);
}

/** The handshake's request and its answer, as the window names them. */
export interface Handshake { request: string; answer: string }
export const HTTP1_HANDSHAKE: Handshake = { request: 'the handshake request', answer: '101' };
/** RFC 8441: the extended CONNECT on an h2 stream, answered 200. */
export const H2_HANDSHAKE: Handshake = { request: 'the extended CONNECT', answer: '200' };

/** The window with its ends in words ("T", "T + 1.50 s"), as the docs state it. */
export function windowText(earliest: string, latest: string, handshake: Handshake = HTTP1_HANDSHAKE): string {
  return `no sooner than ${earliest} after ${handshake.request} was sent, no later than ${latest} after its ${handshake.answer} arrived`;
}

/** What the client saw of an idle connection: the handshake's bracket and the cut, if one came (performance.now() instants). */
export interface IdleCutSeen {
  requestSentAt: number;
  responseAt: number;
  cut?: { at: number; code: number };
  /** When the watch ended (for a connection still open). */
  now: number;
}

/**
 * The idle-cut verdict: counted from the handshake request sent, at least T (less
 * CLOCK_ALLOWANCE_MS); counted from the 101 received, at most T + tolerance; with `closeCode`,
 * exactly that close code.
 */
export function judgeIdleCut(seen: IdleCutSeen, timeoutMs: number, toleranceMs = CUT_TOLERANCE_MS, closeCode?: number): CheckResult {
  const t = timeoutMs;
  const { requestSentAt, responseAt, cut } = seen;
  const window = cutWindow(t, toleranceMs);
  if (!cut) {
    return verdict(false, 'not cut', `a cut ${window}`, `still open ${seconds(seen.now - responseAt)} after the 101`);
  }
  const fromRequest = cut.at - requestSentAt;
  const from101 = cut.at - responseAt;
  const handshakeMs = responseAt - requestSentAt;
  const ok = fromRequest >= t - CLOCK_ALLOWANCE_MS && from101 <= t + toleranceMs && (closeCode === undefined || cut.code === closeCode);
  // The figure counts from the request; the 101's count is there when the two differ visibly.
  const also = handshakeMs >= 10 ? `, ${seconds(from101)} after the 101` : '';
  return verdict(ok, `cut after ${seconds(fromRequest)} (${cut.code})${also}`,
    `a cut ${window}${closeCode === undefined ? '' : ` with ${closeCode}`}`,
    `cut ${seconds(fromRequest)} after the request was sent, ${seconds(from101)} after the 101 (the handshake took ${seconds(handshakeMs)}), with ${cut.code}`,
    { cutAfterMs: fromRequest, cutAfter101Ms: from101, handshakeMs, closeCode: cut.code, idleTimeoutMs: t });
}

/**
 * An idle connection (no pings either way) is cut at the front's idle timeout T: counted from
 * the handshake request sent, at least T (less CLOCK_ALLOWANCE_MS); counted from the 101
 * received, at most T + tolerance. With `closeCode`, the client must see exactly that code
 * (1006: dropped with no close frame).
 */
export function idleConnectionCut(toleranceMs = CUT_TOLERANCE_MS, closeCode?: number): Check {
  return {
    id: 'idle-cut',
    title: `an idle connection without pings is cut at the idle timeout T (${windowText('T', `T + ${seconds(toleranceMs)}`)})` +
      (closeCode === undefined ? '' : `, the client seeing ${closeCode}`),
    independent: true,
    async run(ctx) {
      const t = ctx.idleTimeoutMs;
      const outcome = await connect(ctx.wsUrl, contextOptions(ctx));
      const ws = outcome.socket;
      if (!ws || outcome.requestSentAt === undefined || outcome.responseAt === undefined) {
        discard(ws);
        throw new Error(`handshake failed: ${describeOutcome(outcome)}`);
      }
      const { requestSentAt, responseAt } = outcome;
      try {
        ctx.progress(`idle, no pings: expecting a cut ${cutWindow(t, toleranceMs)}`);
        // Watched one tolerance past the window: a cut that late still shows its time (and fails).
        const cut = await closed(ws, t + 2 * toleranceMs);
        return judgeIdleCut({ requestSentAt, responseAt, ...(cut ? { cut } : {}), now: performance.now() }, t, toleranceMs, closeCode);
      } finally {
        discard(ws);
      }
    },
  };
}

export interface StaysOpenOptions {
  /**
   * Whose pings keep the connection open. "server": the app pings (its keepalive interval is
   * set by the scenario) and the client only answers. "client": the app does not ping and the
   * client pings every `clientPingEvery(T)` ms. "none": nobody pings (a front with no idle
   * timeout keeps the connection anyway). The check proves which pings were seen.
   */
  pingsFrom: 'server' | 'client' | 'none';
  clientPingEvery?: (idleTimeoutMs: number) => number;
  /** How many idle timeouts to hold the connection for. */
  holdFactor?: number;
}

/** With pings, a connection with no messages is still open at holdFactor·T and still echoes. */
export function staysOpenPastTimeout(options: StaysOpenOptions): Check {
  const factor = options.holdFactor ?? HOLD_FACTOR;
  return {
    id: `${options.pingsFrom}-pings-hold`,
    title: options.pingsFrom === 'none'
      ? `with no pings at all an idle connection is open at ${factor}× T and still echoes`
      : `with ${options.pingsFrom} pings an idle connection is open at ${factor}× the timeout and still echoes`,
    independent: true,
    async run(ctx) {
      const t = ctx.idleTimeoutMs;
      const holdMs = factor * t;
      const ws = await open(ctx.wsUrl, contextOptions(ctx));
      const started = performance.now();
      let serverPings = 0;
      let clientPings = 0;
      ws.on('ping', () => { serverPings += 1; });
      const every = options.pingsFrom === 'client' ? (options.clientPingEvery ?? ((ms) => ms / PINGS_PER_IDLE_TIMEOUT))(t) : undefined;
      const pinger = every === undefined ? undefined : setInterval(() => { ws.ping(); clientPings += 1; }, every);
      try {
        ctx.progress(`holding an idle connection for ${seconds(holdMs)} ${options.pingsFrom === 'none' ? 'without pings' : `with ${options.pingsFrom} pings`}`);
        const cut = await closed(ws, holdMs);
        const measured = { heldMs: performance.now() - started, serverPings, clientPings, idleTimeoutMs: t };
        if (cut) {
          const after = cut.at - started;
          return verdict(false, `cut after ${seconds(after)} (${cut.code})`, `open at ${seconds(holdMs)}`,
            `cut after ${seconds(after)} with ${cut.code} (server pings ${serverPings}, client pings ${clientPings})`, { ...measured, cutAfterMs: after });
        }
        const echoed = await echoesText(ws, 'still here');
        const pings = `server pings ${serverPings}, client pings ${clientPings}`;
        // The pings that were meant to keep it open must be the ones that flowed.
        const rightPings = {
          server: serverPings > 0,
          client: serverPings === 0 && clientPings > 0,
          none: serverPings === 0 && clientPings === 0,
        }[options.pingsFrom];
        return verdict(echoed && rightPings, `open at ${seconds(measured.heldMs)}, echo ${echoed ? 'ok' : 'failed'}`,
          `open at ${seconds(holdMs)} and echoing, ${options.pingsFrom === 'none' ? 'with no pings either way' : `kept by ${options.pingsFrom} pings only`}`, `open at ${seconds(measured.heldMs)}, echo ${echoed ? 'ok' : 'failed'} (${pings})`, measured);
      } finally {
        if (pinger) clearInterval(pinger);
        discard(ws);
      }
    },
  };
}
