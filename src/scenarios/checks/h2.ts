/**
 * WebSockets over HTTP/2 (RFC 8441), the path Chromium takes when a TLS front negotiates h2 and
 * advertises SETTINGS_ENABLE_CONNECT_PROTOCOL: is it on offer, does it echo, carry a close, reach
 * the app as an HTTP/1.1 Upgrade, get cut at the idle timeout (and held by pings), keep streams of
 * one connection apart; and, where it is not on offer, does the HTTP/1.1 fallback on the same
 * listener work. Every check needs a wss:// front (browsers speak h2 only over TLS).
 */
import {
  connectH2,
  describeH2Handshake,
  openHttp1,
  probeH2,
  rstCodeName,
  type EchoSocket,
  type H2ConnectOptions,
  type H2Probe,
  type H2Session,
  type SocketClosed,
} from '../check-helpers/h2-websocket.js';
import type { IncomingHttpHeaders } from 'node:http';
import { answeredBy } from '../check-helpers/client.js';
import { bytes, seconds, verdict } from '../check-helpers/result.js';
import { timerAtLeast } from '../check-helpers/wait.js';
import type { Check, CheckContext, CheckResult } from '../types.js';
import { payloads, send, type Payload } from './echo.js';
import { CLOCK_ALLOWANCE_MS, CUT_TOLERANCE_MS, cutWindow, H2_HANDSHAKE, HOLD_FACTOR, PINGS_PER_IDLE_TIMEOUT, windowText } from './idle.js';

/** What a scenario expects of the front's offer: a figure either way, or a failure when it differs. */
export type H2Expectation = 'advertised' | 'not-advertised' | 'either';

function h2Options(ctx: CheckContext): H2ConnectOptions {
  return ctx.ca === undefined ? {} : { ca: ctx.ca };
}

/** A failed result when the front is not reached over TLS. */
function needsTls(ctx: CheckContext): CheckResult | undefined {
  if (ctx.wsUrl.startsWith('wss:')) return undefined;
  return verdict(false, 'no TLS', 'a wss:// front (browsers speak h2 only over TLS)', ctx.wsUrl);
}

/** How a probe reads in a figure: "advertised", "h2, not advertised", "no h2 (ALPN http/1.1)". */
export function describeProbe(probe: H2Probe): string {
  if (probe.alpn !== 'h2') return `no h2 (ALPN ${probe.alpn === false ? 'none' : probe.alpn})`;
  return probe.connectProtocol ? 'advertised' : 'h2, not advertised';
}

/** How a WebSocket over h2 ended: its close code, and the stream reset or the session's end. */
function describeCut(closed: SocketClosed, session: H2Session): string {
  const how = session.session.destroyed || session.session.closed ? 'session closed' : closed.rstCode ? `RST_STREAM ${rstCodeName(closed.rstCode)}` : 'stream closed';
  return `${closed.code}, ${how}`;
}

/** `requestSentAt` and `responseAt`: the CONNECT's clock readings (performance.now()). */
type Opened = { h2: H2Session; socket: EchoSocket; headers: Record<string, string | string[] | undefined>; requestSentAt: number; responseAt: number };

/** An h2 WebSocket on its own session, or the failed result that says why there is none. */
async function openOrFail(ctx: CheckContext, expected: string): Promise<Opened | CheckResult> {
  const noTls = needsTls(ctx);
  if (noTls) return noTls;
  const session = await connectH2(ctx.wsUrl, h2Options(ctx)).catch((err: Error) => err);
  if (session instanceof Error) {
    const probe = (session as { probe?: H2Probe }).probe;
    return verdict(false, probe ? describeProbe(probe) : 'no connection', expected, session.message);
  }
  const handshake = await session.openWebSocket();
  if (!handshake.socket) {
    session.close();
    const figure = session.connectProtocol ? `CONNECT ${handshake.status || 'failed'}` : 'not advertised';
    const why = session.connectProtocol ? '' : 'the front did not advertise SETTINGS_ENABLE_CONNECT_PROTOCOL; ';
    return verdict(false, figure, expected, `${why}extended CONNECT got ${describeH2Handshake(handshake)}`);
  }
  // Both are read on every answered CONNECT (check-helpers/h2-websocket.ts).
  return { h2: session, socket: handshake.socket, headers: handshake.headers, requestSentAt: handshake.requestSentAt ?? Number.NaN, responseAt: handshake.responseAt ?? Number.NaN };
}

function isResult(x: Opened | CheckResult): x is CheckResult {
  return 'ok' in x;
}

/** The stream's close, or undefined once `ms` have passed by performance.now() ("still open after ms" means that long). */
function closedWithin(socket: EchoSocket, ms: number): Promise<SocketClosed | undefined> {
  let cancel = (): void => {};
  return Promise.race([
    socket.closed.finally(() => cancel()),
    new Promise<undefined>((resolve) => { cancel = timerAtLeast(ms, () => resolve(undefined)); }),
  ]);
}

/** Does the front offer WebSockets over h2? With 'either' the answer is a figure, never a failure. */
export function h2Advertised(expect: H2Expectation = 'either'): Check {
  const titles: Record<H2Expectation, string> = {
    either: 'whether the front offers WebSockets over h2 (ALPN h2 and SETTINGS_ENABLE_CONNECT_PROTOCOL)',
    advertised: 'the front negotiates h2 and advertises extended CONNECT (RFC 8441): Chromium opens WebSockets over h2',
    'not-advertised': 'the front does not advertise extended CONNECT over h2: browsers open WebSockets over HTTP/1.1',
  };
  return {
    id: 'h2-advertised',
    title: titles[expect],
    independent: true,
    async run(ctx) {
      const noTls = needsTls(ctx);
      if (noTls) return noTls;
      const probe = await probeH2(ctx.wsUrl, h2Options(ctx));
      const advertised = probe.alpn === 'h2' && probe.connectProtocol;
      const ok = expect === 'either' || advertised === (expect === 'advertised');
      const want = { either: 'either answer', advertised: 'ALPN h2 and SETTINGS_ENABLE_CONNECT_PROTOCOL=1', 'not-advertised': 'no SETTINGS_ENABLE_CONNECT_PROTOCOL (or no h2)' }[expect];
      return verdict(ok, describeProbe(probe), want, `ALPN ${probe.alpn === false ? 'none' : probe.alpn}, SETTINGS_ENABLE_CONNECT_PROTOCOL ${probe.connectProtocol ? '1' : 'absent'}`,
        { h2: probe.alpn === 'h2' ? 1 : 0, advertised: advertised ? 1 : 0 });
    },
  };
}

/** One payload over an h2 WebSocket comes back identical, as one message of the same type. */
export function h2Echoes(payload: Payload): Check {
  return {
    id: `h2-echo-${payload.id}`,
    title: `echo of ${payload.describe} over h2 (RFC 8441)`,
    independent: true,
    async run(ctx) {
      const expected = Buffer.concat(payload.fragments);
      const kind = (binary: boolean): string => (binary ? 'binary' : 'text');
      const want = `${kind(payload.binary)} ${expected.length} bytes back unchanged over an h2 stream`;
      const opened = await openOrFail(ctx, want);
      if (isResult(opened)) return opened;
      const { h2, socket } = opened;
      try {
        const started = performance.now();
        const reply = socket.nextMessage(10_000);
        send(socket.ws, payload);
        const got = await reply.catch((err: Error) => err);
        if (got instanceof Error) return verdict(false, 'no echo', want, got.message);
        const ms = performance.now() - started;
        const same = got.isBinary === payload.binary && got.data.equals(expected);
        return verdict(same, same ? `${bytes(expected.length)} ok` : 'mismatch', want,
          `${kind(got.isBinary)} ${got.data.length} bytes, ${got.data.equals(expected) ? 'identical' : 'different'}`, { bytes: expected.length, roundTripMs: ms });
      } finally {
        socket.discard();
        h2.close();
      }
    },
  };
}

/** The checks' payloads over h2: text, binary, fragmented, 1 MiB. */
export const h2EchoChecks = (): Check[] => Object.values(payloads).map((p) => h2Echoes(p));

/** The client closes an h2 WebSocket with `code` "reason"; the same comes back. */
export function h2CloseCarried(code: number, reason: string): Check {
  return {
    id: 'h2-close-code',
    title: `close ${code} "${reason}" over h2 comes back unchanged`,
    independent: true,
    async run(ctx) {
      const want = `${code} "${reason}"`;
      const opened = await openOrFail(ctx, want);
      if (isResult(opened)) return opened;
      const { h2, socket } = opened;
      try {
        socket.close(code, reason);
        const got = await closedWithin(socket, 5_000);
        const seen = got ? `${got.code} "${got.reason}"` : 'no close within 5 s';
        return verdict(got?.code === code && got.reason === reason, seen, want, seen);
      } finally {
        socket.discard();
        h2.close();
      }
    },
  };
}

/** An h2 WebSocket reaches the app as one HTTP/1.1 Upgrade carrying X-Forwarded-Proto: https. */
export function h2AppSaw(): Check {
  return {
    id: 'h2-app-saw-upgrade',
    title: 'an h2 WebSocket reaches the app as an HTTP/1.1 Upgrade with X-Forwarded-Proto: https',
    independent: false, // reads the app's counters and its last upgrade: nothing else may upgrade meanwhile
    async run(ctx) {
      const want = 'upgradesReceived +1, Upgrade: websocket and X-Forwarded-Proto: https on it';
      const before = (await ctx.appStats()).upgradesReceived;
      const opened = await openOrFail(ctx, want);
      if (isResult(opened)) return opened;
      opened.socket.discard();
      opened.h2.close();
      const stats = await ctx.appStats();
      const headers = stats.lastUpgradeHeaders ?? {};
      const delta = stats.upgradesReceived - before;
      const upgrade = String(headers.upgrade ?? '(none)');
      const proto = String(headers['x-forwarded-proto'] ?? '(none)');
      const ok = delta === 1 && upgrade.toLowerCase() === 'websocket' && proto === 'https';
      const figure = delta !== 1 ? `app saw ${delta} upgrades` : proto !== 'https' ? `X-Forwarded-Proto: ${proto}` : upgrade.toLowerCase() !== 'websocket' ? `Upgrade: ${upgrade}` : 'HTTP/1.1 Upgrade, https';
      return verdict(ok, figure, want, `upgradesReceived +${delta}, Upgrade: ${upgrade}, X-Forwarded-Proto: ${proto}`, { upgrades: delta });
    },
  };
}

/**
 * Who answers a WebSocket that comes as an HTTP/2 extended CONNECT, the browser's path where the
 * front offers it: with the front's WebSocket handling on, its own handler (identity header
 * X-Front, the app's upgrade counter unmoved); off, the app. A routing rule that picks WebSockets
 * by their `Upgrade` header, which an RFC 8441 request does not carry, sends them to the wrong one.
 * A front that does not offer extended CONNECT passes with that as its figure: no browser comes
 * this way there.
 */
export function h2HandledBy(by: 'app' | 'front'): Check {
  return {
    id: 'h2-handled-by',
    title: by === 'front'
      ? 'an h2 WebSocket (extended CONNECT) is answered by the front tier\'s handler; the app never sees it'
      : 'an h2 WebSocket (extended CONNECT) reaches the app, which answers and echoes',
    independent: false, // compares the app's upgrade counter before and after
    async run(ctx) {
      const want = `200 from ${by === 'front' ? 'the front tier' : 'the app'}, echo, app upgrades +${by === 'app' ? 1 : 0}`;
      const noTls = needsTls(ctx);
      if (noTls) return noTls;
      // Not offered: a browser cannot take this path (it upgrades over HTTP/1.1), so there is
      // nothing to route; the figure says so. Whether a front offers it is h2-advertised's verdict.
      const probe = await probeH2(ctx.wsUrl, h2Options(ctx));
      if (probe.alpn !== 'h2' || !probe.connectProtocol) {
        return verdict(true, `${describeProbe(probe)}: no h2 WebSocket to route`, want, `${describeProbe(probe)}; browsers upgrade over HTTP/1.1 here`);
      }
      const before = (await ctx.appStats()).upgradesReceived;
      const opened = await openOrFail(ctx, want);
      if (isResult(opened)) return opened;
      let echoed = false;
      try {
        const reply = opened.socket.nextMessage(5_000);
        opened.socket.send('who answers over h2?', { binary: false });
        echoed = (await reply.catch(() => undefined))?.data.toString() === 'who answers over h2?';
      } finally {
        opened.socket.discard();
        opened.h2.close();
      }
      const delta = (await ctx.appStats()).upgradesReceived - before;
      const answerer = answeredBy(opened.headers as IncomingHttpHeaders);
      const ok = answerer === by && echoed && delta === (by === 'app' ? 1 : 0);
      return verdict(ok, `handled by ${answerer} (app upgrades +${delta})`, want,
        `200 answered by ${answerer}, echo ${echoed ? 'ok' : 'missing'}, app upgrades +${delta}`, { appUpgrades: delta });
    },
  };
}

/**
 * An idle h2 WebSocket (no pings either way) is cut in the window the HTTP/1.1 idle check uses
 * (checks/idle.ts), judged from both ends of its handshake: at least T after the extended
 * CONNECT was sent (less CLOCK_ALLOWANCE_MS), at most T + tolerance after its 200 arrived.
 */
export function h2IdleCut(toleranceMs = CUT_TOLERANCE_MS): Check {
  return {
    id: 'h2-idle-cut',
    title: `an idle WebSocket over h2 without pings is cut at the idle timeout T (${windowText('T', `T + ${seconds(toleranceMs)}`, H2_HANDSHAKE)})`,
    independent: true,
    async run(ctx) {
      const t = ctx.idleTimeoutMs;
      const want = `a cut ${cutWindow(t, toleranceMs, H2_HANDSHAKE)}`;
      const opened = await openOrFail(ctx, want);
      if (isResult(opened)) return opened;
      const { h2, socket, requestSentAt, responseAt } = opened;
      try {
        ctx.progress(`idle h2 stream, no pings: expecting a cut ${cutWindow(t, toleranceMs, H2_HANDSHAKE)}`);
        // Watched one tolerance past the window: a cut that late still shows its time (and fails).
        const cut = await closedWithin(socket, t + 2 * toleranceMs);
        if (!cut) return verdict(false, 'not cut', want, `still open ${seconds(performance.now() - responseAt)} after the 200`);
        const fromRequest = cut.at - requestSentAt;
        const from200 = cut.at - responseAt;
        const ok = fromRequest >= t - CLOCK_ALLOWANCE_MS && from200 <= t + toleranceMs;
        const how = describeCut(cut, h2);
        return verdict(ok, `cut after ${seconds(fromRequest)} (${how})`, want,
          `cut ${seconds(fromRequest)} after the CONNECT was sent, ${seconds(from200)} after the 200 (${how})`,
          { cutAfterMs: fromRequest, cutAfter200Ms: from200, handshakeMs: responseAt - requestSentAt, closeCode: cut.code, rstCode: cut.rstCode, idleTimeoutMs: t });
      } finally {
        socket.discard();
        h2.close();
      }
    },
  };
}

/** With client pings every T/2, an h2 WebSocket with no messages is open at 3T and still echoes. */
export function h2PingsHold(factor = HOLD_FACTOR): Check {
  return {
    id: 'h2-client-pings-hold',
    title: `with client pings an idle WebSocket over h2 is open at ${factor}× the timeout and still echoes`,
    independent: true,
    async run(ctx) {
      const t = ctx.idleTimeoutMs;
      const holdMs = factor * t;
      const want = `open at ${seconds(holdMs)} and echoing, kept by client pings (answered)`;
      const opened = await openOrFail(ctx, want);
      if (isResult(opened)) return opened;
      const { h2, socket } = opened;
      let pings = 0;
      let pongs = 0;
      socket.ws.on('pong', () => { pongs += 1; });
      const started = performance.now();
      const pinger = setInterval(() => { socket.ping(); pings += 1; }, t / PINGS_PER_IDLE_TIMEOUT);
      try {
        ctx.progress(`holding an idle h2 stream for ${seconds(holdMs)} with client pings`);
        const cut = await closedWithin(socket, holdMs);
        const measured = { heldMs: performance.now() - started, clientPings: pings, pongs, idleTimeoutMs: t };
        if (cut) {
          const after = cut.at - started;
          return verdict(false, `cut after ${seconds(after)} (${describeCut(cut, h2)})`, want,
            `cut after ${seconds(after)} (${describeCut(cut, h2)}; client pings ${pings}, pongs ${pongs})`, { ...measured, cutAfterMs: after });
        }
        clearInterval(pinger);
        const reply = socket.nextMessage(5_000);
        socket.send('still here', { binary: false });
        const echoed = (await reply.catch(() => undefined))?.data.toString() === 'still here';
        return verdict(echoed && pongs > 0, `open at ${seconds(measured.heldMs)}, echo ${echoed ? 'ok' : 'failed'}`, want,
          `open at ${seconds(measured.heldMs)}, echo ${echoed ? 'ok' : 'failed'} (client pings ${pings}, pongs ${pongs})`, measured);
      } finally {
        clearInterval(pinger);
        socket.discard();
        h2.close();
      }
    },
  };
}

/**
 * `n` WebSockets as streams of one h2 connection: each echoes its own messages; one closes (1000)
 * and the others still echo, on the same connection.
 */
export function h2Streams(n = 3): Check {
  if (n < 2) throw new Error(`h2Streams needs at least 2 streams, not ${n}`);
  return {
    id: 'h2-streams',
    title: `${n} WebSockets as streams of one h2 connection each echo; closing one leaves the others open`,
    independent: true,
    async run(ctx) {
      const want = `${n}/${n} echo, the first closes with 1000, ${n - 1}/${n - 1} still echo on the same connection`;
      const noTls = needsTls(ctx);
      if (noTls) return noTls;
      const first = await openOrFail(ctx, want);
      if (isResult(first)) return first;
      const { h2 } = first;
      const sockets: EchoSocket[] = [first.socket];
      try {
        for (let i = 1; i < n; i++) {
          const handshake = await h2.openWebSocket();
          if (!handshake.socket) return verdict(false, `stream ${i + 1} refused`, want, `stream ${i + 1} of one connection got ${describeH2Handshake(handshake)}`);
          sockets.push(handshake.socket);
        }
        const echo = async (socket: EchoSocket, text: string): Promise<boolean> => {
          const reply = socket.nextMessage(5_000);
          socket.send(text, { binary: false });
          return (await reply.catch(() => undefined))?.data.toString() === text;
        };
        const firstRound = await Promise.all(sockets.map((s, i) => echo(s, `stream ${i + 1} of ${n}`)));
        const echoedFirst = firstRound.filter(Boolean).length;
        const [closing, ...others] = sockets as [EchoSocket, ...EchoSocket[]];
        closing.close(1000, 'one of many');
        const closed = await closedWithin(closing, 5_000);
        const secondRound = await Promise.all(others.map((s, i) => echo(s, `stream ${i + 2} after one closed`)));
        const echoedAfter = secondRound.filter(Boolean).length;
        const sessionOpen = !h2.session.destroyed && !h2.session.closed;
        const ok = echoedFirst === n && closed?.code === 1000 && echoedAfter === n - 1 && sessionOpen;
        const closeSeen = closed ? `${closed.code}` : 'no close within 5 s';
        return verdict(ok, `${echoedFirst}/${n} echoed, close ${closeSeen}, ${echoedAfter}/${n - 1} still echo`, want,
          `${echoedFirst}/${n} echoed, the first closed with ${closeSeen}, then ${echoedAfter}/${n - 1} echoed; the connection ${sessionOpen ? 'stayed open' : 'was closed'}`,
          { streams: n, echoedFirst, echoedAfter });
      } finally {
        for (const socket of sockets) socket.discard();
        h2.close();
      }
    },
  };
}

/**
 * The path of a browser that gets no WebSockets over h2: an HTTP/1.1 upgrade on a TLS connection
 * offering only http/1.1, to the same listener, echoes. The figure says whether the front
 * advertised extended CONNECT (then Chromium would not take this path, but other clients do).
 */
export function h2FallbackEchoes(): Check {
  return {
    id: 'h2-fallback-echo',
    title: 'without WebSockets over h2, the HTTP/1.1 upgrade over the same TLS listener echoes',
    independent: true,
    async run(ctx) {
      const noTls = needsTls(ctx);
      if (noTls) return noTls;
      const want = 'an HTTP/1.1 upgrade (ALPN http/1.1) over the same listener that echoes';
      const probe = await probeH2(ctx.wsUrl, h2Options(ctx));
      const offer = describeProbe(probe);
      const opened = await openHttp1(ctx.wsUrl, h2Options(ctx)).catch((err: Error) => err);
      if (opened instanceof Error) return verdict(false, `${offer}; HTTP/1.1 failed`, want, `${offer}; ${opened.message}`);
      try {
        const reply = opened.socket.nextMessage(5_000);
        opened.socket.send('over the HTTP/1.1 fallback', { binary: false });
        const echoed = (await reply.catch(() => undefined))?.data.toString() === 'over the HTTP/1.1 fallback';
        const alpn = opened.alpn === false ? 'no ALPN' : `ALPN ${opened.alpn}`;
        const ok = echoed && opened.alpn !== 'h2';
        return verdict(ok, `${offer}; HTTP/1.1 ${echoed ? 'echoes' : 'does not echo'}`, want, `${offer}; upgrade over ${alpn}, echo ${echoed ? 'ok' : 'failed'}`,
          { advertised: probe.alpn === 'h2' && probe.connectProtocol ? 1 : 0 });
      } finally {
        opened.socket.discard();
      }
    },
  };
}
