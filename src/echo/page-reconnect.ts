/**
 * The echo page's "Reconnect automatically" option, the policy half: when to try again and what
 * waits meanwhile. It is the reconnecting client's own backoff (exponential, jitter, cap) and
 * outbox (src/client/), bundled for the browser as an IIFE by scripts/page-reconnect-bundle.mjs
 * and inlined in the page, which keeps the DOM half (page.html). Sets `window.wsPageReconnect`.
 */
import { backoffDelay, resolveBackoff, type BackoffOptions } from '../client/backoff.js';
import { Outbox, type OutboxEntry } from '../client/outbox.js';

export interface PageReconnector {
  /** Queues a message typed while disconnected; returns its place (1, 2, …). */
  queue(text: string): number;
  /** The queued messages, oldest first, removed from the queue (written on a fresh connection). */
  takeQueued(): OutboxEntry[];
  readonly queued: number;
  /** The next attempt's number and delay (attempt counts since the last open). */
  next(): { attempt: number; delayMs: number };
  /** A connection opened: the next loss starts again at attempt 1. */
  opened(): void;
}

export function createPageReconnector(backoff: Partial<BackoffOptions> = {}): PageReconnector {
  const b = resolveBackoff(backoff);
  // Written once on an open socket = delivered: the browser gives no per-message acknowledgement.
  const outbox = new Outbox(false);
  let attempt = 0;
  return {
    queue: (text) => outbox.add(text).seq,
    takeQueued: () => outbox.takeUnwritten(),
    get queued() { return outbox.pending; },
    next() {
      attempt += 1;
      return { attempt, delayMs: backoffDelay(b, attempt) };
    },
    opened() { attempt = 0; },
  };
}

declare global {
  interface Window {
    wsPageReconnect: { createPageReconnector: typeof createPageReconnector };
  }
}

window.wsPageReconnect = { createPageReconnector };
