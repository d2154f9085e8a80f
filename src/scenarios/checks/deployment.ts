/**
 * Checks for a user's deployment (run --config … --upstream, run --app-image), where the bench
 * knows neither the idle timeout nor who the app is: the handshake through the front with the
 * headers that say who answered it, and the idle timeout found (up to a bound) when the config
 * does not state it, with the client-pings hold that follows from what was found.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { findIdleCut, holdWithPings, pingHoldDuration, type Cut } from '../../probe/idle.js';
import { connect, contextOptions, describeOutcome, discard } from '../check-helpers/client.js';
import { seconds, verdict } from '../check-helpers/result.js';
import { PINGS_PER_IDLE_TIMEOUT } from './idle.js';
import type { AppCapability } from '../../topology/handles.js';
import type { Check, CheckContext, CheckResult } from '../types.js';

/** The same check, declaring what it needs of the app. */
export function needing(check: Check, ...needs: AppCapability[]): Check {
  return { ...check, needs: [...(check.needs ?? []), ...needs] };
}

/** The response headers that say who answered a 101: the server software, a Via, and every X- header (the bench's identity headers, an app's own). */
const IDENTIFYING = (name: string): boolean => name === 'server' || name === 'via' || name.startsWith('x-');

export function answeringHeaders(headers: IncomingHttpHeaders): string {
  const seen = Object.keys(headers).filter(IDENTIFYING).sort().map((h) => `${h}: ${String(headers[h])}`);
  return seen.length === 0 ? 'no identifying headers' : seen.join(', ');
}

/** The upgrade passes the front: 101, with the headers that say who answered it. */
export function handshakeThroughFront(): Check {
  return {
    id: 'handshake',
    title: 'the handshake through the front gets 101 (who answered: by its headers)',
    independent: true,
    needs: ['websocket'],
    async run(ctx) {
      const outcome = await connect(ctx.wsUrl, contextOptions(ctx));
      discard(outcome.socket);
      const who = answeringHeaders(outcome.headers);
      const tls = ctx.wsUrl.startsWith('wss:') ? ' over TLS' : '';
      return verdict(outcome.status === 101, `${outcome.status === 0 ? 'no answer' : outcome.status}${tls} (${who})`, `101${tls}`, `${describeOutcome(outcome)}${tls} (${who})`);
    },
  };
}

/** What the finder found, shared with the hold that follows it in the same scenario. */
export interface FoundIdleTimeout { cut?: Cut; maxIdleMs?: number }

const cutText = (c: Cut): string => `${seconds(c.afterMs)} (${c.how === 'close-frame' ? `close ${c.code}` : c.how})`;

/**
 * No idle timeout stated: holds an idle connection for up to `maxIdleMs` and reports when (and
 * how) the front cut it, or that it was not cut within the bound. It measures, so it fails only
 * when it cannot measure (the handshake fails).
 */
export function idleCutFound(maxIdleMs: number, found: FoundIdleTimeout, bound = '--max-idle'): Check {
  return {
    id: 'idle-cut',
    title: `no idle timeout stated: the cut of an idle connection, found by holding one up to ${seconds(maxIdleMs)} (${bound})`,
    independent: false, // the hold after it uses what it found
    needs: ['websocket'],
    async run(ctx): Promise<CheckResult> {
      const report = await findIdleCut(() => connect(ctx.wsUrl, contextOptions(ctx)), maxIdleMs, (l) => ctx.progress(l));
      found.maxIdleMs = maxIdleMs;
      if (report.cut) found.cut = report.cut;
      const pings = report.serverPings > 0 ? `; the far end pinged ${report.serverPings}×, so this is not the front's idle timeout alone` : '';
      const figure = report.cut ? `found: cut after ${cutText(report.cut)}` : `found: not cut within ${seconds(maxIdleMs)}`;
      return {
        ok: true,
        figure,
        detail: `idle timeout not stated (no --idle-timeout): ${figure}${pings}`,
        measured: { maxIdleMs, serverPings: report.serverPings, ...(report.cut ? { cutAfterMs: report.cut.afterMs, closeCode: report.cut.code } : {}) },
      };
    },
  };
}

/** The hold's timing: the stated timeout T, or the cut found; undefined when there is nothing to hold past. */
export function holdPlan(ctx: Pick<CheckContext, 'idleTimeoutMs'>, found?: FoundIdleTimeout): { timeoutMs: number; everyMs: number; holdMs: number; source: string } | undefined {
  const timeoutMs = found ? found.cut?.afterMs : ctx.idleTimeoutMs;
  if (timeoutMs === undefined || timeoutMs <= 0) return undefined;
  return { timeoutMs, everyMs: Math.max(50, Math.round(timeoutMs / PINGS_PER_IDLE_TIMEOUT)), holdMs: pingHoldDuration(timeoutMs), source: found ? 'the cut found' : 'the stated idle timeout' };
}

/**
 * Client pings keep an idle connection open past the idle timeout (stated, or found by
 * idleCutFound before it): held for the timeout plus a fifth (at least 1 s), a ping every T/2,
 * open at the end with every ping answered.
 */
export function clientPingsHold(found?: FoundIdleTimeout): Check {
  return {
    id: 'client-pings-hold',
    title: `with a client ping every T/${PINGS_PER_IDLE_TIMEOUT}, an idle connection is open past the idle timeout T${found ? ' (T: the cut found)' : ''}`,
    independent: found === undefined,
    needs: ['websocket'],
    async run(ctx): Promise<CheckResult> {
      const plan = holdPlan(ctx, found);
      if (!plan) {
        const why = `no cut was found within ${seconds(found?.maxIdleMs ?? 0)}, so there is no idle timeout to hold past (raise --max-idle or state --idle-timeout)`;
        return { ok: false, skipped: why, figure: 'skipped', detail: why };
      }
      const report = await holdWithPings(() => connect(ctx.wsUrl, contextOptions(ctx)), plan.everyMs, plan.holdMs, (l) => ctx.progress(l));
      const seen = report.held
        ? `open at ${seconds(report.heldMs)}, ${report.pongsReceived}/${report.pingsSent} pings answered`
        : `cut after ${report.cut ? cutText(report.cut) : seconds(report.heldMs)}, ${report.pongsReceived}/${report.pingsSent} pings answered`;
      // Every ping but one still in flight at the end is answered.
      const ok = report.held && report.pingsSent > 0 && report.pongsReceived >= report.pingsSent - 1;
      return verdict(ok, seen, `open at ${seconds(plan.holdMs)} (T = ${seconds(plan.timeoutMs)}, ${plan.source}; a ping every ${seconds(plan.everyMs)})`, seen,
        { heldMs: report.heldMs, holdMs: plan.holdMs, idleTimeoutMs: plan.timeoutMs, pingsSent: report.pingsSent, pongsReceived: report.pongsReceived });
    },
  };
}
