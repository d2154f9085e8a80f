/**
 * Several app replicas behind one front: how long-lived connections spread over them, and a
 * rolling restart (SIGTERM to one replica, as an orchestrator does): its WebSockets close with
 * 1001, their reconnecting clients are open again on the other replica within a bound, new
 * handshakes through the front keep succeeding, and nothing is lost, counted at both ends.
 */
import type { EchoStats } from '../../echo/stats.js';
import type { SocketioStats } from '../../socketio/stats.js';
import { connectSocketio, type SocketioConnection } from '../../socketio/client.js';
import { contextOptions, discard, open } from '../check-helpers/client.js';
import { seconds, verdict } from '../check-helpers/result.js';
import { checkSession, probeHandshakes } from '../check-helpers/sessions.js';
import { sleep, within } from '../check-helpers/wait.js';
import type { Check, CheckContext, ReplicaHandle } from '../types.js';
import { frontUrlOf } from './socketio.js';
import type WebSocket from 'ws';

/** The close code the apps send their WebSockets when they shut down (RFC 6455 "going away"). */
export const GOING_AWAY = 1001;

/** The topology's app replicas; a check that needs several fails when there are fewer than two. */
export function replicasOf(ctx: CheckContext): ReplicaHandle[] {
  if (!ctx.replicas || ctx.replicas.length < 2) throw new Error('this topology has fewer than two app replicas');
  return ctx.replicas;
}

/** Open connections each replica holds now, by its own counters. */
async function openOn(replica: ReplicaHandle, app: 'echo' | 'socketio'): Promise<number> {
  if (app === 'echo') return (await replica.json<EchoStats>('/stats')).openConnections;
  return (await replica.json<SocketioStats>('/stats')).sessions.open;
}

/** Messages the replicas echoed, summed over their own counters (both app kinds count `messagesEchoed`). */
export async function echoedBy(replicas: readonly ReplicaHandle[]): Promise<number> {
  return (await Promise.all(replicas.map((r) => r.json<EchoStats | SocketioStats>('/stats')))).reduce((n, s) => n + s.messagesEchoed, 0);
}

/**
 * `connections` long-lived connections through the front (WebSockets to the echo app, or
 * socket.io sessions on websocket), then each replica's own count: every one is held by some
 * replica, and they spread over all replicas (round robin) or sit on one (a sticky policy keyed
 * on the client's address, and every test client shares one).
 */
export function spreadOverReplicas(app: 'echo' | 'socketio', expect: 'spread' | 'one', connections = 10): Check {
  return {
    id: 'replica-spread',
    title: `${connections} long-lived connections through the front ${expect === 'spread' ? 'spread over every replica' : 'all land on one replica'}, counted by the replicas`,
    independent: false,
    async run(ctx) {
      const replicas = replicasOf(ctx);
      const sockets: WebSocket[] = [];
      const sessions: SocketioConnection[] = [];
      // What the replicas hold already (sessions of an earlier check still closing) is not this check's.
      const before = await Promise.all(replicas.map((r) => openOn(r, app)));
      try {
        for (let i = 0; i < connections; i++) {
          if (app === 'echo') sockets.push(await open(ctx.wsUrl, contextOptions(ctx)));
          else sessions.push(await connectSocketio(frontUrlOf(ctx), { transports: ['websocket'] }));
        }
        await sleep(200);
        const counts = (await Promise.all(replicas.map((r) => openOn(r, app)))).map((n, i) => n - (before[i] ?? 0));
        const total = counts.reduce((a, b) => a + b, 0);
        const busy = counts.filter((c) => c > 0).length;
        const ok = total === connections && (expect === 'spread' ? busy === replicas.length : busy === 1);
        const figure = `${counts.join(' / ')} over ${replicas.map((r) => r.alias).join(', ')} (max ${Math.max(...counts)}, min ${Math.min(...counts)})`;
        return verdict(ok, figure, `${connections} held in all, ${expect === 'spread' ? 'every replica holding some' : 'one replica holding them all'}`, figure,
          { connections, total, max: Math.max(...counts), min: Math.min(...counts) });
      } finally {
        sockets.forEach(discard);
        sessions.forEach((s) => s.close());
      }
    },
  };
}

/**
 * A rolling restart of the echo app: reconnecting clients sending through the front, then
 * SIGTERM to the first replica. Its clients see 1001 and are open again (on the other replica)
 * within `boundMs`; handshakes probed through the front every 100 ms meanwhile all get 101 (but
 * for one the stopping replica was already reading, which it answers with its own 503);
 * every message comes back once, and the replicas echoed at least as many. The replica is
 * started again at the end.
 */
export function rollingRestart(handshakes: 'none fail' | 'counted' = 'none fail', clients = 6, boundMs = 5_000): Check {
  const judged = handshakes === 'none fail';
  return {
    id: 'rolling-restart',
    title: `SIGTERM to one replica under ${clients} sending clients: its clients get ${GOING_AWAY} and are open again within ${seconds(boundMs)} on another, ${judged ? '0 handshakes fail' : 'failed handshakes counted'}, nothing lost`,
    independent: false,
    async run(ctx) {
      const replicas = replicasOf(ctx);
      const [victim, ...others] = replicas as [ReplicaHandle, ...ReplicaHandle[]];
      const sessions = Array.from({ length: clients }, () => checkSession(ctx, { initialMs: 50, maxMs: 500, factor: 2, jitter: 0.5 }));
      const closes: number[] = [];
      const reopened: number[] = [];
      let stoppedAt = 0;
      sessions.forEach((s) => {
        s.client.on('closed', (e) => { if (stoppedAt && e.wasOpen) closes.push(e.code); });
        s.client.on('open', () => { if (stoppedAt) reopened.push(performance.now() - stoppedAt); });
      });
      let sending: NodeJS.Timeout | undefined;
      let prober: ReturnType<typeof probeHandshakes> | undefined;
      let restarted = false;
      try {
        sessions.forEach((s) => s.start());
        await within(5_000, 20, () => sessions.every((s) => s.client.state === 'open'));
        let k = 0;
        sending = setInterval(() => { k++; for (const s of sessions) s.send(`rolling ${k}`); }, 50);
        await sleep(500);
        const onVictim = await openOn(victim, 'echo');
        const echoedBefore = await echoedBy(replicas);
        prober = probeHandshakes(ctx, 100, 3_000);
        ctx.progress(`SIGTERM to ${victim.alias}, which holds ${onVictim} of the ${clients} clients`);
        stoppedAt = performance.now();
        await victim.terminate();
        const back = await within(boundMs, 20, () => reopened.length >= onVictim);
        await sleep(1_000);
        const { probes, failures, appShutdown } = await prober.stop();
        prober = undefined;
        clearInterval(sending);
        sending = undefined;
        const allBack = (await Promise.all(sessions.map((s) => s.allEchoed(5_000)))).every(Boolean);
        const counts = sessions.map((s) => s.counts());
        const sent = counts.reduce((n, c) => n + c.sent, 0);
        const received = counts.reduce((n, c) => n + c.received, 0);
        const gaps = counts.reduce((n, c) => n + c.gaps + c.garbled, 0);
        const echoedAfter = await echoedBy(others);
        const goingAway = closes.filter((c) => c === GOING_AWAY).length;
        const ok = onVictim > 0 && goingAway === onVictim && closes.length === onVictim && back !== undefined && (!judged || failures.length === 0) &&
          probes > 0 && allBack && sent === received && gaps === 0 && echoedAfter > 0;
        const slowest = reopened.length ? Math.max(...reopened.slice(0, onVictim)) : Number.NaN;
        const shutdownText = appShutdown > 0 ? ` (${appShutdown} answered 503 by the stopping replica itself)` : '';
        const figure = `${goingAway}/${onVictim} closed ${GOING_AWAY}, open again within ${seconds(slowest)}; ${failures.length}/${probes} handshakes failed${shutdownText}; sent ${sent}, received ${received}`;
        await victim.start();
        restarted = true;
        return verdict(ok, figure,
          `the ${onVictim} clients on ${victim.alias} closed with ${GOING_AWAY} and open again within ${seconds(boundMs)}, ${judged ? 'every handshake 101, ' : ''}received = sent`,
          `${figure}; close codes ${closes.join(', ') || 'none'}${failures.length ? `; failures: ${[...new Set(failures)].join(', ')}` : ''}; gaps ${gaps}; the replicas echoed ${echoedBefore} before`,
          { clients, onVictim, goingAway, reopenMs: slowest, probes, failedHandshakes: failures.length, appShutdownRefusals: appShutdown, sent, received });
      } finally {
        await prober?.stop();
        if (sending) clearInterval(sending);
        await Promise.all(sessions.map((s) => s.stop()));
        if (!restarted) await victim.start().catch(() => {});
      }
    },
  };
}
