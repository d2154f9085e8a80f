/**
 * Probe step 3: the idle-timeout finder. Holds a connection with no traffic and reports when
 * and how it was cut (close frame, TCP reset, or a plain TCP close), then holds another one with
 * client pings for the same time plus a margin, to show whether pings keep it open.
 */
import type { Duplex } from 'node:stream';
import type WebSocket from 'ws';
import { discard, type HandshakeOutcome } from '../scenarios/check-helpers/client.js';
import { timerAtLeast } from '../scenarios/check-helpers/wait.js';

/** How the connection ended, as the client saw it. */
export type CutKind = 'close-frame' | 'tcp-reset' | 'tcp-close';

export interface Cut {
  /** From the last byte the probe received before the quiet (the handshake's answer), in ms. */
  afterMs: number;
  /**
   * From the start of the handshake (the request sent), in ms, when the opener reports it. The
   * far end's idle timer started between the two, so its timeout is at most this and, less the
   * time the client took to notice the cut, at least afterMs (nginx moves a running timer only
   * when it moves by 300 ms or more, so behind it the cut may come up to that much sooner).
   */
  afterSentMs?: number;
  /** The close code: the far end's, or 1006 when no close frame came. */
  code: number;
  reason: string;
  how: CutKind;
  /** With a close frame, who sent it (the probe never closes first, so: the far end). */
  closedBy: 'far end';
  /** The socket error that came with it (ECONNRESET…), if any. */
  socketError?: string;
}

export interface IdleReport {
  maxIdleMs: number;
  cut?: Cut;
  /** Pings the far end sent while the probe waited (its own keepalive keeps the connection busy). */
  serverPings: number;
}

export interface PingHoldReport {
  intervalMs: number;
  holdMs: number;
  held: boolean;
  heldMs: number;
  pingsSent: number;
  pongsReceived: number;
  cut?: Cut;
}

export type Opener = () => Promise<HandshakeOutcome>;
export type Progress = (line: string) => void;

const seconds = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

/** How often a long wait reports progress: a tenth of it, between 1 s and 10 s. */
export function progressEvery(totalMs: number): number {
  return Math.min(10_000, Math.max(1_000, Math.round(totalMs / 10)));
}

/** An opened connection, with when its handshake started (performance.now(), if the opener knows). */
interface Opened { ws: WebSocket; transport?: Duplex; sentAt?: number }

/**
 * Waits at least `limitMs` (by performance.now(): a hold reported as "still open after" lasted
 * that long) for the socket to end; reports how it ended, or undefined if it did not.
 */
function waitForCut({ ws, transport, sentAt }: Opened, limitMs: number, label: string, progress: Progress): Promise<Cut | undefined> {
  const started = performance.now();
  let socketError: string | undefined;
  const onError = (e: NodeJS.ErrnoException): void => { socketError = e.code ?? e.message; };
  transport?.on('error', onError);
  return new Promise((resolve) => {
    const ticker = setInterval(() => progress(`${label}: ${seconds(performance.now() - started)} / ${seconds(limitMs)}`), progressEvery(limitMs));
    const finish = (cut: Cut | undefined): void => {
      clearInterval(ticker);
      cancelTimer();
      ws.off('close', onClose);
      resolve(cut);
    };
    const onClose = (code: number, reason: Buffer): void => {
      // ws reports a socket error only through its close; give the transport's error event a turn.
      setImmediate(() => {
        const how: CutKind = code !== 1006 ? 'close-frame' : socketError === 'ECONNRESET' ? 'tcp-reset' : 'tcp-close';
        const at = performance.now();
        finish({
          afterMs: at - started,
          ...(sentAt !== undefined ? { afterSentMs: at - sentAt } : {}),
          code,
          reason: reason.toString('utf8'),
          how,
          closedBy: 'far end',
          ...(socketError !== undefined ? { socketError } : {}),
        });
      });
    };
    const cancelTimer = timerAtLeast(limitMs, () => finish(undefined));
    ws.on('close', onClose);
  });
}

async function openOrThrow(openSocket: Opener): Promise<Opened> {
  const o = await openSocket();
  if (!o.socket) throw new Error(`the handshake for the idle test failed: ${o.status === 0 ? o.error : `status ${o.status}`}`);
  return { ws: o.socket, ...(o.transport ? { transport: o.transport } : {}), ...(o.requestSentAt !== undefined ? { sentAt: o.requestSentAt } : {}) };
}

/** Holds a connection idle (no messages, no client pings) for up to `maxIdleMs`. */
export async function findIdleCut(openSocket: Opener, maxIdleMs: number, progress: Progress): Promise<IdleReport> {
  const opened = await openOrThrow(openSocket);
  const { ws } = opened;
  let serverPings = 0;
  ws.on('ping', () => { serverPings += 1; });
  try {
    progress(`idle-timeout finder: holding a connection with no traffic for up to ${seconds(maxIdleMs)}`);
    const cut = await waitForCut(opened, maxIdleMs, 'idle, no pings', progress);
    return { maxIdleMs, serverPings, ...(cut ? { cut } : {}) };
  } finally {
    discard(ws);
  }
}

/** Holds a connection for `holdMs` with a client ping every `intervalMs`. */
export async function holdWithPings(openSocket: Opener, intervalMs: number, holdMs: number, progress: Progress): Promise<PingHoldReport> {
  const opened = await openOrThrow(openSocket);
  const { ws } = opened;
  let pingsSent = 0;
  let pongsReceived = 0;
  ws.on('pong', () => { pongsReceived += 1; });
  const pinger = setInterval(() => { ws.ping(); pingsSent += 1; }, intervalMs);
  const started = performance.now();
  try {
    progress(`holding a connection for ${seconds(holdMs)} with a client ping every ${seconds(intervalMs)}`);
    const cut = await waitForCut(opened, holdMs, `idle, client pings every ${seconds(intervalMs)}`, progress);
    return { intervalMs, holdMs, held: cut === undefined, heldMs: performance.now() - started, pingsSent, pongsReceived, ...(cut ? { cut } : {}) };
  } finally {
    clearInterval(pinger);
    discard(ws);
  }
}

/** Default ping interval: a third of the cut time found (20 s when none was found). */
export function defaultPingInterval(cutAfterMs: number | undefined): number {
  return cutAfterMs === undefined ? 20_000 : Math.max(100, Math.round(cutAfterMs / 3));
}

/** The hold with pings lasts as long as the cut took, plus a margin (a fifth, at least 1 s). */
export function pingHoldDuration(cutAfterMs: number): number {
  return Math.round(cutAfterMs + Math.max(1_000, cutAfterMs / 5));
}
