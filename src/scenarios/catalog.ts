/**
 * The scenario catalog: every scenario the bench runs, as data. A scenario names a front setup
 * (src/fronts/), the app's options, the front's idle timeout, and the checks
 * (src/scenarios/checks/) whose results prove the claim. The container suites and the report
 * both run this list; nothing about a scenario is written anywhere else.
 */
import { closeCodeCarried } from './checks/close.js';
import { echoes, payloads } from './checks/echo.js';
import { appSawForwardedHeaders } from './checks/forwarded.js';
import { handshakeRefused, upgradeAnsweredBy } from './checks/handshake.js';
import { CUT_TOLERANCE_MS, HOLD_FACTOR, idleConnectionCut, PINGS_PER_IDLE_TIMEOUT, staysOpenPastTimeout } from './checks/idle.js';
import { appRestartAnswered, describeAppDownAnswer, type AppDownAnswer, FREEZE_DETECT_INTERVALS, FREEZE_PING_INTERVAL_MS, frontRestartLosesNothing, frozenPathDetected, frozenPathHangs } from './checks/faults.js';
import { BURST_HANDSHAKES, handshakeBurst, INVALID_PAYLOAD, invalidUtf8Refused, MESSAGE_TOO_BIG, oversizedFrameRefused, slowHeadersCut } from './checks/hostile.js';
import { websocketHandledBy } from './checks/ownership.js';
import { clientAddressFromForwardedFor, originAllowList } from './checks/security.js';
import { pageServed } from './checks/page.js';
import { reloadDrainBounded, repeatedReloads, type RepeatedReloadOptions } from './checks/drain.js';
import { frontReload } from './checks/reload.js';
import { rollingRestart, spreadOverReplicas } from './checks/replicas.js';
import { socketioRollingRestart } from './checks/socketio-rolling-restart.js';
import { socketioSessions, socketioTransport } from './checks/socketio.js';
import { h2Advertised, h2AppSaw, h2CloseCarried, h2EchoChecks, h2FallbackEchoes, h2HandledBy, h2IdleCut, h2PingsHold, h2Streams } from './checks/h2.js';
import { ABNORMAL_CLOSURE } from './check-helpers/client.js';
import { DRAIN_TIMEOUT_SECONDS, HEADER_TIMEOUT_SECONDS } from '../fronts/vars.js';
import { WS_PATH } from '../topology/values.js';
import type { Scenario } from './types.js';

/** The idle timeout of the keepalive family: a few seconds, so suites stay fast. */
export const KEEPALIVE_IDLE_TIMEOUT_SECONDS = 2;
/** Long enough that nothing is cut while the other families run their checks. */
const RELAXED_IDLE_TIMEOUT_SECONDS = 30;

/**
 * httpd's Timeout when a config does not set it (Debian's packaged config sets 300 s): what an
 * upgraded connection waits for when only ProxyTimeout is set.
 */
export const HTTPD_DEFAULT_TIMEOUT_SECONDS = 60;

/** What the app answers a handshake that is not a valid WebSocket upgrade (src/echo/handshake-gate.ts). */
export const APP_REFUSAL_STATUS = 400;

const APP_NO_PINGS = { ECHO_KEEPALIVE_INTERVAL_MS: '0' };

/** Small counts spelled out in a summary ("about two intervals"). */
const WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
const inWords = (n: number): string => WORDS[n] ?? String(n);

/** Family 1: the upgrade passes through and everything a client sends comes back. */
function upgradePasses(
  front: string,
  forwarded: Parameters<typeof appSawForwardedHeaders>[0],
  summary = 'the upgrade passes through: 101 from the app, echo of every kind of message, close codes carried, the page served',
): Scenario {
  return {
    id: `${front}/upgrade`,
    family: 'upgrade',
    front,
    summary,
    idleTimeoutSeconds: RELAXED_IDLE_TIMEOUT_SECONDS,
    app: APP_NO_PINGS,
    checks: [
      appSawForwardedHeaders(forwarded),
      upgradeAnsweredBy('app'),
      echoes(payloads.text),
      echoes(payloads.binary),
      echoes(payloads.fragmented),
      echoes(payloads.large),
      closeCodeCarried(4000, 'bye'),
      pageServed(WS_PATH),
    ],
  };
}

/** Family 2: idle connections are cut at the front's timeout unless pings keep them open. */
function keepalive(front: string): Scenario[] {
  const t = KEEPALIVE_IDLE_TIMEOUT_SECONDS;
  return [
    {
      id: `${front}/keepalive-no-server-pings`,
      family: 'keepalive',
      front,
      summary: `app pings off: an idle connection is cut at the ${t} s timeout; client pings every T/${PINGS_PER_IDLE_TIMEOUT} keep one open`,
      idleTimeoutSeconds: t,
      app: APP_NO_PINGS,
      checks: [idleConnectionCut(), staysOpenPastTimeout({ pingsFrom: 'client' })],
    },
    {
      id: `${front}/keepalive-server-pings`,
      family: 'keepalive',
      front,
      summary: `app pings every T/${PINGS_PER_IDLE_TIMEOUT}: an idle connection is still open at ${HOLD_FACTOR} × the ${t} s timeout`,
      idleTimeoutSeconds: t,
      app: { ECHO_KEEPALIVE_INTERVAL_MS: String((t * 1000) / PINGS_PER_IDLE_TIMEOUT) },
      checks: [staysOpenPastTimeout({ pingsFrom: 'server' })],
    },
  ];
}

/** A misconfigured front: the handshake fails, and the symptom is exactly what a client sees. */
function misconfigured(front: string, status: number, by: 'app' | 'front' | 'proxy', summary: string): Scenario {
  return {
    id: `${front}/handshake-fails`,
    family: 'misconfiguration',
    front,
    summary,
    idleTimeoutSeconds: RELAXED_IDLE_TIMEOUT_SECONDS,
    app: APP_NO_PINGS,
    checks: [handshakeRefused(status, by)],
  };
}

/** Family 3: with the front's WebSocket handling on the front answers; off, the app does. */
function frontWebsocket(front: string, handledBy: 'app' | 'front'): Scenario {
  return {
    id: `${front}/websocket-handled-by-${handledBy}`,
    family: 'front-websocket',
    front,
    summary: handledBy === 'front'
      ? "front WebSocket handling on: the front answers the upgrade, the app's upgrade counter stays 0"
      : 'front WebSocket handling off: the upgrade reaches the app, which answers and echoes',
    idleTimeoutSeconds: RELAXED_IDLE_TIMEOUT_SECONDS,
    app: APP_NO_PINGS,
    checks: [websocketHandledBy(handledBy)],
  };
}

/**
 * Front WebSocket handling on, over HTTP/2 too: a browser that negotiated h2 with a front that
 * offers extended CONNECT opens its WebSocket as one (RFC 8441, no Upgrade header on the wire), so
 * the front's routing must send that to its own handler as well as an HTTP/1.1 Upgrade.
 */
function h2FrontWebsocket(front: string): Scenario {
  return {
    id: `${front}/h2-websocket-handled-by-front`,
    family: 'h2',
    front,
    summary: "front WebSocket handling on over TLS with HTTP/2: the front tier's handler answers both an extended CONNECT and an HTTP/1.1 Upgrade; the app's upgrade counter stays 0",
    idleTimeoutSeconds: RELAXED_IDLE_TIMEOUT_SECONDS,
    app: APP_NO_PINGS,
    checks: [h2HandledBy('front'), websocketHandledBy('front')],
  };
}

/** The app's message size limit in the hostile-input scenarios: small, so an oversized frame is cheap. */
const HOSTILE_MAX_MESSAGE_BYTES = 65_536;
const ALLOWED_ORIGIN = 'http://allowed.example';

/**
 * Faults and hostile input (issue 7): the front restarts, the app restarts, the path freezes with
 * and without pings, hostile frames and handshakes. `appDown`: what the front answers a
 * handshake while the app is down.
 */
function faults(front: string, appDown: AppDownAnswer): Scenario[] {
  const base = { family: 'faults' as const, front, idleTimeoutSeconds: RELAXED_IDLE_TIMEOUT_SECONDS };
  return [
    {
      ...base,
      id: `${front}/restarts`,
      summary: `the front restarts under sending clients (they reconnect, nothing lost or doubled); the app restarts behind the front (${describeAppDownAnswer(appDown)}, then 101)`,
      app: APP_NO_PINGS,
      checks: [frontRestartLosesNothing(), appRestartAnswered(appDown)],
    },
    {
      ...base,
      id: `${front}/path-freeze-pings`,
      summary: `the front is frozen (docker pause): client and app pings (every ${FREEZE_PING_INTERVAL_MS / 1000} s) detect it within about ${inWords(FREEZE_DETECT_INTERVALS)} intervals`,
      app: { ECHO_KEEPALIVE_INTERVAL_MS: String(FREEZE_PING_INTERVAL_MS) },
      checks: [frozenPathDetected()],
    },
    {
      ...base,
      id: `${front}/path-freeze-no-pings`,
      summary: 'the front is frozen and nobody pings: a message sent meanwhile gets no echo while the connection stays "open" on both ends, ' +
        'and its echo arrives once the front runs again (why pings exist)',
      app: APP_NO_PINGS,
      checks: [frozenPathHangs()],
    },
    {
      ...base,
      id: `${front}/hostile-input`,
      summary: `hostile input through the front, beside a client that keeps echoing: oversized frame ${MESSAGE_TOO_BIG}, invalid UTF-8 ${INVALID_PAYLOAD}, ` +
        `slow headers cut, a burst of ${BURST_HANDSHAKES.toLocaleString('en-US')} handshakes`,
      app: { ...APP_NO_PINGS, ECHO_MAX_MESSAGE_BYTES: String(HOSTILE_MAX_MESSAGE_BYTES) },
      checks: [oversizedFrameRefused(HOSTILE_MAX_MESSAGE_BYTES), invalidUtf8Refused(), slowHeadersCut(HEADER_TIMEOUT_SECONDS), handshakeBurst()],
    },
  ];
}

/** Security defaults through the front: the origin allow-list, and X-Forwarded-For not believed by default. */
function securityDefaults(front: string): Scenario {
  return {
    id: `${front}/security-defaults`,
    family: 'security',
    front,
    summary: `origin allow-list (${ALLOWED_ORIGIN}) enforced by the app through the front; X-Forwarded-For from an untrusted peer ignored`,
    idleTimeoutSeconds: RELAXED_IDLE_TIMEOUT_SECONDS,
    app: { ...APP_NO_PINGS, ECHO_ALLOWED_ORIGINS: ALLOWED_ORIGIN },
    checks: [originAllowList(ALLOWED_ORIGIN, 'http://evil.example'), clientAddressFromForwardedFor({ trusted: false, origin: ALLOWED_ORIGIN })],
  };
}

/**
 * The reload family: one reload with WebSockets open (kept or dropped, and a new one connects),
 * then ten, a second apart, with a new WebSocket after each: no handshake refused, each
 * WebSocket's fate measured, the old generations counted.
 */
function reloads(front: string, fate: 'kept' | 'dropped', summary: string, handshakes: RepeatedReloadOptions['handshakes'] = 'none refused'): Scenario {
  return {
    id: `${front}/reload`,
    family: 'reload',
    front,
    summary,
    idleTimeoutSeconds: RELAXED_IDLE_TIMEOUT_SECONDS,
    app: APP_NO_PINGS,
    checks: [frontReload(fate === 'kept' ? 'keeps' : 'drops'), repeatedReloads({ fate, handshakes })],
  };
}

/** A front whose reloads are bounded by `how`: each cuts what the old generation holds after the bound, with nothing lost by a reconnecting client. */
function boundedReloads(front: string, how: string): Scenario {
  return {
    id: `${front}/reload-bounded`,
    family: 'reload',
    front,
    summary: `${how}: a reload cuts the WebSockets open before it ${DRAIN_TIMEOUT_SECONDS} s later (a reconnecting client is back with nothing lost); ` +
      `ten reloads refuse no handshake, and every WebSocket dies ${DRAIN_TIMEOUT_SECONDS} s after the reload that follows it`,
    idleTimeoutSeconds: RELAXED_IDLE_TIMEOUT_SECONDS,
    app: APP_NO_PINGS,
    checks: [reloadDrainBounded(DRAIN_TIMEOUT_SECONDS), repeatedReloads({ fate: { cutAfterMs: DRAIN_TIMEOUT_SECONDS * 1000 } })],
  };
}

/**
 * The h2 family (WebSockets over HTTP/2, RFC 8441) through a TLS front with ALPN h2,http/1.1.
 * `advertised`: the front offers extended CONNECT; then everything the upgrade family checks is
 * checked over an h2 stream, several WebSockets share one connection, and the idle cut and the
 * pings' hold are measured on a stream. `not-advertised`: the family says so, and a browser's
 * fallback, an HTTP/1.1 Upgrade over the same TLS listener, is checked. `either`: the version
 * decides (the figure says which), and the fallback is checked.
 */
/** Whether each TLS front setup offers WebSockets over HTTP/2 (extended CONNECT); the browser test expects the same. */
export const H2_EXPECTED: Readonly<Record<string, 'advertised' | 'not-advertised' | 'either'>> = {
  'nginx-h2': 'not-advertised',
  'haproxy-h2': 'advertised',
  'httpd-h2': 'advertised',
  'httpd-h2-no-websockets': 'not-advertised',
  'caddy-h2': 'either',
  'nghttpx-h2': 'advertised',
  'http-front-h2': 'advertised',
};

function h2(front: string, summary: string): Scenario[] {
  const expect = H2_EXPECTED[front];
  if (!expect) throw new Error(`H2_EXPECTED names no expectation for front setup '${front}'`);
  const base = { family: 'h2' as const, front, app: APP_NO_PINGS };
  if (expect !== 'advertised') {
    return [{ ...base, id: `${front}/h2`, summary, idleTimeoutSeconds: RELAXED_IDLE_TIMEOUT_SECONDS, checks: [h2Advertised(expect), h2FallbackEchoes()] }];
  }
  return [
    {
      ...base,
      id: `${front}/h2`,
      summary,
      idleTimeoutSeconds: RELAXED_IDLE_TIMEOUT_SECONDS,
      checks: [h2Advertised('advertised'), h2AppSaw(), ...h2EchoChecks(), h2CloseCarried(4000, 'bye'), h2Streams(3), h2FallbackEchoes()],
    },
    {
      ...base,
      id: `${front}/h2-keepalive`,
      summary: `a WebSocket over HTTP/2 with no pings is cut at the front's ${KEEPALIVE_IDLE_TIMEOUT_SECONDS} s idle timeout; client pings every T/${PINGS_PER_IDLE_TIMEOUT} keep one open at ${HOLD_FACTOR} × T`,
      idleTimeoutSeconds: KEEPALIVE_IDLE_TIMEOUT_SECONDS,
      checks: [h2IdleCut(), h2PingsHold()],
    },
  ];
}

/**
 * The socketio family: the socket.io app behind the front, with the real socket.io-client. With
 * the front passing WebSockets to the app a session upgrades from polling to websocket and 20
 * sessions all echo; with the front answering WebSockets itself (the IIS case) a session stays
 * on polling.
 */
function socketio(front: string, expect: 'websocket' | 'polling', summary: string): Scenario {
  return {
    id: `${front}/socketio`,
    family: 'socketio',
    front,
    summary,
    appKind: 'socketio',
    idleTimeoutSeconds: RELAXED_IDLE_TIMEOUT_SECONDS,
    app: {},
    checks: expect === 'websocket' ? [socketioTransport('websocket'), socketioSessions('none fail')] : [socketioTransport('polling')],
  };
}

const SOCKETIO_PASSES = 'socket.io behind the front: a session opens on polling and upgrades to websocket, its echo acknowledgement comes back, 20 sessions all echo';
const SOCKETIO_FRONT_OWNS = "the front answers WebSockets itself (the IIS case with its WebSocket module on): a socket.io session's upgrade is refused, and it stays on polling";

/**
 * Two app replicas behind the front. `<kind>-replicas` balances round robin: socket.io sessions
 * that start on polling fail with "Session ID unknown" in a share measured over 20, websocket-only
 * ones never do; long-lived connections spread over both replicas; a rolling restart (SIGTERM to
 * one) moves its clients to the other with nothing lost. `<kind>-replicas-sticky` keeps a client
 * on one replica: every socket.io session echoes.
 */
function replicas(kind: string, stickySpread?: 'one', handshakes: 'none fail' | 'counted' = 'none fail'): Scenario[] {
  const base = { front: `${kind}-replicas`, replicas: 2, idleTimeoutSeconds: RELAXED_IDLE_TIMEOUT_SECONDS };
  const sticky = { ...base, front: `${kind}-replicas-sticky` };
  return [
    {
      ...base,
      id: `${kind}-replicas/socketio`,
      family: 'socketio',
      summary: 'socket.io behind two replicas balanced round robin, no sticky sessions: polling-first sessions fail with "Session ID unknown" (the share measured), websocket-only sessions never do, and they spread over both replicas',
      appKind: 'socketio',
      app: {},
      checks: [spreadOverReplicas('socketio', 'spread'), socketioSessions('some fail'), socketioSessions('none fail', { transports: ['websocket'] })],
    },
    {
      ...sticky,
      id: `${kind}-replicas-sticky/socketio`,
      family: 'socketio',
      summary: 'socket.io behind two replicas with sticky sessions: every session, polling first, upgrades and echoes',
      appKind: 'socketio',
      app: {},
      checks: [socketioSessions('none fail', { cookieJar: true })],
    },
    {
      ...base,
      id: `${kind}-replicas/rolling-restart`,
      family: 'replicas',
      summary: 'the echo app on two replicas: WebSockets spread over both; SIGTERM to one closes its WebSockets with 1001, their reconnecting clients are open again on the other, no handshake fails and nothing is lost',
      app: APP_NO_PINGS,
      checks: [spreadOverReplicas('echo', 'spread'), rollingRestart(handshakes)],
    },
    {
      ...base,
      id: `${kind}-replicas/socketio-rolling-restart`,
      family: 'replicas',
      summary: "the socket.io app on two replicas, sessions on websocket: SIGTERM to one closes its sessions' WebSockets with 1001, socket.io-client reconnects them on the other, and every echo emitted meanwhile is acknowledged once",
      appKind: 'socketio',
      app: {},
      checks: [socketioRollingRestart()],
    },
    ...(stickySpread ? [{
      ...sticky,
      id: `${kind}-replicas-sticky/spread`,
      family: 'replicas' as const,
      summary: "stickiness by the client's address: every connection from one address lands on one replica (all the bench's clients share one)",
      app: APP_NO_PINGS,
      checks: [spreadOverReplicas('echo', stickySpread)],
    }] : []),
  ];
}

/** The app trusts the private ranges the bench network lives in, so the front's X-Forwarded-For names the client. */
const TRUSTED_PRIVATE_RANGES = '10.0.0.0/8,172.16.0.0/12,192.168.0.0/16';

const FORWARDED = ['X-Forwarded-For', 'X-Forwarded-Proto'];

export const catalog: readonly Scenario[] = [
  upgradePasses('nginx', FORWARDED),
  ...keepalive('nginx'),
  misconfigured('nginx-no-http11', APP_REFUSAL_STATUS, 'app',
    `no proxy_http_version 1.1: nginx sends the upgrade upstream as HTTP/1.0, which the app (like Kestrel, per RFC 6455) refuses with ${APP_REFUSAL_STATUS}`),
  misconfigured('nginx-no-upgrade-headers', APP_REFUSAL_STATUS, 'app',
    `no Upgrade/Connection headers: the app gets a plain GET on ${WS_PATH} and answers ${APP_REFUSAL_STATUS}`),
  frontWebsocket('nginx', 'app'),
  upgradePasses('nginx-tls', { 'X-Forwarded-For': undefined, 'X-Forwarded-Proto': 'https' },
    'nginx terminates TLS: wss:// handshake 101 from the app, which sees X-Forwarded-Proto: https; echo, close codes, the page over https'),
  frontWebsocket('nginx-front-handles-websocket', 'front'),
  socketio('nginx', 'websocket', SOCKETIO_PASSES),
  socketio('nginx-front-handles-websocket', 'polling', SOCKETIO_FRONT_OWNS),
  ...replicas('nginx', 'one'),
  ...h2('nginx-h2', 'nginx with HTTP/2 does not take WebSockets over HTTP/2: it does not advertise extended CONNECT, and a browser upgrades over HTTP/1.1 on the same TLS listener'),
  reloads('nginx', 'kept',
    'nginx -s reload with WebSockets open: the old worker keeps them (shutting down) for as long as they live, so old workers pile up with every reload'),
  boundedReloads('nginx-drain', `worker_shutdown_timeout ${DRAIN_TIMEOUT_SECONDS}s`),
  ...faults('nginx', { refusedWith: 502 }),
  securityDefaults('nginx'),
  {
    id: 'nginx/forwarded-for-trusted',
    family: 'security',
    front: 'nginx',
    summary: `the app trusts the bench network (ECHO_TRUSTED_PROXIES=${TRUSTED_PRIVATE_RANGES}): its client address is the one nginx put in X-Forwarded-For`,
    idleTimeoutSeconds: RELAXED_IDLE_TIMEOUT_SECONDS,
    app: { ...APP_NO_PINGS, ECHO_TRUSTED_PROXIES: TRUSTED_PRIVATE_RANGES },
    checks: [clientAddressFromForwardedFor({ trusted: true })],
  },

  upgradePasses('haproxy', FORWARDED),
  ...keepalive('haproxy'),
  {
    id: 'haproxy-no-timeout-tunnel/cut-at-timeout-client',
    family: 'misconfiguration',
    front: 'haproxy-no-timeout-tunnel',
    summary: 'no timeout tunnel: the upgrade passes, but the upgraded connection keeps timeout client/server, ' +
      `so a quiet WebSocket is cut at that HTTP timeout (here ${KEEPALIVE_IDLE_TIMEOUT_SECONDS} s; typically 30–50 s in production) with no close frame: the client sees ${ABNORMAL_CLOSURE}`,
    idleTimeoutSeconds: KEEPALIVE_IDLE_TIMEOUT_SECONDS,
    app: APP_NO_PINGS,
    checks: [upgradeAnsweredBy('app'), idleConnectionCut(CUT_TOLERANCE_MS, ABNORMAL_CLOSURE)],
  },
  frontWebsocket('haproxy-tcp', 'app'),
  frontWebsocket('haproxy-front-handles-websocket', 'front'),
  h2FrontWebsocket('haproxy-h2-front-handles-websocket'),
  socketio('haproxy', 'websocket', SOCKETIO_PASSES),
  socketio('haproxy-front-handles-websocket', 'polling', SOCKETIO_FRONT_OWNS),
  // HAProxy, like httpd, does not send a handshake again once it has sent it to a replica that
  // then goes away (its `retries` redispatch only what failed to connect): such a handshake gets
  // 502. Seen once in 1 of 14 probes during a rolling restart; counted, not failed.
  ...replicas('haproxy', undefined, 'counted'),
  ...h2('haproxy-h2', 'HAProxy with HTTP/2 advertises extended CONNECT and turns an h2 WebSocket into an HTTP/1.1 upgrade to the app: echo, close codes, several streams on one connection, and the HTTP/1.1 fallback'),
  // HAProxy retries its connection to the app (retries 3, each within timeout connect): a short
  // app restart is hidden from clients, whose handshakes wait and then get 101.
  reloads('haproxy', 'kept',
    'a master-worker reload (SIGUSR2) with WebSockets open: the old worker keeps them for as long as they live, so old workers pile up with every reload'),
  boundedReloads('haproxy-drain', `hard-stop-after ${DRAIN_TIMEOUT_SECONDS}s`),
  ...faults('haproxy', 'held'),
  securityDefaults('haproxy'),

  upgradePasses('httpd', FORWARDED),
  ...keepalive('httpd'),
  misconfigured('httpd-no-upgrade', APP_REFUSAL_STATUS, 'app',
    `no upgrade=websocket (nor a mod_proxy_wstunnel rule): httpd drops the hop-by-hop Upgrade header, the app gets a plain GET on ${WS_PATH} and answers ${APP_REFUSAL_STATUS}`),
  {
    id: 'httpd-proxy-timeout-only/not-cut-at-proxy-timeout',
    family: 'misconfiguration',
    front: 'httpd-proxy-timeout-only',
    summary: `ProxyTimeout alone is not the idle cut: with ProxyTimeout ${KEEPALIVE_IDLE_TIMEOUT_SECONDS} s and Timeout left at its default (${HTTPD_DEFAULT_TIMEOUT_SECONDS} s) ` +
      `a quiet WebSocket with no pings is not cut within ${HOLD_FACTOR * KEEPALIVE_IDLE_TIMEOUT_SECONDS} s (${HOLD_FACTOR} × ProxyTimeout, as long as the bench holds it; ` +
      'httpd\'s source has the tunnel wait for the longer of Timeout and ProxyTimeout)',
    idleTimeoutSeconds: KEEPALIVE_IDLE_TIMEOUT_SECONDS,
    app: APP_NO_PINGS,
    checks: [staysOpenPastTimeout({ pingsFrom: 'none' })],
  },
  frontWebsocket('httpd', 'app'),
  frontWebsocket('httpd-front-handles-websocket', 'front'),
  h2FrontWebsocket('httpd-h2-front-handles-websocket'),
  socketio('httpd', 'websocket', SOCKETIO_PASSES),
  socketio('httpd-front-handles-websocket', 'polling', SOCKETIO_FRONT_OWNS),
  // httpd does not send a handshake again once it has sent it to a replica that then goes away
  // (connections in the stopping replica's accept queue are reset when its listener closes): such
  // a handshake gets 502. Seen once in 1 of 13 probes during a rolling restart; counted, not failed.
  ...replicas('httpd', undefined, 'counted'),
  ...h2('httpd-h2', 'httpd with H2WebSockets on advertises extended CONNECT and turns an h2 WebSocket into an HTTP/1.1 upgrade to the app: echo, close codes, several streams on one connection, and the HTTP/1.1 fallback'),
  ...h2('httpd-h2-no-websockets', 'httpd with HTTP/2 but H2WebSockets off (the default) does not advertise extended CONNECT: a browser upgrades over HTTP/1.1 on the same TLS listener'),
  reloads('httpd', 'kept',
    'a graceful restart (SIGUSR1) with WebSockets open: the old children keep them for as long as they live (no bound applies to a graceful restart)'),
  ...faults('httpd', { refusedWith: 503, whileUnresolvable: 500 }),
  securityDefaults('httpd'),

  upgradePasses('caddy', FORWARDED),
  {
    id: 'caddy/keepalive-no-idle-timeout',
    family: 'keepalive',
    front: 'caddy',
    summary: `Caddy's defaults, no pings either way: an idle upgraded connection is not cut within ${HOLD_FACTOR * KEEPALIVE_IDLE_TIMEOUT_SECONDS} s ` +
      `(${HOLD_FACTOR} × ${KEEPALIVE_IDLE_TIMEOUT_SECONDS} s, where the other fronts cut; as long as the bench holds it)`,
    idleTimeoutSeconds: KEEPALIVE_IDLE_TIMEOUT_SECONDS,
    app: APP_NO_PINGS,
    checks: [staysOpenPastTimeout({ pingsFrom: 'none' })],
  },
  frontWebsocket('caddy', 'app'),
  frontWebsocket('caddy-front-handles-websocket', 'front'),
  h2FrontWebsocket('caddy-h2-front-handles-websocket'),
  socketio('caddy', 'websocket', SOCKETIO_PASSES),
  socketio('caddy-front-handles-websocket', 'polling', SOCKETIO_FRONT_OWNS),
  ...replicas('caddy'),
  ...h2('caddy-h2', 'Caddy with HTTP/2: whether it advertises extended CONNECT depends on its version (the figure says which); the HTTP/1.1 fallback on the same TLS listener works either way'),
  reloads('caddy', 'dropped',
    'no stream_close_delay (Caddy 2.7+; 2.6 has no such option): every config reload closes all upgraded connections at once, so each deploy ' +
    'disconnects every client at once and they must all reconnect; a handshake in flight at the reload is now and then dropped too (counted)',
    'counted'),
  boundedReloads('caddy-drain', `stream_close_delay ${DRAIN_TIMEOUT_SECONDS} s`),
  ...faults('caddy', { refusedWith: 502 }),
  securityDefaults('caddy'),

  upgradePasses('nghttpx', FORWARDED),
  ...keepalive('nghttpx'),
  frontWebsocket('nghttpx', 'app'),
  socketio('nghttpx', 'websocket', SOCKETIO_PASSES),
  ...h2('nghttpx-h2', 'nghttpx with HTTP/2 advertises extended CONNECT and turns an h2 WebSocket into an HTTP/1.1 upgrade to the app: echo, close codes, several streams on one connection, and the HTTP/1.1 fallback'),
  reloads('nghttpx', 'kept',
    'a reload (SIGHUP to the master) with WebSockets open: the old worker keeps them for as long as they live'),
  ...faults('nghttpx', { refusedWith: 502 }),
  securityDefaults('nghttpx'),

  upgradePasses('http-front', FORWARDED),
  ...keepalive('http-front'),
  frontWebsocket('http-front', 'app'),
  frontWebsocket('http-front-websocket-on', 'front'),
  socketio('http-front', 'websocket', SOCKETIO_PASSES),
  socketio('http-front-websocket-on', 'polling', SOCKETIO_FRONT_OWNS),
  // The http-front balances without health checks or failover: handshakes it sends to a stopped replica fail (counted).
  ...replicas('http-front', undefined, 'counted'),
  ...h2('http-front-h2', 'the http-front with TLS and HTTP/2 (Node http2) advertises extended CONNECT and turns an h2 WebSocket into an HTTP/1.1 upgrade to the app'),
  ...faults('http-front', { refusedWith: 502 }),
  securityDefaults('http-front'),
];

export function scenario(id: string): Scenario {
  const found = catalog.find((s) => s.id === id);
  if (!found) throw new Error(`unknown scenario '${id}'; known: ${catalog.map((s) => s.id).join(', ')}`);
  return found;
}
