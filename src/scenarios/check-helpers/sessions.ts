/**
 * What the checks that disturb a running topology share: a reconnecting client that counts its
 * echoes (the project's EchoSession, reconnecting quickly), and a prober that tries a handshake
 * through the front every so often and counts the ones that did not get 101.
 */
import { EchoSession } from '../../client/echo-session.js';
import type { BackoffOptions } from '../../client/backoff.js';
import type { CheckContext } from '../types.js';
import { answeredBy, connect, contextOptions, discard } from './client.js';
import { sleep } from './wait.js';

/** How the checks' reconnecting clients back off: quickly, so a recovery is measured in seconds. */
export const CHECK_BACKOFF: BackoffOptions = { initialMs: 100, maxMs: 1_000, factor: 2, jitter: 0.5 };

/** A reconnecting echo session through the front (pings every second, 2 s handshake timeout). */
export function checkSession(ctx: Pick<CheckContext, 'wsUrl' | 'ca'>, backoff: BackoffOptions = CHECK_BACKOFF): EchoSession {
  return new EchoSession({
    url: () => ctx.wsUrl,
    ...(ctx.ca ? { ca: ctx.ca } : {}),
    backoff,
    pingIntervalMs: 1_000,
    handshakeTimeoutMs: 2_000,
  });
}

export interface HandshakeProber {
  /**
   * Stops probing; resolves once the handshake in flight is done, with the counts. `appShutdown`:
   * handshakes a stopping app answered itself with its 503 "server shutting down" (the front had
   * routed them to it before it stopped), apart from the failures.
   */
  stop(): Promise<{ probes: number; failures: string[]; appShutdown: number }>;
}

/** What the echo app answers a handshake it was reading when SIGTERM came (src/echo/server.ts). */
const APP_SHUTDOWN_STATUS = 503;

/** Tries a handshake through the front every `everyMs` until stopped; a failure is its status, or why no answer came. */
export function probeHandshakes(ctx: Pick<CheckContext, 'wsUrl' | 'ca'>, everyMs: number, timeoutMs: number): HandshakeProber {
  let probing = true;
  let probes = 0;
  let appShutdown = 0;
  const failures: string[] = [];
  const loop = (async () => {
    while (probing) {
      const outcome = await connect(ctx.wsUrl, contextOptions(ctx, { timeoutMs }));
      discard(outcome.socket);
      probes++;
      if (outcome.status === APP_SHUTDOWN_STATUS && answeredBy(outcome.headers) === 'app') appShutdown++;
      else if (outcome.status !== 101) failures.push(outcome.status === 0 ? (outcome.error ?? 'no answer') : String(outcome.status));
      await sleep(everyMs);
    }
  })();
  return {
    stop: async () => {
      probing = false;
      await loop;
      return { probes, failures, appShutdown };
    },
  };
}
