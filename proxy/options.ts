/**
 * The http-proxy front's options: one spec, resolved by the shared resolver (src/options.ts) from
 * code, flags (`ws-proxy-bench front --target …`) or the environment (`FRONT_TARGET=…`).
 */
import {
  boolean,
  duration,
  httpUrl,
  integer,
  oneOf,
  option,
  resolveOptions,
  text,
  type OptionValues,
  type ResolveSources,
} from '../src/options.js';

/** `on`: the front answers WebSocket upgrades itself; `off`: it forwards them to the app. */
export type FrontWebsocketMode = 'on' | 'off';

export const frontOptionSpecs = {
  target: option({
    flag: '--target',
    env: 'FRONT_TARGET',
    default: 'http://127.0.0.1:8080',
    ...httpUrl(),
    help: 'the app every request (and, with --websocket off, every upgrade) is proxied to',
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
};

export type FrontOptionSpecs = typeof frontOptionSpecs;
export type FrontOptions = OptionValues<FrontOptionSpecs>;

/** Validated front options: code overrides, then flags, then the environment, then defaults. */
export function resolveFrontOptions(sources: ResolveSources<FrontOptionSpecs> = {}): FrontOptions {
  return resolveOptions(frontOptionSpecs, { command: 'front', ...sources });
}
