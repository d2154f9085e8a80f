/**
 * socket.io through a front, with the real socket.io-client: a session starts on HTTP
 * long-polling and upgrades to websocket; its `echo` acknowledgement comes back unchanged; a
 * front that answers WebSockets itself leaves it on polling; and behind replicas without sticky
 * sessions a share of sessions fails with "Session ID unknown", measured over many.
 */
import { openSessions, probeSocketio } from '../../socketio/client.js';
import { seconds, verdict } from '../check-helpers/result.js';
import type { Check, CheckContext } from '../types.js';

/** The refusal a replica gives a polling request of a session another replica holds (engine.io). */
export const SESSION_ID_UNKNOWN = 'Session ID unknown';
/** Sessions opened to measure the share that fails behind replicas. */
export const SESSIONS = 20;

export function frontUrlOf(ctx: CheckContext): string {
  if (!ctx.frontUrl) throw new Error("this topology does not say the front's base URL");
  return ctx.frontUrl;
}

/**
 * Default transports: the session opens on polling and is on websocket within the bound, and the
 * echo acknowledgement returns the payload unchanged (an object with binary in it).
 * `expect: 'polling'`: the front owns WebSockets (its handling on), so the upgrade never
 * happens and the session stays on polling, still echoing.
 */
export function socketioTransport(expect: 'websocket' | 'polling', upgradeBoundMs = 3_000): Check {
  return {
    id: expect === 'websocket' ? 'socketio-upgrade' : 'socketio-stays-polling',
    title: expect === 'websocket'
      ? `a socket.io session opens on polling and upgrades to websocket within ${seconds(upgradeBoundMs)}; its echo acknowledgement returns the payload unchanged`
      : `the front answers WebSockets itself: a socket.io session stays on polling (its upgrade refused) and still echoes`,
    independent: true,
    async run(ctx) {
      const payload = { text: 'héllo socket.io', n: 42, bytes: Buffer.from([0, 1, 2, 253, 254, 255]) };
      const probe = await probeSocketio(frontUrlOf(ctx), { upgradeBoundMs, payload });
      const ok = probe.connected && probe.initialTransport === 'polling' && probe.finalTransport === expect && probe.echoMatches;
      const figure = probe.connected
        ? `${probe.initialTransport} → ${probe.finalTransport}${probe.upgradeMs !== null ? ` after ${seconds(probe.upgradeMs)}` : ''}; ack ${probe.echoMatches ? `ok in ${seconds(probe.echoRoundTripMs ?? Number.NaN)}` : 'wrong'} (replica ${probe.replica ?? '?'})`
        : `not connected: ${probe.errors[0] ?? 'no error said'}`;
      return verdict(ok, figure, `polling → ${expect}, the acknowledgement equal to the payload`, `${figure}${probe.errors.length ? `; errors: ${probe.errors.join(' | ')}` : ''}`,
        { connectMs: probe.connectMs, upgradeMs: probe.upgradeMs ?? Number.NaN, echoRoundTripMs: probe.echoRoundTripMs ?? Number.NaN });
    },
  };
}

/**
 * `SESSIONS` sessions through the front, 4 at a time, each: connect, upgrade (bounded), echo,
 * close. `expect: 'some fail'`: replicas without stickiness, so a share of the sessions fails,
 * with "Session ID unknown" among what they saw; `'none fail'`: every one echoes.
 */
export function socketioSessions(expect: 'some fail' | 'none fail', options: { transports?: ('polling' | 'websocket')[]; cookieJar?: boolean } = {}): Check {
  const how = options.transports ? ` (transports ${options.transports.join(', ')})` : '';
  return {
    id: options.transports ? 'socketio-sessions-websocket-only' : 'socketio-sessions',
    title: expect === 'some fail'
      ? `${SESSIONS} socket.io sessions${how} behind replicas without stickiness: a share fails with "${SESSION_ID_UNKNOWN}" (measured)`
      : `${SESSIONS} socket.io sessions${how}: none fails`,
    independent: false,
    async run(ctx) {
      const report = await openSessions(frontUrlOf(ctx), SESSIONS, {
        concurrency: 4,
        upgradeBoundMs: 1_000,
        ...(options.transports ? { transports: options.transports } : {}),
        ...(options.cookieJar ? { cookieJar: true } : {}),
      });
      const unknown = Object.entries(report.messages).filter(([m]) => m.includes(SESSION_ID_UNKNOWN)).reduce((n, [, c]) => n + c, 0);
      const ok = expect === 'some fail' ? report.failed > 0 && unknown > 0 : report.failed === 0 && report.succeeded === SESSIONS;
      const share = `${report.failed}/${report.attempted} failed (${Math.round(report.failureShare * 100)} %)`;
      const figure = `${share}; "${SESSION_ID_UNKNOWN}" ×${unknown}`;
      const transports = `final transports ${Object.entries(report.finalTransports).map(([t, c]) => `${t} ${c}`).join(', ') || 'none'}`;
      const firstFailure = report.failures[0] ? `; first failure: ${report.failures[0].message}` : '';
      return verdict(ok, figure, expect === 'some fail' ? `some sessions failing with "${SESSION_ID_UNKNOWN}"` : `all ${SESSIONS} echoing`, `${figure}; ${transports}${firstFailure}`,
        { attempted: report.attempted, failed: report.failed, failureShare: report.failureShare, sessionIdUnknown: unknown, upgradeErrors: report.upgradeErrors });
    },
  };
}
