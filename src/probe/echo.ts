/** Probe step 2: does the far end echo, and how long does a small message take there and back? */
import { randomBytes } from 'node:crypto';
import type WebSocket from 'ws';
import { nextMessage } from '../scenarios/check-helpers/client.js';

export interface EchoReport {
  /** true: every message came back unchanged; false: no answer, or an answer that is not an echo. */
  echoes: boolean;
  sent: number;
  echoed: number;
  /** Round trip of each echoed message, in ms: min, median, max (absent when nothing echoed). */
  roundTripMs?: { min: number; median: number; max: number };
  /** What was seen instead of an echo. */
  note?: string;
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Sends `count` small text messages one at a time, each waiting up to `timeoutMs` for its echo. */
export async function probeEcho(ws: WebSocket, count: number, timeoutMs: number): Promise<EchoReport> {
  const times: number[] = [];
  const tag = randomBytes(4).toString('hex');
  for (let i = 0; i < count; i++) {
    const payload = `ws-proxy-bench probe ${tag} #${i}`;
    const reply = nextMessage(ws, timeoutMs);
    const t = performance.now();
    ws.send(payload);
    let got;
    try {
      got = await reply;
    } catch (e) {
      const why = (e as Error).message;
      return summary(false, count, times, i === 0 ? `does not echo: ${why}` : `stopped echoing after ${i} messages: ${why}`);
    }
    const elapsed = performance.now() - t;
    const text = got.data.toString('utf8');
    if (got.isBinary || text !== payload) {
      const shown = got.isBinary ? `${got.data.length} binary bytes` : JSON.stringify(text.slice(0, 80));
      return summary(false, count, times, `answers, but not with an echo: sent ${JSON.stringify(payload)}, got ${shown}`);
    }
    times.push(elapsed);
  }
  return summary(true, count, times);
}

function summary(echoes: boolean, sent: number, times: number[], note?: string): EchoReport {
  return {
    echoes,
    sent,
    echoed: times.length,
    ...(times.length > 0 ? { roundTripMs: { min: Math.min(...times), median: median(times), max: Math.max(...times) } } : {}),
    ...(note !== undefined ? { note } : {}),
  };
}
