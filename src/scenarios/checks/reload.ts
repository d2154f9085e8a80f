/**
 * What a config reload does to open WebSockets (a deploy reloads the front): some fronts drop
 * every upgraded connection at once, others let them live on in the old workers. Either way a
 * new connection after the reload must work.
 */
import type WebSocket from 'ws';
import { answeredBy, closed, connect, contextOptions, describeOutcome, discard, echoesText, open } from '../check-helpers/client.js';
import { seconds, verdict } from '../check-helpers/result.js';
import type { Check } from '../types.js';
import { sleep } from '../check-helpers/wait.js';

/** How soon after the reload command returns the drop must be seen. */
export const RELOAD_DROP_WITHIN_MS = 3_000;
const CONNECTIONS = 3;

/**
 * `dropWithinMs`: how soon after the reload command (plus the time it took) every connection must
 * be closed ('drops'), or how long after it they must still be open and echoing ('keeps').
 */
export function frontReload(expect: 'drops' | 'keeps', dropWithinMs = RELOAD_DROP_WITHIN_MS): Check {
  // Closes are watched this much longer than the bound, so a late drop shows in the figure.
  const lateMs = Math.min(2_000, dropWithinMs);
  return {
    id: 'reload',
    title: expect === 'drops'
      ? `a config reload drops every open WebSocket (within ${seconds(dropWithinMs)}); a new one connects`
      : 'a config reload keeps open WebSockets open and echoing; a new one connects',
    independent: false, // reloads the front under everything else
    async run(ctx) {
      if (!ctx.reloadFront) throw new Error('this topology cannot reload its front (no reload command for its kind)');
      const sockets = await Promise.all(Array.from({ length: CONNECTIONS }, () => open(ctx.wsUrl, contextOptions(ctx))));
      let fresh: WebSocket | undefined;
      try {
        const waits = sockets.map((ws) => closed(ws, dropWithinMs + lateMs));
        const started = performance.now();
        ctx.progress(`reloading the front's config with ${CONNECTIONS} WebSockets open`);
        await ctx.reloadFront();
        const reloadMs = performance.now() - started;
        let cuts: (number | undefined)[];
        let codes: number[] = [];
        if (expect === 'drops') {
          const results = await Promise.all(waits);
          cuts = results.map((r) => (r ? r.at - started : undefined));
          codes = results.flatMap((r) => (r ? [r.code] : []));
        } else {
          // Give a drop the same chance to show, then prove the old connections still echo.
          await sleep(dropWithinMs);
          cuts = await Promise.all(sockets.map(async (ws, i) => (ws.readyState === ws.OPEN && (await echoesText(ws, `after reload ${i}`)) ? undefined : 0)));
        }
        const dropped = cuts.filter((c) => c !== undefined) as number[];
        const outcome = await connect(ctx.wsUrl, contextOptions(ctx));
        fresh = outcome.socket;
        const freshOk = outcome.status === 101 && answeredBy(outcome.headers) === 'app' && fresh !== undefined && (await echoesText(fresh, 'new after reload'));
        const latest = dropped.length ? Math.max(...dropped) : 0;
        const measured = { connections: CONNECTIONS, dropped: dropped.length, reloadCommandMs: reloadMs, ...(dropped.length ? { droppedWithinMs: latest } : {}) };
        const codesText = codes.length ? ` (${[...new Set(codes)].join(', ')})` : '';
        if (expect === 'drops') {
          const ok = dropped.length === CONNECTIONS && latest <= dropWithinMs + reloadMs && freshOk;
          return verdict(ok, `${dropped.length}/${CONNECTIONS} dropped within ${seconds(latest)}${codesText}, new ${freshOk ? 'ok' : 'failed'}`,
            `all ${CONNECTIONS} dropped within ${seconds(dropWithinMs)} of the reload, then a new connection 101 from the app and echoing`,
            `${dropped.length}/${CONNECTIONS} dropped, the last after ${seconds(latest)}${codesText}; new connection: ${describeOutcome(outcome)}, ${freshOk ? 'echoing' : 'not echoing'}`, measured);
        }
        const ok = dropped.length === 0 && freshOk;
        return verdict(ok, `${CONNECTIONS - dropped.length}/${CONNECTIONS} kept, new ${freshOk ? 'ok' : 'failed'}`,
          `all ${CONNECTIONS} still open and echoing ${seconds(dropWithinMs)} after the reload, and a new connection works`,
          `${dropped.length}/${CONNECTIONS} dropped; new connection: ${describeOutcome(outcome)}, ${freshOk ? 'echoing' : 'not echoing'}`, measured);
      } finally {
        sockets.forEach(discard);
        discard(fresh);
      }
    },
  };
}
