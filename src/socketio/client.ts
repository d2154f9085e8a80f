/**
 * The client side of the socket.io checks: the real socket.io-client, and what it measures as
 * plain data. Three levels:
 *
 *   const c = await connectSocketio('http://127.0.0.1:8080');      // a live session
 *   await c.waitForTransport('websocket', 2000); await c.echo('hi'); c.close();
 *
 *   const probe = await probeSocketio(url);      // one session: transports, echo round trip, replica
 *   const many = await openSessions(url, 20);    // N sessions: how many failed, and what they said
 *
 * A failure is described the way socket.io-client and engine.io report it, with the HTTP status
 * and body or the WebSocket close code where there is one, e.g.
 * `xhr post error: 400 {"code":1,"message":"Session ID unknown"}`: what a client sees behind
 * round-robin replicas without sticky sessions.
 */
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import type { SocketioTransport } from './options.js';

export interface ReconnectionPolicy {
  /** Attempts after a loss before giving up (socket.io-client's reconnectionAttempts). */
  attempts: number;
  /** The first delay; it doubles per attempt up to `delayMaxMs`. */
  delayMs: number;
  delayMaxMs: number;
  /** 0-1: how much of each delay is random (socket.io-client's randomizationFactor). */
  randomization: number;
}

export interface SocketioClientOptions {
  /** socket.io's path on the server (default `/socket.io/`). */
  path?: string;
  /** Which transports the client may use, in order (default socket.io-client's: polling, then websocket). */
  transports?: SocketioTransport[];
  /** Reconnect after a loss (default: off, so every failure shows). */
  reconnection?: ReconnectionPolicy | false;
  /** Headers on every request: polling requests and the WebSocket handshake. */
  extraHeaders?: Record<string, string>;
  /** Cookies sent on every request (a `Cookie` header), e.g. a front's sticky-session cookie. */
  cookies?: Record<string, string>;
  /**
   * Keep the cookies responses set and send them back, as a browser does (socket.io-client's
   * `withCredentials` in Node): what cookie-based sticky sessions need.
   */
  cookieJar?: boolean;
  /** How long to wait for the connection (default 5 s). */
  connectTimeoutMs?: number;
  /**
   * At-least-once delivery of emits with an acknowledgement (socket.io-client's `retries` and
   * `ackTimeout`): a packet not acknowledged within `ackTimeoutMs` is sent again, up to `retries`
   * times, across reconnections too; the callback gets `(err, ...reply)`. Default: off.
   */
  delivery?: { retries: number; ackTimeoutMs: number };
}

/** How a session ended: socket.io-client's reason, and engine.io's detail where it has one. */
export interface DisconnectInfo {
  /** "transport close", "io server disconnect", "ping timeout", "transport error", … */
  reason: string;
  /** The WebSocket close code, when the session was on a WebSocket that closed. */
  closeCode?: number;
  closeReason?: string;
  /** socket.io-client's description, as text. */
  detail: string;
}

export interface EchoResult<T> {
  reply: T;
  roundTripMs: number;
}

export interface SocketioConnection {
  /** The socket.io-client socket itself. */
  socket: Socket;
  /** The transport engine.io opened the session on (before any upgrade). */
  readonly initialTransport: string;
  /** The transport in use now. */
  transport(): string;
  /** How long after engine.io opened the session the upgrade to websocket completed (null: not upgraded). */
  upgradedAfterMs(): number | null;
  /** Resolves when the session is on `name`, or after `boundMs` with the transport it is on then. */
  waitForTransport(name: string, boundMs: number): Promise<{ transport: string; waitedMs: number }>;
  /** Emits `echo` with `payload` and waits for the acknowledgement. */
  echo<T>(payload: T, timeoutMs?: number): Promise<EchoResult<T>>;
  /** Asks the server which replica holds the session. */
  whoami(timeoutMs?: number): Promise<{ replica: string; transport: string; sid: string }>;
  /** Every error seen so far (engine.io transport errors, connect errors, refused upgrades), described. */
  readonly errors: string[];
  /** Resolves with the first disconnect (the session's end, whoever ended it). */
  disconnected(): Promise<DisconnectInfo>;
  /** Disconnects (reason "io client disconnect") and stops any reconnection. */
  close(): void;
}

/** An engine.io / socket.io-client error as one line: message, then status and body, or the underlying error. */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const e = err as Error & { description?: unknown; context?: unknown };
  const parts: string[] = [];
  const description = e.description;
  if (typeof description === 'number' || typeof description === 'string') parts.push(String(description));
  else if (description && typeof (description as { message?: unknown }).message === 'string') parts.push((description as { message: string }).message);
  const context = e.context as { responseText?: unknown } | undefined;
  // An XMLHttpRequest's body: engine.io's JSON refusal. Read while the error is being emitted:
  // engine.io-client aborts the request (and so empties it) right after.
  if (context && typeof context.responseText === 'string' && context.responseText !== '') parts.push(context.responseText);
  return parts.length > 0 ? `${e.message}: ${parts.join(' ')}` : e.message;
}

/** socket.io-client's `disconnect` event arguments as a DisconnectInfo. */
export function disconnectInfo(reason: string, description: unknown): DisconnectInfo {
  const info: DisconnectInfo = { reason, detail: '' };
  if (description instanceof Error) {
    info.detail = describeError(description);
    return info;
  }
  const d = description as { description?: unknown; context?: { code?: unknown; reason?: unknown } } | undefined;
  const parts: string[] = [];
  if (d && typeof d.description === 'string') parts.push(d.description);
  else if (d?.description instanceof Error) parts.push(describeError(d.description));
  if (d?.context && typeof d.context.code === 'number') {
    info.closeCode = d.context.code;
    info.closeReason = typeof d.context.reason === 'string' ? d.context.reason : String(d.context.reason ?? '');
    parts.push(`close code ${info.closeCode}${info.closeReason ? ` ${JSON.stringify(info.closeReason)}` : ''}`);
  }
  info.detail = parts.join(', ');
  return info;
}

function managerOptions(options: SocketioClientOptions): Partial<ManagerOptions & SocketOptions> {
  const headers: Record<string, string> = { ...options.extraHeaders };
  if (options.cookies && Object.keys(options.cookies).length > 0) {
    const given = Object.entries(options.cookies).map(([name, value]) => `${name}=${value}`).join('; ');
    headers.Cookie = headers.Cookie ? `${headers.Cookie}; ${given}` : given;
  }
  const reconnection = options.reconnection;
  return {
    path: options.path ?? '/socket.io/',
    // A session of its own every time: io() would otherwise share one Manager per URL.
    forceNew: true,
    timeout: options.connectTimeoutMs ?? 5000,
    ...(options.transports ? { transports: options.transports } : {}),
    ...(Object.keys(headers).length > 0 ? { extraHeaders: headers } : {}),
    ...(options.cookieJar ? { withCredentials: true } : {}),
    ...(options.delivery ? { retries: options.delivery.retries, ackTimeout: options.delivery.ackTimeoutMs } : {}),
    ...(reconnection
      ? {
          reconnection: true,
          reconnectionAttempts: reconnection.attempts,
          reconnectionDelay: reconnection.delayMs,
          reconnectionDelayMax: reconnection.delayMaxMs,
          randomizationFactor: reconnection.randomization,
        }
      : { reconnection: false }),
  };
}

interface EngineLike {
  transport: { name: string };
  on(event: 'upgrade', listener: (transport: { name: string }) => void): void;
  on(event: 'upgradeError', listener: (err: Error) => void): void;
}

/**
 * Connects and resolves once the session is open; rejects with the failure's description (every
 * error seen on the way) when it does not open within `connectTimeoutMs`, or fails first and no
 * reconnection policy is set.
 */
export function connectSocketio(url: string, options: SocketioClientOptions = {}): Promise<SocketioConnection> {
  const socket = io(url, managerOptions(options));
  const errors: string[] = [];
  const seen = new WeakSet<object>();
  const note = (err: unknown): void => {
    if (typeof err === 'object' && err !== null) {
      if (seen.has(err)) return;
      seen.add(err);
    }
    errors.push(describeError(err));
  };
  // engine.io's errors reach the Manager first, while the request that failed is still readable.
  socket.io.on('error', note);
  const upgradeWaiters = new Set<() => void>();
  let openedOn = '(none)';
  let openedAt = 0;
  let upgradedAt: number | null = null;
  const hookEngine = (): void => {
    const engine = socket.io.engine as unknown as EngineLike;
    // The Manager's `open` comes with engine.io's, before any upgrade probe: on a fast path the
    // upgrade can be done before socket.io's own `connect`.
    openedOn = engine.transport.name;
    openedAt = performance.now();
    upgradedAt = null;
    engine.on('upgrade', () => {
      upgradedAt = performance.now();
      for (const wake of upgradeWaiters) wake();
    });
    engine.on('upgradeError', (err) => note(err));
  };
  socket.io.on('open', hookEngine);
  let firstDisconnect: DisconnectInfo | undefined;
  const disconnectWaiters = new Set<(info: DisconnectInfo) => void>();
  socket.on('disconnect', (reason, description) => {
    const info = disconnectInfo(reason, description);
    if (reason !== 'io client disconnect' && info.detail) errors.push(`disconnect: ${reason} (${info.detail})`);
    else if (reason !== 'io client disconnect') errors.push(`disconnect: ${reason}`);
    if (firstDisconnect) return;
    firstDisconnect = info;
    for (const wake of [...disconnectWaiters]) wake(info);
    disconnectWaiters.clear();
  });

  const transport = (): string => (socket.io.engine as unknown as EngineLike | undefined)?.transport.name ?? '(none)';

  const connection = (initialTransport: string): SocketioConnection => ({
    socket,
    initialTransport,
    transport,
    upgradedAfterMs: () => (upgradedAt === null ? null : upgradedAt - openedAt),
    errors,
    waitForTransport(name, boundMs) {
      const started = Date.now();
      return new Promise((resolve) => {
        const finish = (): void => {
          clearTimeout(timer);
          upgradeWaiters.delete(done);
          disconnectWaiters.delete(done);
          resolve({ transport: transport(), waitedMs: Date.now() - started });
        };
        // Woken by an upgrade and by a disconnect (then there is nothing more to wait for).
        const done = (): void => {
          if (transport() === name || firstDisconnect) finish();
        };
        const timer = setTimeout(finish, boundMs);
        upgradeWaiters.add(done);
        disconnectWaiters.add(done);
        done();
      });
    },
    async echo<T>(payload: T, timeoutMs = 5000): Promise<EchoResult<T>> {
      const started = performance.now();
      // A disconnect ends the wait: socket.io-client keeps an acknowledgement whose packet is
      // still buffered (for a reconnection), and would otherwise only time out.
      let onLost: ((info: DisconnectInfo) => void) | undefined;
      const lost = new Promise<never>((_resolve, reject) => {
        onLost = (info) => reject(new Error(`disconnected before the echo was acknowledged: ${info.reason}${info.detail ? ` (${info.detail})` : ''}`));
        if (firstDisconnect) onLost(firstDisconnect);
        else disconnectWaiters.add(onLost);
      });
      const acked = socket.timeout(timeoutMs).emitWithAck('echo', payload).catch((err: unknown) => {
        if (err instanceof Error && err.message === 'operation has timed out') throw new Error(`echo not acknowledged within ${timeoutMs} ms`);
        throw err;
      });
      try {
        const reply = (await Promise.race([acked, lost])) as T;
        return { reply, roundTripMs: performance.now() - started };
      } finally {
        if (onLost) disconnectWaiters.delete(onLost);
        acked.catch(() => {});
        lost.catch(() => {});
      }
    },
    async whoami(timeoutMs = 5000) {
      return (await socket.timeout(timeoutMs).emitWithAck('whoami')) as { replica: string; transport: string; sid: string };
    },
    disconnected() {
      if (firstDisconnect) return Promise.resolve(firstDisconnect);
      return new Promise((resolve) => disconnectWaiters.add(resolve));
    },
    close() {
      socket.disconnect();
    },
  });

  return new Promise((resolve, reject) => {
    const timeoutMs = (options.connectTimeoutMs ?? 5000) + 500;
    const timer = setTimeout(() => fail(`no connection within ${timeoutMs} ms`), timeoutMs);
    const fail = (why: string): void => {
      clearTimeout(timer);
      socket.off('connect', onConnect);
      socket.off('connect_error', onConnectError);
      socket.disconnect();
      const said = errors.length > 0 ? errors.join('; ') : why;
      reject(new SocketioConnectError(said, [...errors]));
    };
    const onConnect = (): void => {
      clearTimeout(timer);
      socket.off('connect_error', onConnectError);
      resolve(connection(openedOn));
    };
    const onConnectError = (err: Error): void => {
      note(err);
      // With a reconnection policy, socket.io-client tries again by itself; the timer bounds it.
      if (!options.reconnection || !socket.io.reconnection()) fail(describeError(err));
    };
    socket.once('connect', onConnect);
    socket.on('connect_error', onConnectError);
  });
}

/** A session that did not open: what socket.io-client and engine.io said on the way. */
export class SocketioConnectError extends Error {
  override name = 'SocketioConnectError';
  constructor(message: string, readonly errors: string[]) {
    super(message);
  }
}

// ---- one session, measured --------------------------------------------------------------

export interface SocketioProbe {
  connected: boolean;
  connectMs: number;
  initialTransport: string | null;
  /** The transport after the upgrade (or after `upgradeBoundMs` without one). */
  finalTransport: string | null;
  /** How long after engine.io opened the session the upgrade came (null: none within the bound). */
  upgradeMs: number | null;
  /** The echo acknowledgement's round trip, on the final transport. */
  echoRoundTripMs: number | null;
  /** The echo came back equal to what was sent. */
  echoMatches: boolean;
  replica: string | null;
  errors: string[];
}

export interface ProbeOptions extends SocketioClientOptions {
  /** How long to wait for the upgrade to websocket (default 2 s); skipped when websocket is not a transport. */
  upgradeBoundMs?: number;
  /** What to echo (default a short string). */
  payload?: unknown;
}

function equalPayload(a: unknown, b: unknown): boolean {
  if (Buffer.isBuffer(a) || a instanceof ArrayBuffer || ArrayBuffer.isView(a)) {
    const toBuf = (v: unknown): Buffer | null =>
      Buffer.isBuffer(v) ? v : v instanceof ArrayBuffer ? Buffer.from(v) : ArrayBuffer.isView(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : null;
    const x = toBuf(a);
    const y = toBuf(b);
    return x !== null && y !== null && x.equals(y);
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Opens one session, waits for the upgrade (bounded), echoes once, asks for the replica, and closes. */
export async function probeSocketio(url: string, options: ProbeOptions = {}): Promise<SocketioProbe> {
  const started = performance.now();
  const result: SocketioProbe = {
    connected: false, connectMs: 0, initialTransport: null, finalTransport: null, upgradeMs: null,
    echoRoundTripMs: null, echoMatches: false, replica: null, errors: [],
  };
  let c: SocketioConnection;
  try {
    c = await connectSocketio(url, options);
  } catch (err) {
    result.connectMs = performance.now() - started;
    result.errors = err instanceof SocketioConnectError ? err.errors : [describeError(err)];
    if (result.errors.length === 0) result.errors = [describeError(err)];
    return result;
  }
  try {
    result.connected = true;
    result.connectMs = performance.now() - started;
    result.initialTransport = c.initialTransport;
    const transports = options.transports ?? ['polling', 'websocket'];
    if (transports.includes('websocket')) await c.waitForTransport('websocket', options.upgradeBoundMs ?? 2000);
    result.upgradeMs = c.upgradedAfterMs();
    result.finalTransport = c.transport();
    const payload = options.payload ?? 'socket.io probe';
    const echoed = await c.echo(payload);
    result.echoRoundTripMs = echoed.roundTripMs;
    result.echoMatches = equalPayload(payload, echoed.reply);
    result.replica = (await c.whoami()).replica;
  } catch (err) {
    c.errors.push(describeError(err));
  } finally {
    c.close();
    result.errors = [...c.errors];
  }
  return result;
}

// ---- N sessions ---------------------------------------------------------------------------

export interface SessionsOptions extends SocketioClientOptions {
  /** Sessions open at once (default 1: one after the other). */
  concurrency?: number;
  /** How long each session waits for the upgrade before its echo (default 1 s; 0 = do not wait). */
  upgradeBoundMs?: number;
  /** How long each session stays open after its echo, for late failures (default 100 ms). */
  holdMs?: number;
  /** How long each echo may take (default 2 s). */
  echoTimeoutMs?: number;
}

export interface SessionsReport {
  attempted: number;
  succeeded: number;
  failed: number;
  /** failed / attempted, 0-1. */
  failureShare: number;
  /** Each failed session's first error, by session number (0-based). */
  failures: { session: number; message: string }[];
  /** How often each error was seen, over every session (failed or not). */
  messages: Record<string, number>;
  /** The sessions that opened, by the transport they ended on. */
  finalTransports: Record<string, number>;
  /** Upgrades to websocket that were tried and refused (the session stayed on polling). */
  upgradeErrors: number;
}

/** Removes what differs between two reports of the same failure (session ids in a body). */
function messageKey(message: string): string {
  return message.replace(/"sid":"[^"]*"/g, '"sid":"…"');
}

/**
 * Opens `count` sessions, each: connect, wait for the upgrade (bounded), echo once, stay open a
 * moment, close. A session fails when it does not open, or an error or a disconnect comes before
 * it closes itself, or its echo is not acknowledged.
 */
export async function openSessions(url: string, count: number, options: SessionsOptions = {}): Promise<SessionsReport> {
  const report: SessionsReport = { attempted: count, succeeded: 0, failed: 0, failureShare: 0, failures: [], messages: {}, finalTransports: {}, upgradeErrors: 0 };
  const count1 = (message: string): void => {
    const key = messageKey(message);
    report.messages[key] = (report.messages[key] ?? 0) + 1;
  };
  const transports = options.transports ?? ['polling', 'websocket'];
  const one = async (session: number): Promise<void> => {
    let c: SocketioConnection;
    try {
      c = await connectSocketio(url, options);
    } catch (err) {
      const errors = err instanceof SocketioConnectError && err.errors.length > 0 ? err.errors : [describeError(err)];
      errors.forEach(count1);
      report.failed++;
      report.failures.push({ session, message: errors[0] ?? 'failed' });
      return;
    }
    let failure: string | undefined;
    try {
      if (transports.includes('websocket') && (options.upgradeBoundMs ?? 1000) > 0) {
        await c.waitForTransport('websocket', options.upgradeBoundMs ?? 1000);
      }
      await c.echo(`session ${session}`, options.echoTimeoutMs ?? 2000);
      await new Promise((resolve) => setTimeout(resolve, options.holdMs ?? 100));
    } catch (err) {
      failure = describeError(err);
    }
    const transport = c.transport();
    c.close();
    for (const e of c.errors) {
      count1(e);
      if (e.startsWith('probe error')) report.upgradeErrors++;
    }
    const fatal = c.errors.find((e) => !e.startsWith('probe error'));
    if (failure !== undefined || fatal !== undefined) {
      // An echo that failed because the session was lost is the same failure, counted once.
      if (failure !== undefined && fatal === undefined) count1(failure);
      report.failed++;
      report.failures.push({ session, message: fatal ?? failure ?? 'failed' });
      return;
    }
    report.succeeded++;
    report.finalTransports[transport] = (report.finalTransports[transport] ?? 0) + 1;
  };
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 1, count));
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) await one(next++);
  }));
  report.failures.sort((a, b) => a.session - b.session);
  report.failureShare = count === 0 ? 0 : report.failed / count;
  return report;
}
