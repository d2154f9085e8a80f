/**
 * A WebSocket client that survives a lost connection: it reconnects with exponential backoff,
 * jitter and a cap (./backoff.ts), delivers messages sent while disconnected after reconnecting,
 * in order (./outbox.ts), and notices a dead path by its own pings instead of waiting for TCP:
 * it pings every `pingIntervalMs`, and a ping not answered by the next one ends the connection.
 *
 *   const client = new ReconnectingClient({ url: 'ws://127.0.0.1:8081/ws', pingIntervalMs: 1000 });
 *   client.on('message', (data) => …);
 *   client.on('reconnecting', ({ attempt, delayMs }) => …);
 *   client.start();
 *   client.send('hello');            // queued until open, then written in order
 *   await client.stop();
 *
 * Every state change is an event (and a line on `log`, when given): connecting, open, closed,
 * reconnecting (attempt, delay), ping-timeout, stopped.
 */
import { EventEmitter } from 'node:events';
import WebSocket from 'ws';
import { backoffDelay, resolveBackoff, type BackoffOptions } from './backoff.js';
import { startKeepalive } from './keepalive.js';
import { toBuffer } from './raw-data.js';
import { Outbox, type OutboxData } from './outbox.js';

export interface ReconnectingClientOptions {
  /** Where to connect; a function is asked again before every attempt (an address that moves). */
  url: string | (() => string);
  backoff?: Partial<BackoffOptions>;
  /** Ping this often; no pong before the next ping ends the connection (0 = no pings). */
  pingIntervalMs?: number;
  /** A handshake that has not completed in this long fails (and is retried). */
  handshakeTimeoutMs?: number;
  /**
   * Keep each message until `acknowledge(seq)` confirms it (for an echo: its echo arrived), and
   * write the unconfirmed ones again after a reconnect. Default: a message is done once written.
   */
  keepUntilAcked?: boolean;
  headers?: Record<string, string>;
  /** For wss://: the CA (PEM) to trust. */
  ca?: string;
  /** For wss://: false accepts a certificate that does not verify (the probe's --insecure). */
  rejectUnauthorized?: boolean;
  /** [0, 1) random numbers for the jitter (default Math.random; tests pass a seeded one). */
  random?: () => number;
  /** One line per state change. */
  log?: (line: string) => void;
}

export type ClientState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'stopped';

export interface ClientEvents {
  connecting: [{ attempt: number }];
  open: [{ attempt: number }];
  closed: [{ code: number; reason: string; wasOpen: boolean; error?: string }];
  reconnecting: [{ attempt: number; delayMs: number }];
  'ping-timeout': [{ intervalMs: number }];
  stopped: [];
  message: [data: Buffer, isBinary: boolean];
}

const DEFAULT_HANDSHAKE_TIMEOUT_MS = 5_000;

function validateUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`reconnecting client: url ${JSON.stringify(url)} is not a URL; give one such as ws://127.0.0.1:8081/ws`);
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
    throw new TypeError(`reconnecting client: url ${JSON.stringify(url)} must start with ws:// or wss://`);
  }
}

function validateMs(name: string, value: number, min: number): void {
  if (!Number.isFinite(value) || value < min) {
    throw new RangeError(`reconnecting client: ${name} is ${String(value)}; it must be a number of milliseconds, at least ${min}`);
  }
}


export class ReconnectingClient extends EventEmitter<ClientEvents> {
  private readonly backoff: BackoffOptions;
  private readonly pingIntervalMs: number;
  private readonly handshakeTimeoutMs: number;
  private readonly outbox: Outbox;
  private readonly random: () => number;
  private ws: WebSocket | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private stopPings: () => void = () => {};
  /** Connection attempts since the last successful open. */
  private attempt = 0;
  state: ClientState = 'idle';
  /** How many connections opened (the first one included). */
  opens = 0;

  constructor(private readonly options: ReconnectingClientOptions) {
    super();
    validateUrl(this.url());
    this.backoff = resolveBackoff(options.backoff);
    this.pingIntervalMs = options.pingIntervalMs ?? 0;
    validateMs('pingIntervalMs', this.pingIntervalMs, 0);
    this.handshakeTimeoutMs = options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS;
    validateMs('handshakeTimeoutMs', this.handshakeTimeoutMs, 1);
    this.outbox = new Outbox(options.keepUntilAcked ?? false);
    this.random = options.random ?? Math.random;
  }

  start(): this {
    if (this.state !== 'idle') throw new Error(`reconnecting client: start() called twice (state ${this.state})`);
    this.connect();
    return this;
  }

  /**
   * Queues a message (written at once when open); `make` may build it from its sequence number.
   * Returns the sequence number.
   */
  send(make: OutboxData | ((seq: number) => OutboxData)): number {
    if (this.state === 'stopped') throw new Error('reconnecting client: send() after stop()');
    const entry = this.outbox.add(make);
    this.flush();
    return entry.seq;
  }

  /** Confirms delivery of every message up to `seq` (with keepUntilAcked). */
  acknowledge(seq: number): void {
    this.outbox.acknowledge(seq);
  }

  /** Messages not yet delivered. */
  get pending(): number {
    return this.outbox.pending;
  }

  /** Closes (1000) and stops reconnecting. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.setState('stopped');
    clearTimeout(this.retryTimer);
    this.stopPings();
    const ws = this.ws;
    this.ws = undefined;
    if (ws && ws.readyState !== WebSocket.CLOSED) {
      const gone = new Promise<void>((resolve) => ws.once('close', () => resolve()));
      if (ws.readyState === WebSocket.OPEN) ws.close(1000, 'client stopping');
      else ws.terminate();
      const timer = setTimeout(() => ws.terminate(), 2_000);
      await gone;
      clearTimeout(timer);
    }
    this.log('stopped');
    this.emit('stopped');
  }

  private url(): string {
    return typeof this.options.url === 'function' ? this.options.url() : this.options.url;
  }

  private log(line: string): void {
    this.options.log?.(`${new Date().toISOString()} ${line}`);
  }

  private setState(state: ClientState): void {
    this.state = state;
  }

  private connect(): void {
    this.attempt++;
    const attempt = this.attempt;
    this.setState('connecting');
    const url = this.url();
    this.log(`connecting to ${url} (attempt ${attempt})`);
    this.emit('connecting', { attempt });
    validateUrl(url);
    const ws = new WebSocket(url, {
      handshakeTimeout: this.handshakeTimeoutMs,
      perMessageDeflate: false,
      ...(this.options.headers ? { headers: this.options.headers } : {}),
      ...(this.options.ca ? { ca: this.options.ca } : {}),
      ...(this.options.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
    });
    this.ws = ws;
    let wasOpen = false;
    let error: string | undefined;
    ws.on('error', (err) => { error = err.message; });
    ws.on('open', () => {
      wasOpen = true;
      this.attempt = 0;
      this.opens++;
      this.setState('open');
      this.log(`open (attempt ${attempt})`);
      this.emit('open', { attempt });
      this.outbox.rewind();
      this.flush();
      this.startPings(ws);
    });
    ws.on('message', (data, isBinary) => this.emit('message', toBuffer(data), isBinary));
    ws.on('close', (code, reasonBuffer) => {
      if (this.ws !== ws) return; // stop() took it over
      this.stopPings();
      this.ws = undefined;
      const reason = reasonBuffer.toString('utf8');
      this.log(`closed ${code}${reason ? ` ${JSON.stringify(reason)}` : ''}${error ? ` (${error})` : ''}`);
      this.emit('closed', { code, reason, wasOpen, ...(error ? { error } : {}) });
      if (this.state !== 'stopped') this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    const attempt = this.attempt + 1;
    const delayMs = backoffDelay(this.backoff, attempt, this.random);
    this.setState('reconnecting');
    this.log(`reconnecting: attempt ${attempt} in ${delayMs} ms`);
    this.emit('reconnecting', { attempt, delayMs });
    this.retryTimer = setTimeout(() => this.connect(), delayMs);
  }

  private flush(): void {
    const ws = this.ws;
    if (this.state !== 'open' || !ws || ws.readyState !== WebSocket.OPEN) return;
    for (const entry of this.outbox.takeUnwritten()) ws.send(entry.data);
  }

  private startPings(ws: WebSocket): void {
    this.stopPings = startKeepalive(ws, this.pingIntervalMs, {
      onTimeout: () => {
        this.log(`ping timeout: no pong within ${this.pingIntervalMs} ms, ending the connection`);
        this.emit('ping-timeout', { intervalMs: this.pingIntervalMs });
      },
    });
  }
}
