/**
 * The http-proxy front's options: one spec, resolved by the shared resolver (src/options.ts) from
 * code, flags (`ws-proxy-bench front --target …`) or the environment (`FRONT_TARGET=…`).
 */
import {
  OptionError,
  boolean,
  duration,
  integer,
  isHttpUrl,
  list,
  oneOf,
  option,
  resolveOptions,
  text,
  type OptionValues,
  type ResolveSources,
} from '../src/options.js';

/** `on`: the front answers WebSocket upgrades itself; `off`: it forwards them to the app. */
export type FrontWebsocketMode = 'on' | 'off';

/** `cookie`: a client that sends back the front's wspb-target cookie stays on one target (proxy/balancer.ts). */
export type FrontStickyMode = 'off' | 'cookie';

export const frontOptionSpecs = {
  target: option<string[]>({
    flag: '--target',
    env: 'FRONT_TARGET',
    default: ['http://127.0.0.1:8080'],
    ...list('http:// URLs', isHttpUrl, true),
    allowed: 'an http:// URL such as http://echo:8080, or several (comma-separated, or the flag repeated)',
    // --target a --target b is --target a,b.
    repeatable: true,
    help: 'the app every request (and, with --websocket off, every upgrade) is proxied to; several (app replicas) are balanced round robin, request by request and upgrade by upgrade',
  }),
  sticky: option<FrontStickyMode>({
    flag: '--sticky',
    env: 'FRONT_STICKY',
    default: 'off',
    ...oneOf(['off', 'cookie'] as const),
    help: 'cookie: a response from a target sets the cookie wspb-target=N (N: its place in the --target list, from 0), and a request that sends it back, a WebSocket upgrade too, goes to that target; off: round robin only',
  }),
  host: option({
    flag: '--host',
    env: 'FRONT_HOST',
    default: '127.0.0.1',
    ...text('an interface address or host name, such as 0.0.0.0', (raw) => /^[^\s/]+$/.test(raw)),
    help: 'the address the front listens on',
  }),
  port: option({
    flag: '--port',
    env: 'FRONT_PORT',
    default: 8081,
    ...integer(0, 65535),
    help: 'the port the front listens on (0 = any free port)',
  }),
  idleTimeout: option({
    flag: '--idle-timeout',
    env: 'FRONT_IDLE_TIMEOUT',
    default: 60_000,
    ...duration('s'),
    help: 'cut a WebSocket after this long with no bytes either way, pings included (0 = never)',
  }),
  connectTimeout: option({
    flag: '--connect-timeout',
    env: 'FRONT_CONNECT_TIMEOUT',
    default: 3_000,
    ...duration('s'),
    help: 'give up connecting to the app after this long and answer 504 (a replica that just went away can otherwise hold a request for as long as the kernel retries; 0 = never)',
  }),
  headerTimeout: option({
    flag: '--header-timeout',
    env: 'FRONT_HEADER_TIMEOUT',
    default: 10_000,
    ...duration('s'),
    help: 'a client must send its request headers within this long, or gets 408 and is disconnected (slowloris guard; 0 = never)',
  }),
  forwardedHeaders: option({
    flag: '--forwarded-headers',
    env: 'FRONT_FORWARDED_HEADERS',
    default: true,
    bare: true,
    ...boolean,
    help: 'add X-Forwarded-For, X-Forwarded-Proto and X-Forwarded-Host to what reaches the app',
  }),
  websocket: option<FrontWebsocketMode>({
    flag: '--websocket',
    env: 'FRONT_WEBSOCKET',
    default: 'off',
    ...oneOf(['on', 'off'] as const),
    help: "front WebSocket handling: off passes upgrades to the app (IIS <webSocket enabled=\"false\" />), on answers them in the front",
  }),
  tlsCert: option({
    flag: '--tls-cert',
    env: 'FRONT_TLS_CERT',
    default: '',
    show: () => '(none)',
    ...text('a PEM file path (empty: plain HTTP)', (raw) => raw === raw.trim()),
    help: 'terminate TLS with this certificate (with --tls-key): the listener then speaks h2 and HTTP/1.1 by ALPN, and h2 carries WebSockets (RFC 8441)',
  }),
  tlsKey: option({
    flag: '--tls-key',
    env: 'FRONT_TLS_KEY',
    default: '',
    show: () => '(none)',
    ...text('a PEM file path (empty: plain HTTP)', (raw) => raw === raw.trim()),
    help: 'the private key of --tls-cert',
  }),
};

export type FrontOptionSpecs = typeof frontOptionSpecs;
export type FrontOptions = OptionValues<FrontOptionSpecs>;

/** Validated front options: code overrides, then flags, then the environment, then defaults. */
export function resolveFrontOptions(sources: ResolveSources<FrontOptionSpecs> = {}): FrontOptions {
  const options = resolveOptions(frontOptionSpecs, { command: 'front', ...sources });
  if ((options.tlsCert === '') !== (options.tlsKey === '')) {
    throw new OptionError(`front: --tls-cert and --tls-key go together (got only ${options.tlsCert ? '--tls-cert' : '--tls-key'})`);
  }
  return options;
}

/** Whether the front terminates TLS (and so speaks h2 as well as HTTP/1.1). */
export function frontTls(options: Pick<FrontOptions, 'tlsCert' | 'tlsKey'>): boolean {
  return options.tlsCert !== '';
}
