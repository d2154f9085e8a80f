/**
 * A client that keeps echoing while a check does something hostile next to it: one message every
 * `everyMs`, each expected back. When the check is done, `finish()` says whether every message
 * came back and the connection stayed open: the front and the app kept serving others (and the
 * app's own counter says it echoed them).
 */
import type { CheckContext } from '../types.js';
import { contextOptions, discard, open, type ConnectOptions } from './client.js';
import { sleep, within } from './wait.js';

export interface BackgroundEcho {
  finish(): Promise<{ sent: number; received: number; open: boolean }>;
}

export async function backgroundEcho(url: string, options: ConnectOptions = {}, everyMs = 50): Promise<BackgroundEcho> {
  const ws = await open(url, options);
  let sent = 0;
  let received = 0;
  let closed = false;
  ws.on('message', () => { received++; });
  ws.once('close', () => { closed = true; });
  const timer = setInterval(() => {
    if (closed) return;
    ws.send(`background ${++sent}`);
  }, everyMs);
  return {
    async finish() {
      // A quick check must still have echoes beside it: at least three round trips.
      while (!closed && received < 3 && sent < 100) await sleep(everyMs);
      clearInterval(timer);
      await within(2_000, 20, () => closed || received >= sent);
      const result = { sent, received, open: !closed };
      discard(ws);
      return result;
    },
  };
}

export interface Others {
  sent: number;
  received: number;
  open: boolean;
  /** What the app's own `messagesEchoed` moved by meanwhile (the other end of the count). */
  appEchoed: number;
  /** Still open, every message back, and the app echoed at least what the client received. */
  ok: boolean;
}

/**
 * Runs `fn` with a background echo client beside it; `others` says how that client fared,
 * counted at both ends: the client's sent and received, and the app's `messagesEchoed` read
 * before and after, which must cover every echo the client counted.
 */
export async function besideEchoingClient<T>(ctx: Pick<CheckContext, 'wsUrl' | 'ca' | 'appStats'>, fn: () => Promise<T>): Promise<{ result: T; others: Others }> {
  const appBefore = (await ctx.appStats()).messagesEchoed;
  const background = await backgroundEcho(ctx.wsUrl, contextOptions(ctx));
  let result: T;
  try {
    result = await fn();
  } catch (err) {
    await background.finish();
    throw err;
  }
  const others = await background.finish();
  const appEchoed = (await ctx.appStats()).messagesEchoed - appBefore;
  return { result, others: { ...others, appEchoed, ok: others.open && others.sent > 0 && others.received === others.sent && appEchoed >= others.received } };
}
