/**
 * The bench's checks as plain async functions for a user's own suite: each opens its own
 * connection to a ws:// or wss:// URL (a front started by WebSocketFrontContainer, or any
 * endpoint), measures, and returns a typed result, `ok` plus the figures and a `detail` that
 * says what was expected and what was seen. They never throw for what the far end does (a
 * refused handshake is a result); they throw for options that cannot be right.
 *
 * The measuring and judging is the scenarios' and the probe's own (src/scenarios/checks/,
 * src/scenarios/check-helpers/, src/probe/): one rule in one place.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type WebSocket from 'ws';
import { holdWithPings, type PingHoldReport } from '../probe/idle.js';
import { probeHandshake } from '../probe/handshake.js';
import { closed, connect, discard, nextMessage as nextMessageOf, open, type ConnectOptions } from '../scenarios/check-helpers/client.js';
import { bytes, seconds } from '../scenarios/check-helpers/result.js';
import { echoOnce, type Payload } from '../scenarios/checks/echo.js';
import { CUT_TOLERANCE_MS, HOLD_FACTOR, judgeIdleCut, PINGS_PER_IDLE_TIMEOUT, type IdleCutSeen } from '../scenarios/checks/idle.js';
import { checkMs } from './front-plan.js';

/** A WebSocket URL and what the checks should expect of it (StartedWebSocketFront.target(path) makes one). */
export interface WebSocketTarget {
  url: string;
  /** The idle timeout the front is configured with (ms): idleCut's default expectation, staysOpenWithPings' yardstick. */
  idleTimeoutMs?: number;
  /** For wss://: the CA certificate (PEM) that issued the front's certificate. */
  ca?: string;
}

/** How the checks' client connects. */
export interface ClientOptions {
  /** Extra request headers on the handshake (Origin, Authorization, …). */
  headers?: Record<string, string>;
  /** Subprotocols offered. */
  protocols?: string[];
  /** How long the handshake may take (default 5 s). */
  handshakeTimeoutMs?: number;
  /** wss://: a CA certificate (PEM) to trust besides the system's. */
  ca?: string;
  /** wss://: false accepts a certificate that does not verify (self-signed). */
  rejectUnauthorized?: boolean;
}

function targetOf(target: string | WebSocketTarget): WebSocketTarget {
  const t = typeof target === 'string' ? { url: target } : target;
  if (!t || typeof t.url !== 'string' || !/^wss?:\/\//.test(t.url)) throw new Error(`a check needs a ws:// or wss:// URL, got ${JSON.stringify(typeof target === 'string' ? target : t?.url)}`);
  return t;
}

function connectOptions(t: WebSocketTarget, o: ClientOptions): ConnectOptions {
  const ca = o.ca ?? t.ca;
  return {
    ...(o.headers ? { headers: o.headers } : {}),
    ...(o.protocols ? { protocols: o.protocols } : {}),
    ...(o.handshakeTimeoutMs !== undefined ? { timeoutMs: checkMs(o.handshakeTimeoutMs, 'handshakeTimeoutMs') } : {}),
    ...(ca !== undefined ? { ca } : {}),
    ...(o.rejectUnauthorized !== undefined ? { rejectUnauthorized: o.rejectUnauthorized } : {}),
  };
}

/** What a client saw of a handshake that did not open a WebSocket. */
function refusal(status: number, error: string | undefined): string {
  return status === 0 ? `no response (${error ?? 'unknown error'})` : `${status} instead of 101`;
}

// ---------------------------------------------------------------------------------------------
// Opening a WebSocket yourself

/** Opens a WebSocket (the `ws` package's) through the front, or throws with what the client saw instead. */
export async function openWebSocket(target: string | WebSocketTarget, options: ClientOptions = {}): Promise<WebSocket> {
  const t = targetOf(target);
  return open(t.url, connectOptions(t, options));
}

/** The next message on a socket (its bytes and whether it was binary), or an error when it closes or `timeoutMs` passes. */
export function nextMessage(ws: WebSocket, timeoutMs = 5_000): Promise<{ data: Buffer; isBinary: boolean }> {
  return nextMessageOf(ws, timeoutMs);
}

// ---------------------------------------------------------------------------------------------
// idleCut

export interface IdleCutOptions extends ClientOptions {
  /** The idle timeout expected (ms); default: the target's idleTimeoutMs. Without one, the check only finds the cut. */
  expectMs?: number;
  /** How late past the timeout a cut may come, counted from the 101 (default 1500 ms, the scenarios' own). */
  toleranceMs?: number;
  /** How long to wait for the cut (default: the expectation plus twice the tolerance; required without an expectation). */
  maxIdleMs?: number;
}

export interface IdleCutResult {
  ok: boolean;
  /** The handshake's status (101, or the refusal's; 0: no response). */
  status: number;
  /** Whether the front (or anything on the way) ended the connection within the watch. */
  cut: boolean;
  /** From the handshake request sent to the cut: the front's timer cannot have started earlier. */
  cutAfterMs?: number;
  /** From the 101 received to the cut: the front's timer cannot have started later. */
  cutAfter101Ms?: number;
  handshakeMs?: number;
  /** The close code the client saw (1006: dropped without a close frame). */
  closeCode?: number;
  closeReason?: string;
  expectMs?: number;
  toleranceMs: number;
  /** How long the connection was watched for. */
  watchedMs: number;
  /** Pings the far end sent meanwhile (then the connection was not idle, and a front's timer may never fire). */
  serverPings: number;
  detail: string;
}

/**
 * The verdict on what idleCut saw: with an expectation T, a cut no sooner than T after the
 * request was sent and no later than T + tolerance after the 101 (the scenarios' rule,
 * judgeIdleCut); without one, any cut within the watch.
 */
export function judgeIdle(seen: IdleCutSeen & { closeReason?: string; serverPings: number }, expectMs: number | undefined, toleranceMs: number, watchedMs: number): IdleCutResult {
  const base = {
    status: 101,
    cut: seen.cut !== undefined,
    handshakeMs: seen.responseAt - seen.requestSentAt,
    ...(seen.cut ? {
      cutAfterMs: seen.cut.at - seen.requestSentAt,
      cutAfter101Ms: seen.cut.at - seen.responseAt,
      closeCode: seen.cut.code,
      ...(seen.closeReason ? { closeReason: seen.closeReason } : {}),
    } : {}),
    ...(expectMs !== undefined ? { expectMs } : {}),
    toleranceMs,
    watchedMs,
    serverPings: seen.serverPings,
  };
  const pings = seen.serverPings > 0 ? ` (the far end sent ${seen.serverPings} pings meanwhile: the connection was not idle)` : '';
  if (expectMs !== undefined) {
    const v = judgeIdleCut(seen, expectMs, toleranceMs);
    return { ok: v.ok, ...base, detail: v.detail + pings };
  }
  if (!seen.cut) return { ok: false, ...base, detail: `expected a cut within ${seconds(watchedMs)}; saw the connection still open${pings}` };
  return { ok: true, ...base, detail: `cut ${seconds(seen.cut.at - seen.requestSentAt)} after the handshake request was sent, ${seconds(seen.cut.at - seen.responseAt)} after its 101, with ${seen.cut.code}${pings}` };
}

/** Opens a connection, sends nothing (answering pings, as browsers do), and measures when it is cut. */
export async function idleCut(target: string | WebSocketTarget, options: IdleCutOptions = {}): Promise<IdleCutResult> {
  const t = targetOf(target);
  const expectMs = options.expectMs !== undefined ? checkMs(options.expectMs, 'expectMs') : t.idleTimeoutMs;
  const toleranceMs = options.toleranceMs !== undefined ? checkMs(options.toleranceMs, 'toleranceMs') : CUT_TOLERANCE_MS;
  if (expectMs === undefined && options.maxIdleMs === undefined) {
    throw new Error('idleCut needs an expectation (expectMs, or a target from a front given .withIdleTimeout()) or a bound to wait (maxIdleMs)');
  }
  const watchedMs = options.maxIdleMs !== undefined ? checkMs(options.maxIdleMs, 'maxIdleMs') : (expectMs as number) + 2 * toleranceMs;
  const outcome = await connect(t.url, connectOptions(t, options));
  const ws = outcome.socket;
  if (!ws || outcome.requestSentAt === undefined || outcome.responseAt === undefined) {
    discard(ws);
    return { ok: false, status: outcome.status, cut: false, ...(expectMs !== undefined ? { expectMs } : {}), toleranceMs, watchedMs: 0, serverPings: 0, detail: `expected a WebSocket; the handshake got ${refusal(outcome.status, outcome.error)}` };
  }
  let serverPings = 0;
  ws.on('ping', () => { serverPings += 1; });
  try {
    const cut = await closed(ws, watchedMs);
    const seen = { requestSentAt: outcome.requestSentAt, responseAt: outcome.responseAt, now: performance.now(), serverPings, ...(cut ? { cut, closeReason: cut.reason } : {}) };
    return judgeIdle(seen, expectMs, toleranceMs, watchedMs);
  } finally {
    discard(ws);
  }
}

// ---------------------------------------------------------------------------------------------
// staysOpenWithPings

export interface StaysOpenOptions extends ClientOptions {
  /** How often the client pings (default: half the target's idle timeout). */
  pingIntervalMs?: number;
  /** How long to hold the connection (default: 3 × the target's idle timeout). */
  holdMs?: number;
}

export interface StaysOpenResult {
  ok: boolean;
  /** Still open when the hold ended. */
  held: boolean;
  heldMs: number;
  holdMs: number;
  pingIntervalMs: number;
  pingsSent: number;
  pongsReceived: number;
  /** When it was cut anyway: after how long, the close code, and how (close frame, TCP reset, TCP close). */
  cutAfterMs?: number;
  closeCode?: number;
  cutHow?: 'close-frame' | 'tcp-reset' | 'tcp-close';
  detail: string;
}

/** The verdict on a hold with pings: open to the end, and the pings answered (the path carried them both ways). */
export function judgePingHold(report: PingHoldReport, idleTimeoutMs?: number): StaysOpenResult {
  const base = {
    held: report.held,
    heldMs: report.heldMs,
    holdMs: report.holdMs,
    pingIntervalMs: report.intervalMs,
    pingsSent: report.pingsSent,
    pongsReceived: report.pongsReceived,
    ...(report.cut ? { cutAfterMs: report.cut.afterMs, closeCode: report.cut.code, cutHow: report.cut.how } : {}),
  };
  const past = idleTimeoutMs !== undefined ? ` (${(report.holdMs / idleTimeoutMs).toFixed(1)} × the ${seconds(idleTimeoutMs)} idle timeout)` : '';
  const expected = `open at ${seconds(report.holdMs)}${past} with a client ping every ${seconds(report.intervalMs)}, the pings answered`;
  const pings = `${report.pingsSent} pings sent, ${report.pongsReceived} pongs back`;
  if (report.cut) {
    return { ok: false, ...base, detail: `expected ${expected}; saw a cut after ${seconds(report.cut.afterMs)} with ${report.cut.code} (${report.cut.how}), ${pings}` };
  }
  const ok = report.pongsReceived > 0;
  return { ok, ...base, detail: `expected ${expected}; saw it open at ${seconds(report.heldMs)}, ${pings}` };
}

/** Holds a connection with no messages and a client ping every interval; says whether it was still open at the end. */
export async function staysOpenWithPings(target: string | WebSocketTarget, options: StaysOpenOptions = {}): Promise<StaysOpenResult> {
  const t = targetOf(target);
  const idle = t.idleTimeoutMs;
  if (idle === undefined && (options.pingIntervalMs === undefined || options.holdMs === undefined)) {
    throw new Error('staysOpenWithPings needs pingIntervalMs and holdMs, or a target from a front given .withIdleTimeout() (then T/2 and 3 × T)');
  }
  const pingIntervalMs = options.pingIntervalMs !== undefined ? checkMs(options.pingIntervalMs, 'pingIntervalMs') : Math.round((idle as number) / PINGS_PER_IDLE_TIMEOUT);
  const holdMs = options.holdMs !== undefined ? checkMs(options.holdMs, 'holdMs') : HOLD_FACTOR * (idle as number);
  if (pingIntervalMs >= holdMs) throw new Error(`pingIntervalMs (${pingIntervalMs}) must be shorter than holdMs (${holdMs}): no ping would be sent`);
  if (idle !== undefined && holdMs <= idle) throw new Error(`holdMs (${holdMs}) must be longer than the idle timeout (${idle}) to show the pings keep the connection open`);
  if (idle !== undefined && pingIntervalMs >= idle) throw new Error(`pingIntervalMs (${pingIntervalMs}) must be shorter than the idle timeout (${idle}), or the front cuts between two pings`);
  const connectWith = connectOptions(t, options);
  try {
    const report = await holdWithPings(() => connect(t.url, connectWith), pingIntervalMs, holdMs, () => {});
    return judgePingHold(report, idle);
  } catch (err) {
    return { ok: false, held: false, heldMs: 0, holdMs, pingIntervalMs, pingsSent: 0, pongsReceived: 0, detail: `expected a WebSocket to hold; ${(err as Error).message}` };
  }
}

// ---------------------------------------------------------------------------------------------
// upgradeAnsweredBy

export interface AnsweredByOptions extends ClientOptions {
  /** The response header that names who answered (e.g. the app's own `X-Chat-Server`): required on the 101. */
  header?: string;
  /** What that header must say: exactly this string, or matching this pattern (default: anything). */
  value?: string | RegExp;
}

export interface AnsweredByResult {
  ok: boolean;
  status: number;
  /** The value of the identity header asked for, when present. */
  identity?: string;
  /** The Server header (a front that adds its own, nginx/1.27.3, shows it was on the path). */
  server?: string;
  /** Every response header, lower-case names, repeated values joined with ", ". */
  headers: Record<string, string>;
  /** The subprotocol agreed ('' = none). */
  subprotocol: string;
  handshakeMs: number;
  detail: string;
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** The verdict on a handshake: 101, and the identity header present with the value asked for. */
export function judgeAnsweredBy(status: number, headers: Record<string, string>, expect: { header?: string; value?: string | RegExp }, error?: string): { ok: boolean; identity?: string; detail: string } {
  const name = expect.header?.toLowerCase();
  const identity = name !== undefined ? headers[name] : undefined;
  const valueOk = identity !== undefined && (expect.value === undefined || (typeof expect.value === 'string' ? identity === expect.value : expect.value.test(identity)));
  const ok = status === 101 && (name === undefined || valueOk);
  const wanted = name === undefined
    ? '101'
    : `101 with ${expect.header}${expect.value === undefined ? '' : `: ${typeof expect.value === 'string' ? expect.value : String(expect.value)}`}`;
  const got = status === 101 ? '101' : refusal(status, error);
  const server = headers.server !== undefined ? `, Server: ${headers.server}` : '';
  const seenHeader = name === undefined ? '' : identity === undefined ? `, no ${expect.header}` : `, ${expect.header}: ${identity}`;
  return { ok, ...(identity !== undefined ? { identity } : {}), detail: `expected ${wanted}; saw ${got}${seenHeader}${server}` };
}

/** Who answered the upgrade through the front: the status, the identity header asked for, Server and every header. */
export async function upgradeAnsweredBy(target: string | WebSocketTarget, options: AnsweredByOptions = {}): Promise<AnsweredByResult> {
  const t = targetOf(target);
  if (options.header !== undefined && !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(options.header)) throw new Error(`header ${JSON.stringify(options.header)} is not a header name`);
  const { report, outcome } = await probeHandshake(t.url, connectOptions(t, options));
  discard(outcome.socket);
  const headers = flatHeaders(outcome.headers);
  const v = judgeAnsweredBy(report.status, headers, options, report.error);
  return {
    ok: v.ok && report.ok,
    status: report.status,
    ...(v.identity !== undefined ? { identity: v.identity } : {}),
    ...(headers.server !== undefined ? { server: headers.server } : {}),
    headers,
    subprotocol: report.subprotocol,
    handshakeMs: report.durationMs,
    detail: report.status === 101 && !report.ok ? `${v.detail} (${report.error ?? 'the client refused it'})` : v.detail,
  };
}

// ---------------------------------------------------------------------------------------------
// echoFidelity

/** Frame sizes where the WebSocket length encoding changes (7-bit, 16-bit, 64-bit lengths). */
export const DEFAULT_ECHO_SIZES: readonly number[] = [125, 126, 65_536];
/** The default text message: not ASCII only, so an encoding slip shows. */
export const DEFAULT_ECHO_TEXT = 'hello through the proxy ✓';

export interface EchoFidelityOptions extends ClientOptions {
  /** Messages sent as they are: a string as a text message, bytes as a binary one (default: one text). */
  messages?: (string | Uint8Array)[];
  /** Random binary messages of these sizes in bytes, after `messages` (default 125, 126 and 65536). */
  sizes?: number[];
  /** How long each reply may take (default 10 s). */
  timeoutMs?: number;
}

export interface EchoMessageResult {
  kind: 'text' | 'binary';
  bytes: number;
  /** The same bytes came back, as one message of the same kind. */
  same: boolean;
  roundTripMs?: number;
  got?: { kind: 'text' | 'binary'; bytes: number };
  error?: string;
}

export interface EchoFidelityResult {
  ok: boolean;
  status: number;
  messages: EchoMessageResult[];
  detail: string;
}

/** The verdict over every message: all came back the same. */
export function judgeEcho(messages: EchoMessageResult[], planned: number): { ok: boolean; detail: string } {
  const bad = messages.filter((m) => !m.same);
  const ok = messages.length === planned && planned > 0 && bad.length === 0;
  const describe = (m: EchoMessageResult): string => `${m.kind} ${bytes(m.bytes)}: ${m.error ?? (m.got ? `${m.got.kind} ${bytes(m.got.bytes)}${m.got.kind === m.kind && m.got.bytes === m.bytes ? ', different bytes' : ''}` : 'nothing')}`;
  const seen = bad.length === 0
    ? `${messages.length} of ${planned} back unchanged`
    : `${messages.length - bad.length} of ${planned} back unchanged; ${bad.map(describe).join('; ')}`;
  return { ok, detail: `expected ${planned} messages back byte for byte, same kind; saw ${seen}` };
}

/** Sends each message on one connection, one at a time, and compares the next message back with it. */
export async function echoFidelity(target: string | WebSocketTarget, options: EchoFidelityOptions = {}): Promise<EchoFidelityResult> {
  const t = targetOf(target);
  const timeoutMs = options.timeoutMs !== undefined ? checkMs(options.timeoutMs, 'timeoutMs') : 10_000;
  for (const size of options.sizes ?? []) {
    if (!Number.isInteger(size) || size < 0) throw new Error(`sizes must be whole numbers of bytes (0 or more), got ${JSON.stringify(size)}`);
  }
  const payloads: Payload[] = [
    ...(options.messages ?? [DEFAULT_ECHO_TEXT]).map((m, i): Payload => (typeof m === 'string'
      ? { id: `m${i}`, describe: 'text', fragments: [Buffer.from(m, 'utf8')], binary: false }
      : { id: `m${i}`, describe: 'binary', fragments: [Buffer.from(m)], binary: true })),
    ...(options.sizes ?? DEFAULT_ECHO_SIZES).map((n, i): Payload => ({ id: `s${i}`, describe: 'binary', fragments: [randomBytes(n)], binary: true })),
  ];
  if (payloads.length === 0) throw new Error('echoFidelity has nothing to send: give messages or sizes');
  const outcome = await connect(t.url, connectOptions(t, options));
  const ws = outcome.socket;
  if (!ws) {
    return { ok: false, status: outcome.status, messages: [], detail: `expected a WebSocket; the handshake got ${refusal(outcome.status, outcome.error)}` };
  }
  const results: EchoMessageResult[] = [];
  try {
    for (const payload of payloads) {
      const kind = payload.binary ? 'binary' : 'text';
      const size = Buffer.concat(payload.fragments).length;
      try {
        const r = await echoOnce(ws, payload, timeoutMs);
        results.push({ kind, bytes: size, same: r.same, roundTripMs: r.roundTripMs, got: { kind: r.got.isBinary ? 'binary' : 'text', bytes: r.got.data.length } });
      } catch (err) {
        results.push({ kind, bytes: size, same: false, error: (err as Error).message });
        break; // closed or silent: the rest would say the same
      }
    }
  } finally {
    discard(ws);
  }
  return { status: 101, messages: results, ...judgeEcho(results, payloads.length) };
}
