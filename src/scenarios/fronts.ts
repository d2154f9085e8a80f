/**
 * The front setups scenarios run against: which kind of front, which config file (a real file,
 * rendered with the values below), which flags. Adding a front or a config variant means adding
 * an entry here and naming it in the catalog.
 */
import type { FrontKind } from '../containers/harness.js';
import type { Scenario } from './types.js';

/** Where things are on a scenario's network: fronts and the app listen on 8080. */
export const FRONT_PORT = 8080;
export const APP_ALIAS = 'echo';
export const APP_PORT = 8080;
export const WS_PATH = '/ws';
/** The alias of a front setup's companion that handles WebSockets for it. */
export const WS_HANDLER_ALIAS = 'front-ws';

/** The values a config template or a front's flags may use. */
export interface FrontVars {
  /** host:port of the app on the scenario's network. */
  UPSTREAM: string;
  LISTEN_PORT: number;
  IDLE_TIMEOUT_SECONDS: number;
  WS_PATH: string;
  /** host:port of the front tier's own WebSocket handler (front-handles-WebSocket setups). */
  WS_HANDLER: string;
  /** nginx's worker_processes. */
  WORKER_PROCESSES: number;
  /** nginx's worker_connections, per worker (each proxied WebSocket takes two). */
  WORKER_CONNECTIONS: number;
  /** nginx's worker_rlimit_nofile: the worker's file descriptor limit. */
  WORKER_RLIMIT_NOFILE: number;
  /** A client must send its request headers within this long (nginx client_header_timeout, http-front --header-timeout). */
  HEADER_TIMEOUT_SECONDS: number;
}

/** Short, so a slow-headers handshake is cut within seconds in the suites (nginx's default is 60). */
export const HEADER_TIMEOUT_SECONDS = 3;

/** nginx's worker_connections unless a run needs more (the scale bench does); nginx's own default is 512. */
export const DEFAULT_WORKER_CONNECTIONS = 1024;

/** nginx's workers, their worker_connections and the file descriptor limit that goes with them. */
export function workerLimits(connections: number, processes = 1): Pick<FrontVars, 'WORKER_PROCESSES' | 'WORKER_CONNECTIONS' | 'WORKER_RLIMIT_NOFILE'> {
  return { WORKER_PROCESSES: processes, WORKER_CONNECTIONS: connections, WORKER_RLIMIT_NOFILE: connections + 64 };
}

export interface FrontSetup {
  name: string;
  kind: FrontKind;
  summary: string;
  /** Config template, relative to the project root, rendered with FrontVars. */
  template?: string;
  /** The container's command, for fronts configured by flags. */
  command?(vars: FrontVars): string[];
  /** Other front setups this one needs on the same network, by the alias it reaches them at. */
  companions?: Record<string, string>;
  /**
   * The front terminates TLS: the bench makes a throwaway certificate and copies it and its key
   * to these paths in the container; clients then use https:// and wss:// and trust it.
   */
  tls?: { certPath: string; keyPath: string };
}

/** The values a scenario's front config is rendered with. */
export function frontVars(scenario: Pick<Scenario, 'idleTimeoutSeconds'>): FrontVars {
  return {
    UPSTREAM: `${APP_ALIAS}:${APP_PORT}`,
    LISTEN_PORT: FRONT_PORT,
    IDLE_TIMEOUT_SECONDS: scenario.idleTimeoutSeconds,
    WS_PATH,
    WS_HANDLER: `${WS_HANDLER_ALIAS}:${FRONT_PORT}`,
    ...workerLimits(DEFAULT_WORKER_CONNECTIONS),
    HEADER_TIMEOUT_SECONDS,
  };
}

function httpFrontCommand(websocket: 'on' | 'off') {
  return (v: FrontVars): string[] => [
    'node', '/app/http-front.mjs',
    '--host', '0.0.0.0',
    '--port', String(v.LISTEN_PORT),
    '--target', `http://${v.UPSTREAM}`,
    '--idle-timeout', `${v.IDLE_TIMEOUT_SECONDS}s`,
    '--header-timeout', `${v.HEADER_TIMEOUT_SECONDS}s`,
    '--websocket', websocket,
  ];
}

const setups: FrontSetup[] = [
  {
    name: 'nginx',
    kind: 'nginx',
    summary: 'nginx with the correct WebSocket proxy config',
    template: 'nginx/ws-proxy.conf.template',
  },
  {
    name: 'nginx-no-http11',
    kind: 'nginx',
    summary: 'nginx without proxy_http_version 1.1 (a classic mistake)',
    template: 'nginx/mistake-no-http11.conf.template',
  },
  {
    name: 'nginx-no-upgrade-headers',
    kind: 'nginx',
    summary: 'nginx without the Upgrade/Connection headers (a classic mistake)',
    template: 'nginx/mistake-no-upgrade-headers.conf.template',
  },
  {
    name: 'nginx-tls',
    kind: 'nginx',
    summary: 'nginx terminating TLS (wss:// outside, ws:// to the app) with the correct WebSocket proxy config',
    template: 'nginx/tls.conf.template',
    tls: { certPath: '/etc/nginx/tls/cert.pem', keyPath: '/etc/nginx/tls/key.pem' },
  },
  {
    name: 'nginx-front-handles-websocket',
    kind: 'nginx',
    summary: "nginx whose front tier answers WebSockets itself (front WebSocket handling on)",
    template: 'nginx/front-handles-websocket.conf.template',
    companions: { [WS_HANDLER_ALIAS]: 'http-front-websocket-on' },
  },
  {
    name: 'haproxy',
    kind: 'haproxy',
    summary: 'HAProxy in mode http with timeout tunnel (the correct WebSocket config)',
    template: 'haproxy/ws-proxy.cfg.template',
  },
  {
    name: 'haproxy-no-timeout-tunnel',
    kind: 'haproxy',
    summary: 'HAProxy without timeout tunnel: upgraded connections keep timeout client/server (a classic mistake)',
    template: 'haproxy/mistake-no-timeout-tunnel.cfg.template',
  },
  {
    name: 'haproxy-tcp',
    kind: 'haproxy',
    summary: 'HAProxy in mode tcp: bytes pass through untouched (front WebSocket handling off)',
    template: 'haproxy/tcp-pass-through.cfg.template',
  },
  {
    name: 'haproxy-front-handles-websocket',
    kind: 'haproxy',
    summary: "HAProxy routing upgrades to the front tier's own WebSocket handler (front WebSocket handling on)",
    template: 'haproxy/front-handles-websocket.cfg.template',
    companions: { [WS_HANDLER_ALIAS]: 'http-front-websocket-on' },
  },
  {
    name: 'httpd',
    kind: 'httpd',
    summary: 'Apache httpd with ProxyPass … upgrade=websocket and ProxyTimeout (the correct WebSocket config)',
    template: 'httpd/ws-proxy.conf.template',
  },
  {
    name: 'httpd-no-upgrade',
    kind: 'httpd',
    summary: 'Apache httpd without upgrade=websocket (or mod_proxy_wstunnel): the upgrade is not enabled (a classic mistake)',
    template: 'httpd/mistake-no-upgrade.conf.template',
  },
  {
    name: 'httpd-proxy-timeout-only',
    kind: 'httpd',
    summary: 'Apache httpd with ProxyTimeout but no Timeout: the idle cut stays at Timeout (default 60 s) (a classic mistake)',
    template: 'httpd/mistake-proxy-timeout-only.conf.template',
  },
  {
    name: 'httpd-front-handles-websocket',
    kind: 'httpd',
    summary: "Apache httpd rewriting upgrades to the front tier's own WebSocket handler (front WebSocket handling on)",
    template: 'httpd/front-handles-websocket.conf.template',
    companions: { [WS_HANDLER_ALIAS]: 'http-front-websocket-on' },
  },
  {
    name: 'caddy',
    kind: 'caddy',
    summary: 'Caddy reverse_proxy (upgrades WebSockets by itself)',
    template: 'caddy/Caddyfile.template',
  },
  {
    name: 'caddy-front-handles-websocket',
    kind: 'caddy',
    summary: "Caddy matching upgrades to the front tier's own WebSocket handler (front WebSocket handling on)",
    template: 'caddy/front-handles-websocket.Caddyfile.template',
    companions: { [WS_HANDLER_ALIAS]: 'http-front-websocket-on' },
  },
  {
    name: 'http-front',
    kind: 'http-front',
    summary: 'the Node http-proxy front, WebSocket handling off (upgrades pass to the app)',
    command: httpFrontCommand('off'),
  },
  {
    name: 'http-front-websocket-on',
    kind: 'http-front',
    summary: 'the Node http-proxy front, WebSocket handling on (the front answers upgrades)',
    command: httpFrontCommand('on'),
  },
];

export const frontSetups: ReadonlyMap<string, FrontSetup> = new Map(setups.map((s) => [s.name, s]));

export function frontSetup(name: string): FrontSetup {
  const setup = frontSetups.get(name);
  if (!setup) {
    throw new Error(`unknown front setup '${name}'; known: ${[...frontSetups.keys()].join(', ')}`);
  }
  return setup;
}
