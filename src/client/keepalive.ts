/**
 * Keepalive, per connection, for either end (the echo server's clients, the reconnecting
 * client's server): every interval, a peer that has not answered the previous ping is
 * terminated (a "ping timeout"); otherwise it is pinged again. A peer that stops answering is
 * therefore dropped about one interval after the ping it missed.
 *
 * A missing pong is judged only after this process itself has run for PONG_GRACE_MS: a tick
 * fires in the event loop's timer phase, before the turn reads the sockets, so a pong that
 * arrived while the loop stalled (a busy or starved process) would otherwise be read only after
 * the peer was dropped for it. A grace timer that itself fires late (the loop stalled again) is
 * armed once more: a peer is dropped only for a silence this process was running to hear.
 */
import type { WebSocket } from 'ws';

/** How long this process must run, after a tick that found no pong, before the peer is dropped. */
export const PONG_GRACE_MS = 50;

export interface KeepaliveEvents {
  onPing?(): void;
  onPong?(): void;
  /** Called before the peer is terminated. */
  onTimeout(): void;
}

/** Starts pinging `ws` every `intervalMs` (0 = off); returns a function that stops it. */
export function startKeepalive(ws: WebSocket, intervalMs: number, events: KeepaliveEvents): () => void {
  if (intervalMs <= 0) return () => {};
  let awaitingPong = false;
  let grace: NodeJS.Timeout | undefined;
  const onPong = (): void => {
    awaitingPong = false;
    events.onPong?.();
  };
  ws.on('pong', onPong);
  const ping = (): void => {
    awaitingPong = true;
    ws.ping();
    events.onPing?.();
  };
  /** Judges the peer once this process has run PONG_GRACE_MS on time since `armedAt`. */
  const judgeAfterGrace = (armedAt: number): void => {
    grace = setTimeout(() => {
      grace = undefined;
      if (ws.readyState !== ws.OPEN) return;
      if (!awaitingPong) { ping(); return; }
      const now = performance.now();
      if (now - armedAt > 2 * PONG_GRACE_MS) { judgeAfterGrace(now); return; }
      stop();
      events.onTimeout();
      ws.terminate();
    }, PONG_GRACE_MS);
    grace.unref();
  };
  const timer = setInterval(() => {
    if (ws.readyState !== ws.OPEN || grace !== undefined) return;
    if (awaitingPong) {
      judgeAfterGrace(performance.now());
      return;
    }
    ping();
  }, intervalMs);
  timer.unref();
  function stop(): void {
    clearInterval(timer);
    if (grace !== undefined) clearTimeout(grace);
    grace = undefined;
    ws.off('pong', onPong);
  }
  ws.once('close', stop);
  return stop;
}
