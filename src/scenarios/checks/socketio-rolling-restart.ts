/**
 * A rolling restart of the socket.io app: sessions on websocket through the front, SIGTERM to
 * one replica. Its sessions' WebSockets close with 1001 and socket.io-client's reconnection opens
 * them again on the other replica within a bound, while the sessions on the other replica are not
 * disturbed. The clients keep emitting `echo` with at-least-once delivery (socket.io-client's
 * `retries`): every message is acknowledged, none twice, and the replicas that stayed up echoed
 * at least as many as were acknowledged, counted at both ends.
 *
 * The messages are emitted once the stopped replica is gone (while its sessions reconnect, so
 * socket.io-client buffers theirs and sends them after): then every echo after the stop is one
 * the other replicas counted, which is what makes the app's count comparable with the client's.
 */
import type { SocketioStats } from '../../socketio/stats.js';
import { connectSocketio, describeError, disconnectInfo, type DisconnectInfo, type SocketioConnection } from '../../socketio/client.js';
import { seconds, verdict } from '../check-helpers/result.js';
import { sleep, within } from '../check-helpers/wait.js';
import type { Check, CheckContext, ReplicaHandle } from '../types.js';
import { echoedBy, GOING_AWAY, replicasOf } from './replicas.js';
import { frontUrlOf } from './socketio.js';

const RECONNECTION = { attempts: 50, delayMs: 50, delayMaxMs: 500, randomization: 0.5 };
const DELIVERY = { retries: 20, ackTimeoutMs: 1_000 };

interface Tracked {
  connection: SocketioConnection;
  replica: string;
  disconnects: DisconnectInfo[];
  /** Its reconnection attempts that failed, since the stop: when (after it) and why. */
  failedAttempts: string[];
  reconnectedAfterMs?: number;
}

export function socketioRollingRestart(clients = 6, boundMs = 5_000, sendForMs = 1_500): Check {
  return {
    id: 'socketio-rolling-restart',
    title: `SIGTERM to one socket.io replica: its ${clients > 1 ? 'sessions' : 'session'} close with ${GOING_AWAY} and reconnect within ${seconds(boundMs)} on another, the others are undisturbed, and every echo emitted meanwhile is acknowledged once (counted at both ends)`,
    independent: false,
    async run(ctx: CheckContext) {
      const [victim, ...others] = replicasOf(ctx) as [ReplicaHandle, ...ReplicaHandle[]];
      const url = frontUrlOf(ctx);
      const tracked: Tracked[] = [];
      let stoppedAt = 0;
      let restarted = false;
      try {
        for (let i = 0; i < clients; i++) {
          const connection = await connectSocketio(url, { transports: ['websocket'], reconnection: RECONNECTION, delivery: DELIVERY });
          const t: Tracked = { connection, replica: (await connection.whoami()).replica, disconnects: [], failedAttempts: [] };
          connection.socket.on('disconnect', (reason, description) => { t.disconnects.push(disconnectInfo(reason, description)); });
          connection.socket.io.on('reconnect_error', (err) => { t.failedAttempts.push(`${seconds(performance.now() - stoppedAt)}: ${describeError(err)}`); });
          connection.socket.on('connect', () => { if (stoppedAt && t.reconnectedAfterMs === undefined) t.reconnectedAfterMs = performance.now() - stoppedAt; });
          tracked.push(t);
        }
        const victimId = (await victim.json<SocketioStats>('/stats')).replica;
        const onVictim = tracked.filter((t) => t.replica === victimId);
        const elsewhere = tracked.filter((t) => t.replica !== victimId);
        const echoedBefore = await echoedBy(others);

        ctx.progress(`SIGTERM to ${victim.alias} (replica ${victimId}), which holds ${onVictim.length} of the ${clients} sessions`);
        stoppedAt = performance.now();
        await victim.terminate?.();
        const sendingFrom = performance.now();
        const stopMs = sendingFrom - stoppedAt;

        // Emitted now, while the stopped replica's sessions reconnect: socket.io-client buffers
        // theirs and delivers them (again, should an acknowledgement not come) once they are back.
        const sent = new Set<string>();
        const acked = new Map<string, number>();
        const wrong: string[] = [];
        let k = 0;
        const emitAll = (): void => {
          k++;
          tracked.forEach((t, i) => {
            const payload = `c${i} m${k}`;
            sent.add(payload);
            t.connection.socket.emit('echo', payload, (err: Error | null, reply: unknown) => {
              if (err) { wrong.push(`${payload}: ${err.message}`); return; }
              if (reply !== payload) wrong.push(`${payload}: acknowledged with ${JSON.stringify(reply)}`);
              acked.set(payload, (acked.get(payload) ?? 0) + 1);
            });
          });
        };
        const sending = setInterval(emitAll, 50);
        const back = await within(boundMs, 20, () => onVictim.every((t) => t.reconnectedAfterMs !== undefined && t.connection.socket.connected));
        await sleep(Math.max(0, sendForMs - (performance.now() - sendingFrom)));
        clearInterval(sending);
        await within(10_000, 20, () => acked.size + wrong.length >= sent.size);
        const echoedAfter = await echoedBy(others);

        const goingAway = onVictim.filter((t) => t.disconnects[0]?.closeCode === GOING_AWAY).length;
        const disturbed = elsewhere.filter((t) => t.disconnects.length > 0).length;
        const twice = [...acked.values()].filter((n) => n > 1).length;
        const appEchoed = echoedAfter - echoedBefore;
        const slowest = Math.max(...onVictim.map((t) => t.reconnectedAfterMs ?? Number.NaN));
        const ok = onVictim.length > 0 && goingAway === onVictim.length && back !== undefined && disturbed === 0 &&
          wrong.length === 0 && acked.size === sent.size && twice === 0 && appEchoed >= acked.size;
        const figure = `${goingAway}/${onVictim.length} closed ${GOING_AWAY}, reconnected within ${seconds(slowest)}; ${disturbed} of the others disturbed; ` +
          `emitted ${sent.size}, acknowledged ${acked.size}${twice ? ` (${twice} twice)` : ''}, the other replica${others.length > 1 ? 's' : ''} echoed ${appEchoed}`;
        await victim.start?.();
        restarted = true;
        return verdict(ok, figure,
          `the ${onVictim.length} sessions on ${victim.alias} closed with ${GOING_AWAY} and reconnected within ${seconds(boundMs)}, the others undisturbed, every emit acknowledged once, the app's count ≥ the client's`,
          `${figure}; first disconnects on ${victim.alias}: ${onVictim.map((t) => `${t.disconnects[0]?.reason ?? 'none'}${t.disconnects[0]?.closeCode ? ` ${t.disconnects[0].closeCode}` : ''}`).join(', ')}` +
          `${wrong.length ? `; not acknowledged: ${wrong.slice(0, 5).join(', ')}` : ''}; the replica stopped in ${seconds(stopMs)}` +
          `; failed reconnection attempts: ${onVictim.map((t) => `[${t.failedAttempts.slice(0, 6).join(' | ')}]`).join(', ')}`,
          { clients, onVictim: onVictim.length, goingAway, reconnectMs: slowest, disturbed, sent: sent.size, acknowledged: acked.size, acknowledgedTwice: twice, appEchoed });
      } finally {
        for (const t of tracked) t.connection.close();
        if (!restarted) await victim.start?.().catch(() => {});
      }
    },
  };
}
