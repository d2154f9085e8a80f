/**
 * Keepalive, per connection, for either end (the echo server's clients, the reconnecting
 * client's server): every interval, a peer that has not answered the previous ping is
 * terminated (a "ping timeout"); otherwise it is pinged again. A peer that stops answering is
 * therefore dropped about one interval after the ping it missed.
 */
import type { WebSocket } from 'ws';

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
  const onPong = (): void => {
    awaitingPong = false;
    events.onPong?.();
  };
  ws.on('pong', onPong);
  const timer = setInterval(() => {
    if (ws.readyState !== ws.OPEN) return;
    if (awaitingPong) {
      stop();
      events.onTimeout();
      ws.terminate();
      return;
    }
    awaitingPong = true;
    ws.ping();
    events.onPing?.();
  }, intervalMs);
  timer.unref();
  function stop(): void {
    clearInterval(timer);
    ws.off('pong', onPong);
  }
  ws.once('close', stop);
  return stop;
}
