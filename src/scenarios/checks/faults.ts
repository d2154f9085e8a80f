/**
 * Faults on a running topology, measured from the client's side: the front restarts, the app
 * restarts behind the front, the path freezes (the front is paused). Each check needs the
 * topology's controls (CheckContext.controls) and changes shared state, so none is independent.
 */
import WebSocket from 'ws';
import { ReconnectingClient } from '../../client/reconnecting-client.js';
import { toBuffer } from '../../client/raw-data.js';
import type { EchoStats } from '../../echo/stats.js';
import { closed, connect, contextOptions, discard, open } from '../check-helpers/client.js';
import { seconds, verdict } from '../check-helpers/result.js';
import { checkSession } from '../check-helpers/sessions.js';
import type { Check, CheckContext, TopologyControls } from '../types.js';
import { sleep, within } from '../check-helpers/wait.js';

function controlsOf(ctx: CheckContext): TopologyControls {
  if (!ctx.controls) throw new Error('this check needs topology controls (restart/pause), which this topology does not offer');
  return ctx.controls;
}

export interface FrontRestartOptions {
  clients?: number;
  /** Each client sends one message this often, before, during and after the restart. */
  sendEveryMs?: number;
  /** Clients must be open again within this long of the restart command. */
  recoveryBoundMs?: number;
  /** How long the clients send before the restart, and again once all are back (default 1 s). */
  settleMs?: number;
}

/**
 * The front restarts under connected clients: each sees the close, reconnects (backoff) within
 * the bound, and every message sent before, during and after comes back exactly once, in order
 * (ack by echo + resend + dedupe, src/client/echo-session.ts). Counted at both ends: the app's own
 * `messagesEchoed` must cover every echo the clients counted (each one accepted, and each resent
 * duplicate dropped), so a client that counts an echo twice, or an app that echoed less, fails.
 */
export function frontRestartLosesNothing(options: FrontRestartOptions = {}): Check {
  const n = options.clients ?? 3;
  const every = options.sendEveryMs ?? 50;
  const bound = options.recoveryBoundMs ?? 10_000;
  const settle = options.settleMs ?? 1_000;
  return {
    id: 'front-restart',
    title: `the front restarts under ${n} clients: they reconnect within ${seconds(bound)} and every message comes back once, in order`,
    independent: false,
    async run(ctx) {
      const controls = controlsOf(ctx);
      const sessions = Array.from({ length: n }, () => checkSession(ctx));
      const closedAt: number[] = [];
      const reopenedAt: number[] = [];
      let attempts = 0;
      sessions.forEach((s, i) => {
        s.client.on('closed', () => { closedAt[i] ??= performance.now(); });
        s.client.on('connecting', () => { attempts++; });
        s.client.on('open', () => { if (closedAt[i] !== undefined) reopenedAt[i] ??= performance.now(); });
      });
      let sending: NodeJS.Timeout | undefined;
      const appBefore = await ctx.appStats();
      try {
        await Promise.all(sessions.map((s) => new Promise<void>((resolve, reject) => {
          s.client.once('open', () => resolve());
          s.client.once('closed', (e) => reject(new Error(`a client could not connect: ${e.error ?? e.code}`)));
          s.start();
        })));
        let k = 0;
        sending = setInterval(() => { k++; for (const s of sessions) s.send(`message ${k}`); }, every);
        await sleep(settle);
        ctx.progress(`restarting the front under ${n} sending clients`);
        const restartAt = performance.now();
        await controls.restartFront();
        const restartedIn = performance.now() - restartAt;
        const back = await within(bound, 50, () => reopenedAt.filter((t) => t !== undefined).length === n);
        await sleep(settle);
        clearInterval(sending);
        sending = undefined;
        const allBack = (await Promise.all(sessions.map((s) => s.allEchoed(5_000)))).every(Boolean);
        const counts = sessions.map((s) => s.counts());
        const total = counts.reduce((a, c) => ({ sent: a.sent + c.sent, received: a.received + c.received, duplicates: a.duplicates + c.duplicates, gaps: a.gaps + c.gaps, garbled: a.garbled + c.garbled }),
          { sent: 0, received: 0, duplicates: 0, gaps: 0, garbled: 0 });
        const detectMs = Math.max(...closedAt.map((t) => (t ?? Number.NaN) - restartAt));
        const recoverMs = Math.max(...reopenedAt.map((t) => (t ?? Number.NaN) - restartAt));
        const appEchoed = (await ctx.appStats()).messagesEchoed - appBefore.messagesEchoed;
        const exact = total.sent === total.received && total.gaps === 0 && total.garbled === 0;
        // Every echo a client counted (accepted or dropped as a duplicate) left the app; the app
        // may have echoed more (an echo lost in the restart is echoed again after the resend).
        const bothEnds = appEchoed >= total.received + total.duplicates;
        const ok = back !== undefined && allBack && exact && bothEnds && counts.every((c) => c.sent > 0);
        const figure = `closed ${seconds(detectMs)}, reopened ${seconds(recoverMs)} after the restart; sent ${total.sent}, received ${total.received} (${total.duplicates} resent duplicates dropped), the app echoed ${appEchoed}`;
        return verdict(ok, figure,
          `all ${n} clients reopened within ${seconds(bound)}, received = sent, no gaps, and the app echoed at least received + duplicates (${total.received + total.duplicates})`,
          `${figure}; gaps ${total.gaps}, garbled ${total.garbled}, the restart command took ${seconds(restartedIn)}`,
          { detectMs, recoverMs, restartCommandMs: restartedIn, sent: total.sent, received: total.received, duplicates: total.duplicates, gaps: total.gaps, appEchoed, attempts, clients: n });
      } finally {
        if (sending) clearInterval(sending);
        await Promise.all(sessions.map((s) => s.stop()));
      }
    },
  };
}

/** What the front does with handshakes while the app behind it restarts. */
export type AppDownAnswer =
  /**
   * It refuses them with this status (nginx 502, httpd 503, …). `whileUnresolvable`: what it
   * answers instead while the app's name does not resolve. A stopped container leaves its
   * network, so Docker's DNS drops its name until it starts again; httpd, which looks the name
   * up again after a refused connection, answers that window 500 ("AH00898: DNS lookup failure
   * for: echo"), seen once a restart took long enough on a loaded machine for a probe to land in
   * it. The fronts that keep the address they resolved at start never see the window.
   */
  | { refusedWith: number; whileUnresolvable?: number }
  /** It holds them (connect retries) until the app is back: every one gets 101, some after a wait. */
  | 'held';

/** A handshake that waited this long while the app was down was held by the front, not answered at once (one takes a few ms). */
export const HELD_HANDSHAKE_MS = 100;

export function describeAppDownAnswer(answer: AppDownAnswer): string {
  if (answer === 'held') return 'handshakes held until it is back';
  return `${answer.refusedWith} while down${answer.whileUnresolvable ? ` (${answer.whileUnresolvable} while its name does not resolve)` : ''}`;
}

/**
 * The refused statuses of the probing handshakes, in order, without a 502 to the first one: the
 * handshake in flight as the app stopped, whose connection the app closed unanswered (a front
 * reports that as a bad gateway, whatever it answers once the app's port refuses connections:
 * httpd's 503, for one; HAProxy, which holds the others, answered it 502 too).
 */
function refusalsPastTheInFlight(answered: readonly number[]): number[] {
  const refusals = answered.filter((s) => s !== 101);
  return refusals[0] === 502 ? refusals.slice(1) : refusals;
}

/**
 * Whether the statuses the probing handshakes got, in order, are the refusals a front answering
 * `status` while the app is down gives: at least one `status`, and besides it only 503, the app's
 * own "server shutting down" to a handshake it was reading at SIGTERM (src/echo/server.ts), the
 * in-flight 502 (refusalsPastTheInFlight), and the front's answer while the app's name does not
 * resolve, where it has one (`whileUnresolvable`, AppDownAnswer).
 */
export function refusalsAsExpected(answered: readonly number[], status: number, whileUnresolvable?: number): boolean {
  return answered.includes(status) && refusalsPastTheInFlight(answered).every((s) => s === status || s === 503 || s === whileUnresolvable);
}

/**
 * Whether the statuses the probing handshakes got, in order, are those of a front that holds
 * handshakes while the app is down: every one 101, but for the in-flight 502 (refusalsPastTheInFlight).
 */
export function heldAsExpected(answered: readonly number[]): boolean {
  return refusalsPastTheInFlight(answered).length === 0;
}

/**
 * The app restarts behind the running front, probed with a handshake every 50 ms: the front
 * refuses handshakes with the expected status while the app is down and answers 101 again once
 * it is back (within `recoveryBoundMs`); or, for a front that retries its connection to the app,
 * every handshake gets 101 and at least one of them waited for the app (HELD_HANDSHAKE_MS).
 */
export function appRestartAnswered(expected: AppDownAnswer, recoveryBoundMs = 10_000): Check {
  const held = expected === 'held';
  return {
    id: 'app-restart',
    title: held
      ? 'the app restarts behind the front: the front holds handshakes until it is back, every one gets 101 (but the one in flight as it stopped)'
      : `the app restarts behind the front: handshakes get ${expected.refusedWith} while it is down, 101 once it is back`,
    independent: false,
    async run(ctx) {
      const controls = controlsOf(ctx);
      const seen = new Map<number, number>();
      const answered: number[] = [];
      let firstRefusedAt: number | undefined;
      let lastRefusedAt: number | undefined;
      let backAt: number | undefined;
      let longestMs = 0;
      let probing = true;
      const restartAt = performance.now();
      const prober = (async () => {
        while (probing) {
          const sent = performance.now();
          const outcome = await connect(ctx.wsUrl, { timeoutMs: 5_000 });
          discard(outcome.socket);
          const now = performance.now();
          longestMs = Math.max(longestMs, now - sent);
          seen.set(outcome.status, (seen.get(outcome.status) ?? 0) + 1);
          answered.push(outcome.status);
          if (outcome.status !== 101) {
            firstRefusedAt ??= now;
            lastRefusedAt = now;
            backAt = undefined;
          } else if (firstRefusedAt !== undefined) {
            backAt ??= now;
          }
          await sleep(50);
        }
      })();
      ctx.progress('restarting the app behind the front, probing handshakes every 50 ms');
      await controls.restartApp();
      const restartedIn = performance.now() - restartAt;
      if (held) await sleep(500); // a handshake still held when the restart command returns gets its 101 meanwhile
      else await within(recoveryBoundMs, 50, () => backAt !== undefined);
      probing = false;
      await prober;
      const statuses = [...seen.entries()].map(([s, c]) => `${s}×${c}`).join(', ');
      const measured = { restartCommandMs: restartedIn, longestHandshakeMs: longestMs };
      if (held) {
        const allAnswered = heldAsExpected(answered);
        const ok = allAnswered && longestMs >= HELD_HANDSHAKE_MS;
        const inFlight = seen.has(502) ? ' but the one in flight as the app stopped (502)' : '';
        const figure = allAnswered ? `every handshake 101${inFlight}, the longest held ${seconds(longestMs)}` : `refused: ${statuses}`;
        return verdict(ok, figure, `every handshake 101 (but the one in flight as the app stopped) and one held ≥ ${seconds(HELD_HANDSHAKE_MS)} while the app was down`,
          `${figure} (handshakes: ${statuses}; the restart command took ${seconds(restartedIn)})`, { ...measured, handshakes: [...seen.values()].reduce((a, b) => a + b, 0) });
      }
      const status = expected.refusedWith;
      const unresolvable = expected.whileUnresolvable;
      const downMs = firstRefusedAt !== undefined && lastRefusedAt !== undefined ? lastRefusedAt - firstRefusedAt : 0;
      const ok = refusalsAsExpected(answered, status, unresolvable) && backAt !== undefined;
      const unresolved = unresolvable !== undefined && seen.has(unresolvable) ? ` (${unresolvable} ×${seen.get(unresolvable)} while its name did not resolve)` : '';
      const figure = `${status} for ${seconds(downMs)}${unresolved}, 101 again ${backAt !== undefined ? seconds(backAt - restartAt) : 'never'} after the restart`;
      return verdict(ok, figure, `${describeAppDownAnswer(expected)}, then 101`, `${figure} (handshakes: ${statuses}; the restart command took ${seconds(restartedIn)})`,
        { ...measured, downMs, recoverMs: backAt !== undefined ? backAt - restartAt : Number.NaN, refused: seen.get(status) ?? 0 });
    },
  };
}

/**
 * How long the client has to be open again once the front runs: several of its handshake
 * timeouts (2 s) and backoff delays (at most 0.5 s), so a loaded CI machine still fits; the
 * measured figure is what the report shows.
 */
const RECONNECT_BOUND_MS = 10_000;

/** The app's keepalive interval in the path-freeze-with-pings scenario; clients ping at the same rate. */
export const FREEZE_PING_INTERVAL_MS = 1_000;

/** A frozen path must be noticed within this many ping intervals (plus FREEZE_DETECT_SLACK_MS). */
export const FREEZE_DETECT_INTERVALS = 2;
const FREEZE_DETECT_SLACK_MS = 700;

/**
 * The path freezes (the front is paused) longer than the ping timeout: with pings, the client
 * (its own pings) and the app (its keepalive, `pingTimeouts` in /stats) both notice within about
 * FREEZE_DETECT_INTERVALS ping intervals (plus `slackMs`); the client reconnects once the front
 * runs again.
 */
export function frozenPathDetected(intervalMs = FREEZE_PING_INTERVAL_MS, slackMs = FREEZE_DETECT_SLACK_MS): Check {
  const bound = FREEZE_DETECT_INTERVALS * intervalMs + slackMs;
  return {
    id: 'freeze-detected',
    title: `a frozen front is detected by client and app pings within ~${FREEZE_DETECT_INTERVALS} intervals (${seconds(bound)})`,
    independent: false,
    async run(ctx) {
      const controls = controlsOf(ctx);
      // The client's own log goes into a failure's detail: what it tried after the unpause.
      const clientLog: string[] = [];
      const client = new ReconnectingClient({
        url: () => ctx.wsUrl, ...(ctx.ca ? { ca: ctx.ca } : {}), pingIntervalMs: intervalMs, handshakeTimeoutMs: 2_000, backoff: { initialMs: 100, maxMs: 500, factor: 2, jitter: 0 },
        log: (line) => { clientLog.push(line); },
      });
      let clientDetectedAt: number | undefined;
      let reopenedAt: number | undefined;
      try {
        await new Promise<void>((resolve, reject) => {
          client.once('open', () => resolve());
          client.once('closed', (e) => reject(new Error(`could not connect: ${e.error ?? e.code}`)));
          client.start();
        });
        client.on('ping-timeout', () => { clientDetectedAt ??= performance.now(); });
        await sleep(intervalMs * 1.5); // pings flow both ways
        const before = (await ctx.appStats()).pingTimeouts;
        ctx.progress(`pausing the front for up to ${seconds(bound + 1_000)}`);
        // The freeze happens somewhere between these two instants: the lower bound counts from
        // the first (a slow `docker pause` must not make detection look too early), the upper
        // bounds from the second.
        const pauseRequestedAt = performance.now();
        await controls.pauseFront();
        const frozeAt = performance.now();
        let unpaused = false;
        try {
          const appDetected = await within(bound + 1_000, 50, async () => (await ctx.appStats()).pingTimeouts > before);
          await within(Math.max(0, bound + 1_000 - (performance.now() - frozeAt)), 20, () => clientDetectedAt !== undefined);
          const clientMs = clientDetectedAt !== undefined ? clientDetectedAt - frozeAt : Number.NaN;
          // Listen before unpausing: the front thaws before `docker unpause` returns, and a
          // handshake already waiting on it can complete in between.
          client.on('open', () => { reopenedAt ??= performance.now(); });
          const unpausedAt = performance.now();
          await controls.unpauseFront();
          unpaused = true;
          // A client that never noticed the freeze has no reconnect to wait for (and fails).
          if (clientDetectedAt !== undefined) await within(RECONNECT_BOUND_MS, 20, () => reopenedAt !== undefined);
          const recoverMs = reopenedAt !== undefined ? reopenedAt - unpausedAt : Number.NaN;
          const appMs = appDetected ?? Number.NaN;
          const sincePauseRequested = clientDetectedAt !== undefined ? clientDetectedAt - pauseRequestedAt : Number.NaN;
          const ok = appMs <= bound && clientMs <= bound && sincePauseRequested >= intervalMs - 100 && Number.isFinite(recoverMs);
          const figure = `client ${seconds(clientMs)}, app ${seconds(appMs)} (pings every ${seconds(intervalMs)}); reopened ${seconds(recoverMs)} after unpause`;
          const seen = ok ? figure : `${figure}; the client's log: ${clientLog.slice(-10).join(' | ')}`;
          return verdict(ok, figure, `both within ${seconds(bound)} of the freeze, then a reconnect`, seen,
            { clientDetectMs: clientMs, appDetectMs: appMs, recoverMs, intervalMs });
        } finally {
          if (!unpaused) await controls.unpauseFront();
        }
      } finally {
        await client.stop();
      }
    },
  };
}

/** How soon after the unpause the message sent into the frozen path must come back. */
export const THAW_ECHO_WITHIN_MS = 5_000;

/**
 * The same freeze without pings anywhere: nothing notices. A message sent into the frozen path
 * gets no echo while the client's socket still reads OPEN for `holdMs`, and the app neither
 * receives it (its `messagesEchoed` stands still) nor drops the connection; once the front runs
 * again the message goes through and its echo arrives. The echo during the freeze is what tells a
 * frozen path from a front that was never frozen (which would just echo it): a quiet, unfrozen
 * front with a long idle timeout would pass "still open" alone.
 */
export function frozenPathHangs(holdMs = 3_000): Check {
  const text = 'sent into the frozen path';
  return {
    id: 'freeze-hangs',
    title: `without pings a frozen front goes unnoticed: a message sent meanwhile gets no echo while the connection reads "open" for ${seconds(holdMs)}, then its echo arrives after the unpause`,
    independent: false,
    async run(ctx) {
      const controls = controlsOf(ctx);
      const ws = await open(ctx.wsUrl, contextOptions(ctx));
      const echoes: { at: number; text: string }[] = [];
      ws.on('message', (data) => { echoes.push({ at: performance.now(), text: toBuffer(data).toString('utf8') }); });
      // Thawed at the end only if the freeze took: unpausing a front that is not paused fails,
      // and that error would hide why the pause failed.
      let paused = false;
      let unpaused = false;
      try {
        const before = await ctx.appStats();
        await controls.pauseFront();
        paused = true;
        const frozeAt = performance.now();
        ctx.progress(`front paused; a message sent, holding ${seconds(holdMs)} without pings`);
        let unpausedAt = frozeAt;
        let frozen: { heldMs: number; echoedWhileFrozen: number; openAtEnd: boolean; cutAfterMs?: number; app: EchoStats };
        try {
          ws.send(text);
          const cut = await closed(ws, holdMs);
          frozen = {
            heldMs: performance.now() - frozeAt,
            echoedWhileFrozen: echoes.length,
            openAtEnd: cut === undefined && ws.readyState === WebSocket.OPEN,
            ...(cut ? { cutAfterMs: cut.at - frozeAt } : {}),
            app: await ctx.appStats(),
          };
        } finally {
          // From before the command: the front thaws before `docker unpause` returns, and the
          // echo may already be on its way by then.
          unpausedAt = performance.now();
          await controls.unpauseFront();
          unpaused = true;
          ctx.progress(`front unpaused after ${seconds(unpausedAt - frozeAt)}; waiting for the echo`);
        }
        // Already failed (an echo through the "frozen" path, or a cut): no thaw echo to wait for.
        if (frozen.openAtEnd && frozen.echoedWhileFrozen === 0) {
          await within(THAW_ECHO_WITHIN_MS, 10, () => echoes.length > 0 || ws.readyState !== WebSocket.OPEN);
        }
        const thawEcho = echoes[frozen.echoedWhileFrozen];
        const after = await ctx.appStats();
        const { app } = frozen;
        const appStillCounts = app.openConnections >= 1 && app.pingTimeouts === before.pingTimeouts;
        const appGotNothing = app.messagesEchoed === before.messagesEchoed;
        const appEchoedOnce = after.messagesEchoed - before.messagesEchoed === 1;
        const echoedAfterThaw = frozen.echoedWhileFrozen === 0 && thawEcho?.text === text;
        const ok = frozen.openAtEnd && appStillCounts && appGotNothing && echoedAfterThaw && appEchoedOnce;
        const echoMs = thawEcho ? thawEcho.at - unpausedAt : Number.NaN;
        const whileFrozen = frozen.cutAfterMs !== undefined
          ? `closed after ${seconds(frozen.cutAfterMs)} frozen`
          : frozen.echoedWhileFrozen > 0
            ? `echoed ${seconds((echoes[0]?.at ?? frozeAt) - frozeAt)} into the "freeze": the path was not frozen`
            : `still open after ${seconds(frozen.heldMs)} frozen, no echo, nothing noticed`;
        const thaw = echoedAfterThaw ? `the echo came ${seconds(echoMs)} after the unpause` : `no echo within ${seconds(THAW_ECHO_WITHIN_MS)} of the unpause`;
        const figure = `${whileFrozen}; ${thaw}`;
        return verdict(ok, figure,
          `no echo while the client reads "open" for ${seconds(holdMs)}, the app not receiving the message nor dropping the connection, then exactly one echo within ${seconds(THAW_ECHO_WITHIN_MS)} of the unpause`,
          `${figure}; app while frozen: open connections ${app.openConnections}, ping timeouts ${before.pingTimeouts} → ${app.pingTimeouts}, messages echoed +${app.messagesEchoed - before.messagesEchoed}; after the unpause +${after.messagesEchoed - before.messagesEchoed}`,
          { heldMs: frozen.heldMs, echoedWhileFrozen: frozen.echoedWhileFrozen, echoAfterUnpauseMs: echoMs, appOpenConnections: app.openConnections, appEchoedWhileFrozen: app.messagesEchoed - before.messagesEchoed, appEchoed: after.messagesEchoed - before.messagesEchoed });
      } finally {
        if (paused && !unpaused) await controls.unpauseFront();
        discard(ws);
      }
    },
  };
}
