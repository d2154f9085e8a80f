/**
 * Idle-timeout checks, measured in seconds: without pings the front cuts an idle WebSocket at
 * its timeout; with pings (from the server, or from the client) it stays open past it.
 */
import { closed, contextOptions, discard, echoesText, open } from '../check-helpers/client.js';
import { seconds, verdict } from '../check-helpers/result.js';
import type { Check } from '../types.js';

/** How late past the configured timeout a cut may come and still count as "at the timeout". */
export const CUT_TOLERANCE_MS = 1_500;

/** How many idle timeouts a connection kept open by pings (or by no timeout at all) is held for. */
export const HOLD_FACTOR = 3;

/** Pings per idle timeout that keep a connection open: the client's pings come every T/2. */
export const PINGS_PER_IDLE_TIMEOUT = 2;

/**
 * An idle connection (no pings either way) is cut within [T, T + tolerance]; with `closeCode`,
 * the client must see exactly that code (1006: dropped with no close frame).
 */
export function idleConnectionCut(toleranceMs = CUT_TOLERANCE_MS, closeCode?: number): Check {
  return {
    id: 'idle-cut',
    title: closeCode === undefined
      ? 'an idle connection without pings is cut at the idle timeout'
      : `an idle connection without pings is cut at the idle timeout, the client seeing ${closeCode}`,
    independent: true,
    async run(ctx) {
      const t = ctx.idleTimeoutMs;
      const ws = await open(ctx.wsUrl, contextOptions(ctx));
      const started = performance.now();
      try {
        ctx.progress(`idle, no pings: expecting a cut after ${seconds(t)} (at most ${seconds(t + toleranceMs)})`);
        const cut = await closed(ws, t + toleranceMs + 5_000);
        if (!cut) {
          return verdict(false, 'not cut', `a cut within [${seconds(t)}, ${seconds(t + toleranceMs)}]`, `still open after ${seconds(performance.now() - started)}`);
        }
        const after = cut.at - started;
        const ok = after >= t - 50 && after <= t + toleranceMs && (closeCode === undefined || cut.code === closeCode);
        return verdict(ok, `cut after ${seconds(after)} (${cut.code})`,
          `a cut within [${seconds(t)}, ${seconds(t + toleranceMs)}]${closeCode === undefined ? '' : ` with ${closeCode}`}`, `cut after ${seconds(after)} with ${cut.code}`,
          { cutAfterMs: after, closeCode: cut.code, idleTimeoutMs: t });
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
