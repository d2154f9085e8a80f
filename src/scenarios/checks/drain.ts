/**
 * Reloads with WebSockets open, measured: a bounded drain (nginx worker_shutdown_timeout,
 * HAProxy hard-stop-after, Caddy stream_close_delay) cuts the connections a reload left to the
 * old generation that long after the reload, and a reconnecting client is open again with
 * nothing lost; repeated reloads (as an ingress controller does) refuse no handshake, and either
 * pile old generations up (no bound) or cut each WebSocket at the bound.
 */
import type WebSocket from 'ws';
import type { EchoSession } from '../../client/echo-session.js';
import { closed, contextOptions, discard, open } from '../check-helpers/client.js';
import { seconds, verdict } from '../check-helpers/result.js';
import { checkSession, probeHandshakes } from '../check-helpers/sessions.js';
import { sleep, within } from '../check-helpers/wait.js';
import type { Check, CheckContext } from '../types.js';

/** How late past the drain bound a cut may come: the reload command's own time is added to it. */
export const DRAIN_TOLERANCE_MS = 1_500;

function reloadOf(ctx: CheckContext): () => Promise<void> {
  if (!ctx.reloadFront) throw new Error('this topology cannot reload its front (no reload command for its kind)');
  return ctx.reloadFront;
}

/** A client that echoes a numbered message every `everyMs`, reconnecting with backoff. */
function sendingSession(ctx: CheckContext, everyMs: number): { session: EchoSession; stop(): void } {
  const session = checkSession(ctx);
  session.start();
  let k = 0;
  const timer = setInterval(() => { k++; session.send(`drain ${k}`); }, everyMs);
  return { session, stop: () => clearInterval(timer) };
}

/**
 * One reload with a quiet WebSocket and a sending reconnecting client open: the quiet one is cut
 * within [bound, bound + reload command + tolerance] after the reload started; the client is open
 * again, and every message it sent came back once, counted at both ends: the app's own
 * `messagesEchoed`, read before the client starts, must cover every echo the client counted
 * (accepted, or dropped as a resent duplicate).
 */
export function reloadDrainBounded(boundSeconds: number): Check {
  const bound = boundSeconds * 1000;
  return {
    id: 'drain-cut',
    title: `a reload cuts the WebSockets the old generation holds ${seconds(bound)} after it; a reconnecting client is open again with nothing lost`,
    independent: false,
    async run(ctx) {
      const reload = reloadOf(ctx);
      const quiet = await open(ctx.wsUrl, contextOptions(ctx));
      // Before the client sends anything (the quiet WebSocket never does): the app's count then
      // covers every message of the session.
      const echoedBefore = (await ctx.appStats()).messagesEchoed;
      const { session, stop } = sendingSession(ctx, 100);
      let reopenedAt: number | undefined;
      let closedAt: number | undefined;
      session.client.on('closed', () => { closedAt ??= performance.now(); });
      session.client.on('open', () => { if (closedAt !== undefined) reopenedAt ??= performance.now(); });
      try {
        await within(5_000, 20, () => session.client.state === 'open');
        await sleep(500);
        const cut = closed(quiet, bound + DRAIN_TOLERANCE_MS + 10_000);
        ctx.progress(`reloading the front; expecting the old generation's WebSockets cut ${seconds(bound)} later`);
        const reloadAt = performance.now();
        await reload();
        const reloadMs = performance.now() - reloadAt;
        const quietCut = await cut;
        const back = await within(bound + 10_000, 50, () => reopenedAt !== undefined);
        await sleep(1_000);
        stop();
        const allBack = await session.allEchoed(5_000);
        const counts = session.counts();
        const echoedByApp = (await ctx.appStats()).messagesEchoed - echoedBefore;
        const cutMs = quietCut ? quietCut.at - reloadAt : Number.NaN;
        const inWindow = quietCut !== undefined && cutMs >= bound - 100 && cutMs <= bound + reloadMs + DRAIN_TOLERANCE_MS;
        // The app echoes what it receives: a resent message is echoed again, so the app's count
        // covers at least every echo the client counted, accepted or dropped as a duplicate (an
        // echo lost in the cut is echoed again after the resend, so it may be more).
        const exact = counts.sent === counts.received && counts.gaps === 0 && counts.garbled === 0;
        const bothEnds = echoedByApp >= counts.received + counts.duplicates;
        const ok = inWindow && back !== undefined && allBack && exact && counts.sent > 0 && bothEnds;
        const clientCut = closedAt !== undefined ? `, the client's ${seconds(closedAt - reloadAt)}` : ', the client not cut';
        const figure = `quiet WebSocket cut ${quietCut ? `${seconds(cutMs)} after the reload (${quietCut.code})` : 'never'}${clientCut}, ` +
          `open again ${reopenedAt !== undefined ? seconds(reopenedAt - reloadAt) : 'never'}; sent ${counts.sent}, received ${counts.received}, the app echoed ${echoedByApp}`;
        return verdict(ok, figure,
          `a cut within [${seconds(bound - 100)}, ${seconds(bound + reloadMs + DRAIN_TOLERANCE_MS)}] of the reload, the client open again, received = sent, ` +
            `and the app echoed at least received + duplicates (${counts.received + counts.duplicates})`,
          `${figure}; duplicates ${counts.duplicates}, gaps ${counts.gaps}; the reload command took ${seconds(reloadMs)}`,
          { cutMs, boundMs: bound, reloadCommandMs: reloadMs, reopenMs: reopenedAt !== undefined ? reopenedAt - reloadAt : Number.NaN, sent: counts.sent, received: counts.received, duplicates: counts.duplicates, echoedByApp });
      } finally {
        stop();
        discard(quiet);
        await session.stop();
      }
    },
  };
}

/** What repeated reloads do to the WebSockets open across them. */
export type ReloadFate =
  /** They all stay open (no drain bound): old generations pile up. */
  | 'kept'
  /** Each is cut this long after the first reload that follows its opening. */
  | { cutAfterMs: number }
  /** Each is cut by the first reload that follows its opening (within a few seconds). */
  | 'dropped';

export interface RepeatedReloadOptions {
  reloads?: number;
  everyMs?: number;
  fate: ReloadFate;
  /**
   * 'none refused' (default): a handshake refused or dropped during the reloads fails the check.
   * 'counted': the front is known to drop a handshake in flight now and then when it reloads
   * (Caddy): the refusals are measured and reported, not judged.
   */
  handshakes?: 'none refused' | 'counted';
}

function describeFate(fate: ReloadFate): string {
  if (fate === 'kept') return 'every WebSocket stays open';
  if (fate === 'dropped') return 'each WebSocket is dropped by the next reload';
  return `each WebSocket is cut ${seconds(fate.cutAfterMs)} after the reload that retires it`;
}

/**
 * `reloads` reloads `everyMs` apart, a new WebSocket opened after each (as clients keep
 * connecting), handshakes probed every 200 ms throughout: none refused, each WebSocket's fate as
 * expected, and the front's processes counted (old generations) with their memory.
 */
export function repeatedReloads({ reloads = 10, everyMs = 1_000, fate, handshakes = 'none refused' }: RepeatedReloadOptions): Check {
  const judged = handshakes === 'none refused';
  return {
    id: 'reload-repeated',
    title: `${reloads} reloads ${seconds(everyMs)} apart: ${judged ? 'no handshake refused' : 'handshakes refused during them counted'}, ${describeFate(fate)}; old generations counted`,
    independent: false,
    async run(ctx) {
      const reload = reloadOf(ctx);
      const sockets: { ws: WebSocket; openedAt: number; cutAt?: number; code?: number }[] = [];
      const reloadTimes: number[] = [];
      let refusals: string[] = [];
      let probes = 0;
      const openOne = async (): Promise<void> => {
        const ws = await open(ctx.wsUrl, contextOptions(ctx));
        const entry: (typeof sockets)[number] = { ws, openedAt: performance.now() };
        ws.once('close', (code) => { entry.cutAt = performance.now(); entry.code = code; });
        sockets.push(entry);
      };
      const prober = probeHandshakes(ctx, 200, 5_000);
      const processesBefore = ctx.frontProcesses ? await ctx.frontProcesses() : [];
      let peakProcesses = processesBefore.length;
      let peakRss = processesBefore.reduce((n, p) => n + p.rssBytes, 0);
      try {
        await openOne();
        for (let i = 0; i < reloads; i++) {
          ctx.progress(`reload ${i + 1}/${reloads}, ${sockets.filter((s) => s.cutAt === undefined).length} WebSockets open`);
          const at = performance.now();
          reloadTimes.push(at);
          await reload();
          await openOne();
          const now = ctx.frontProcesses ? await ctx.frontProcesses() : [];
          peakProcesses = Math.max(peakProcesses, now.length);
          peakRss = Math.max(peakRss, now.reduce((n, p) => n + p.rssBytes, 0));
          await sleep(Math.max(0, everyMs - (performance.now() - at)));
        }
        const settleMs = fate === 'kept' ? 1_000 : (typeof fate === 'object' ? fate.cutAfterMs : 0) + DRAIN_TOLERANCE_MS + 1_000;
        await sleep(settleMs);
      } finally {
        const probed = await prober.stop();
        probes = probed.probes;
        // The app does not stop during reloads: its own refusals count like any other here.
        refusals = [...probed.failures, ...Array.from({ length: probed.appShutdown }, () => '503 from the app')];
      }
      const processesAfter = ctx.frontProcesses ? await ctx.frontProcesses() : [];
      for (const s of sockets) discard(s.ws);
      // Every socket but the last opened before some reload. Its fate is measured from the reload
      // that retired it: the first after its opening, or (a reload signal is asynchronous, so a
      // socket opened just after one may still land on the old generation) the one before; for a
      // bounded drain, the latest reload at least the bound before its cut.
      const retired = sockets.slice(0, -1).map((s) => {
        const next = reloadTimes.find((t) => t > s.openedAt) as number;
        const retiredBy = typeof fate === 'object' && s.cutAt !== undefined
          ? [...reloadTimes].reverse().find((t) => t <= (s.cutAt as number) - fate.cutAfterMs + 100) ?? next
          : next;
        return { afterReloadMs: s.cutAt !== undefined ? s.cutAt - retiredBy : undefined, code: s.code };
      });
      const cut = retired.filter((r) => r.afterReloadMs !== undefined).map((r) => r.afterReloadMs as number);
      let fateOk: boolean;
      if (fate === 'kept') fateOk = cut.length === 0;
      else if (fate === 'dropped') fateOk = cut.length === retired.length && Math.max(...cut) <= 3_000 + DRAIN_TOLERANCE_MS;
      else fateOk = cut.length === retired.length && Math.min(...cut) >= fate.cutAfterMs - 100 && Math.max(...cut) <= fate.cutAfterMs + DRAIN_TOLERANCE_MS;
      const ok = (!judged || refusals.length === 0) && probes > 0 && fateOk;
      const cutText = cut.length === 0 ? 'none cut' : `${cut.length}/${retired.length} cut ${seconds(Math.min(...cut))}–${seconds(Math.max(...cut))} after their reload`;
      const mib = (b: number): string => `${(b / 2 ** 20).toFixed(1)} MiB`;
      const figure = `${cutText}; ${refusals.length}/${probes} handshakes refused; processes ${processesBefore.length} → peak ${peakProcesses} → ${processesAfter.length}, ` +
        `rss ${mib(processesBefore.reduce((n, p) => n + p.rssBytes, 0))} → peak ${mib(peakRss)}`;
      return verdict(ok, figure, `${judged ? '0 refused and ' : ''}${describeFate(fate)}`, `${figure}${refusals.length ? `; refusals: ${[...new Set(refusals)].join(', ')}` : ''}`,
        { reloads, refused: refusals.length, probes, websockets: retired.length, cut: cut.length, processesBefore: processesBefore.length, processesPeak: peakProcesses, processesAfter: processesAfter.length, rssPeakBytes: peakRss });
    },
  };
}
