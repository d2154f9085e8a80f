/**
 * docker-compose.yml's services that publish a port, in one table: the front setup each runs
 * (src/fronts/), its profile, its port and the variable that moves it, what the README's port
 * table says it is, and what a WebSocket handshake on its port gets. `render --compose` renders
 * the configs of these setups; the README's port table and its drift test, the unit test that
 * holds the compose file to this table, and the compose container test all derive from it.
 */
import { APP_REFUSAL_STATUS } from '../scenarios/catalog.js';

/** The profiles of docker-compose.yml; `default` is a service with no profile (`docker compose up` alone). */
export const COMPOSE_PROFILES = ['default', 'mistakes', 'front-websocket', 'nghttpx', 'socketio', 'h2'] as const;
export type ComposeProfile = (typeof COMPOSE_PROFILES)[number];

export interface ComposeService {
  /** The compose service's name. */
  service: string;
  /** The front setup it runs (src/fronts/); absent for the app itself. */
  setup?: string;
  profile: ComposeProfile;
  /** The variable that moves its published port. */
  portVar: string;
  /** Its published port on 127.0.0.1 when the variable is not set. */
  defaultPort: number;
  /** What it is, as the README's port table says it (Markdown). */
  what: string;
  /**
   * A ws:// handshake on its port: the status and who answers it (by identity header), as the
   * catalog expects of its setup (a unit test holds each to the catalog). Absent where the
   * handshake is not plain ws:// (profiles h2 and socketio, tested their own way).
   */
  handshake?: { status: number; by: 'app' | 'front' };
}

const APP_ANSWERS = { status: 101, by: 'app' } as const;
const FRONT_ANSWERS = { status: 101, by: 'front' } as const;
const APP_REFUSES = { status: APP_REFUSAL_STATUS, by: 'app' } as const;

export const COMPOSE_SERVICES: readonly ComposeService[] = [
  { service: 'echo', profile: 'default', portVar: 'WS_PROXY_BENCH_PORT_APP', defaultPort: 8080, what: 'the echo app itself', handshake: APP_ANSWERS },
  { service: 'nginx', setup: 'nginx', profile: 'default', portVar: 'WS_PROXY_BENCH_PORT_NGINX', defaultPort: 8081, what: 'nginx, the correct WebSocket config (`nginx/ws-proxy.conf.template`)', handshake: APP_ANSWERS },
  { service: 'http-front', setup: 'http-front', profile: 'default', portVar: 'WS_PROXY_BENCH_PORT_HTTP_FRONT', defaultPort: 8082, what: 'the Node http-proxy front, WebSocket handling off', handshake: APP_ANSWERS },
  { service: 'nginx-no-http11', setup: 'nginx-no-http11', profile: 'mistakes', portVar: 'WS_PROXY_BENCH_PORT_NGINX_NO_HTTP11', defaultPort: 8083, what: 'nginx without `proxy_http_version 1.1`: the app refuses the upgrade', handshake: APP_REFUSES },
  { service: 'nginx-no-upgrade-headers', setup: 'nginx-no-upgrade-headers', profile: 'mistakes', portVar: 'WS_PROXY_BENCH_PORT_NGINX_NO_UPGRADE_HEADERS', defaultPort: 8084, what: 'nginx without `Upgrade`/`Connection` headers: the app refuses the upgrade', handshake: APP_REFUSES },
  { service: 'nginx-front-handles-websocket', setup: 'nginx-front-handles-websocket', profile: 'front-websocket', portVar: 'WS_PROXY_BENCH_PORT_NGINX_FRONT_WS', defaultPort: 8085, what: 'nginx whose front answers WebSockets itself (upgrades routed to `front-ws`)', handshake: FRONT_ANSWERS },
  { service: 'front-ws', setup: 'http-front-websocket-on', profile: 'front-websocket', portVar: 'WS_PROXY_BENCH_PORT_HTTP_FRONT_WS_ON', defaultPort: 8086, what: "the http-proxy front, WebSocket handling on: the front tier's own WebSocket handler the `*-front-handles-websocket` services route upgrades to", handshake: FRONT_ANSWERS },
  { service: 'haproxy', setup: 'haproxy', profile: 'default', portVar: 'WS_PROXY_BENCH_PORT_HAPROXY', defaultPort: 8087, what: 'HAProxy, the correct WebSocket config (`timeout tunnel`; `haproxy/ws-proxy.cfg.template`)', handshake: APP_ANSWERS },
  { service: 'httpd', setup: 'httpd', profile: 'default', portVar: 'WS_PROXY_BENCH_PORT_HTTPD', defaultPort: 8088, what: 'Apache httpd, the correct WebSocket config (`upgrade=websocket`; `httpd/ws-proxy.conf.template`)', handshake: APP_ANSWERS },
  { service: 'caddy', setup: 'caddy', profile: 'default', portVar: 'WS_PROXY_BENCH_PORT_CADDY', defaultPort: 8089, what: 'Caddy `reverse_proxy` (`caddy/Caddyfile.template`)', handshake: APP_ANSWERS },
  { service: 'nginx-socketio', setup: 'nginx-replicas-sticky', profile: 'socketio', portVar: 'WS_PROXY_BENCH_PORT_SOCKETIO', defaultPort: 8090, what: 'nginx with sticky sessions (`ip_hash`) over two socket.io replicas, the socket.io page at `/`' },
  { service: 'haproxy-h2', setup: 'haproxy-h2', profile: 'h2', portVar: 'WS_PROXY_BENCH_PORT_HAPROXY_H2', defaultPort: 8091, what: 'HAProxy terminating TLS with h2, extended CONNECT advertised, the page at `https://…/`' },
  { service: 'httpd-h2', setup: 'httpd-h2', profile: 'h2', portVar: 'WS_PROXY_BENCH_PORT_HTTPD_H2', defaultPort: 8092, what: 'Apache httpd terminating TLS with h2 and `H2WebSockets on`' },
  { service: 'nghttpx-h2', setup: 'nghttpx-h2', profile: 'h2', portVar: 'WS_PROXY_BENCH_PORT_NGHTTPX_H2', defaultPort: 8093, what: 'nghttpx terminating TLS with h2' },
  { service: 'http-front-h2', setup: 'http-front-h2', profile: 'h2', portVar: 'WS_PROXY_BENCH_PORT_HTTP_FRONT_H2', defaultPort: 8094, what: 'the http-proxy front terminating TLS with h2 (`--tls-cert`/`--tls-key`)' },
  { service: 'nghttpx', setup: 'nghttpx', profile: 'nghttpx', portVar: 'WS_PROXY_BENCH_PORT_NGHTTPX', defaultPort: 8095, what: 'nghttpx, the correct WebSocket config, plain HTTP/1.1 (`nghttpx/ws-proxy.conf.template`; no official image: its own profile)', handshake: APP_ANSWERS },
  { service: 'haproxy-no-timeout-tunnel', setup: 'haproxy-no-timeout-tunnel', profile: 'mistakes', portVar: 'WS_PROXY_BENCH_PORT_HAPROXY_NO_TIMEOUT_TUNNEL', defaultPort: 8096, what: 'HAProxy without `timeout tunnel`: the upgrade passes, and a quiet WebSocket is cut at `timeout client` (60 s here)', handshake: APP_ANSWERS },
  { service: 'httpd-no-upgrade', setup: 'httpd-no-upgrade', profile: 'mistakes', portVar: 'WS_PROXY_BENCH_PORT_HTTPD_NO_UPGRADE', defaultPort: 8097, what: 'Apache httpd without `upgrade=websocket`: the app refuses the upgrade', handshake: APP_REFUSES },
  { service: 'httpd-proxy-timeout-only', setup: 'httpd-proxy-timeout-only', profile: 'mistakes', portVar: 'WS_PROXY_BENCH_PORT_HTTPD_PROXY_TIMEOUT_ONLY', defaultPort: 8098, what: 'Apache httpd with `ProxyTimeout` but no `Timeout`: a quiet WebSocket is not cut at `ProxyTimeout`', handshake: APP_ANSWERS },
  { service: 'haproxy-front-handles-websocket', setup: 'haproxy-front-handles-websocket', profile: 'front-websocket', portVar: 'WS_PROXY_BENCH_PORT_HAPROXY_FRONT_WS', defaultPort: 8099, what: 'HAProxy routing upgrades to `front-ws` (front WebSocket handling on)', handshake: FRONT_ANSWERS },
  { service: 'haproxy-tcp', setup: 'haproxy-tcp', profile: 'front-websocket', portVar: 'WS_PROXY_BENCH_PORT_HAPROXY_TCP', defaultPort: 8100, what: 'HAProxy in `mode tcp`: bytes pass through untouched, the app answers (front WebSocket handling off)', handshake: APP_ANSWERS },
  { service: 'httpd-front-handles-websocket', setup: 'httpd-front-handles-websocket', profile: 'front-websocket', portVar: 'WS_PROXY_BENCH_PORT_HTTPD_FRONT_WS', defaultPort: 8101, what: 'Apache httpd rewriting upgrades to `front-ws` (front WebSocket handling on)', handshake: FRONT_ANSWERS },
  { service: 'caddy-front-handles-websocket', setup: 'caddy-front-handles-websocket', profile: 'front-websocket', portVar: 'WS_PROXY_BENCH_PORT_CADDY_FRONT_WS', defaultPort: 8102, what: 'Caddy matching upgrades to `front-ws` (front WebSocket handling on)', handshake: FRONT_ANSWERS },
];

/** A compose service by name; an unknown one names the known ones. */
export function composeService(name: string): ComposeService {
  const found = COMPOSE_SERVICES.find((s) => s.service === name);
  if (!found) throw new Error(`docker-compose.yml publishes no service '${name}'; known: ${COMPOSE_SERVICES.map((s) => s.service).join(', ')}`);
  return found;
}

/** The profiles to name for `docker compose … up` to bring up every service (every profile but the default). */
export const EVERY_PROFILE: readonly ComposeProfile[] = COMPOSE_PROFILES.filter((p) => p !== 'default');
