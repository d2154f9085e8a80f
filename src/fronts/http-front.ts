/**
 * The Node http-proxy front (proxy/): configured by options, not a file. A setup states its
 * options; the container's command is derived from them, and local mode runs the front in this
 * process with the same object.
 */
import { frontOptionSpecs, type FrontOptions, type FrontStickyMode, type FrontWebsocketMode } from '../../proxy/options.js';
import { NODE_IMAGE, NODE_VERSION } from './app-image.js';
import { defineFront, type SetupSpec } from './types.js';
import { WS_HANDLER_SETUP, type FrontVars } from './vars.js';

/** The bundle the node image runs for this front (copied to /app). */
export const HTTP_FRONT_BUNDLE = 'http-front.mjs';

/** The command-line flags that give the front these options (each as its spec writes it; a repeatable one once per value). */
export function httpFrontFlags(options: Partial<FrontOptions>): string[] {
  return Object.entries(options).flatMap(([key, value]) => {
    const spec = frontOptionSpecs[key as keyof FrontOptions];
    if (spec.repeatable && Array.isArray(value)) return value.flatMap((v) => [spec.flag, String(v)]);
    const raw = spec.fromCode ? (spec.fromCode as (v: unknown) => string)(value) : String(value);
    return [spec.flag, raw];
  });
}

/** Where the TLS setup's throwaway certificate and key go in the front's container. */
const TLS = { certPath: '/app/tls/cert.pem', keyPath: '/app/tls/key.pem' };

function options(websocket: FrontWebsocketMode, tls = false) {
  return (v: FrontVars): Partial<FrontOptions> => ({
    host: '0.0.0.0',
    port: v.LISTEN_PORT,
    target: [`http://${v.UPSTREAM}`],
    idleTimeout: v.IDLE_TIMEOUT_SECONDS * 1000,
    headerTimeout: v.HEADER_TIMEOUT_SECONDS * 1000,
    websocket,
    ...(tls ? { tlsCert: TLS.certPath, tlsKey: TLS.keyPath } : {}),
  });
}

/** The correct options over the two app replicas, balanced round robin, sticky or not. */
function replicas(sticky: FrontStickyMode) {
  return (v: FrontVars): Partial<FrontOptions> => ({
    ...options('off')(v),
    target: [`http://${v.REPLICA_1}`, `http://${v.REPLICA_2}`],
    sticky,
  });
}

/** A setup's http-front options, rendered with a topology's values. */
export function httpFrontOptions(setup: SetupSpec, vars: FrontVars): Partial<FrontOptions> {
  if (!setup.httpFront) throw new Error(`front setup '${setup.name}' states no http-front options`);
  return setup.httpFront(vars);
}

export const httpFront = defineFront({
  kind: 'http-front',
  title: 'the Node http-proxy front',
  image: NODE_IMAGE,
  bundle: HTTP_FRONT_BUNDLE,
  setupCommand: (setup, vars) => ['node', `/app/${HTTP_FRONT_BUNDLE}`, ...httpFrontFlags(httpFrontOptions(setup, vars))],
  // The Node.js the front runs on.
  version: NODE_VERSION,
  processes: /^node \/app\/http-front\.mjs/,
  local: 'in-process',
  docsPage: 'docs/http-front.md',
  scaleOut: 'containers',
  setups: [
    { name: 'http-front', summary: 'the Node http-proxy front, WebSocket handling off (upgrades pass to the app)', httpFront: options('off') },
    {
      name: 'http-front-h2',
      summary: 'the Node http-proxy front terminating TLS with HTTP/2 and HTTP/1.1: WebSockets over HTTP/2 (RFC 8441) become HTTP/1.1 upgrades to the app',
      httpFront: options('off', true),
      tls: TLS,
    },
    { name: WS_HANDLER_SETUP, summary: 'the Node http-proxy front, WebSocket handling on (the front answers upgrades)', httpFront: options('on') },
    {
      name: 'http-front-replicas',
      summary: 'the Node http-proxy front over two app replicas, round robin per request and upgrade (no stickiness: socket.io polling sessions fail)',
      httpFront: replicas('off'),
    },
    {
      name: 'http-front-replicas-sticky',
      summary: 'the Node http-proxy front over two app replicas, sticky by the cookie it sets (--sticky cookie: wspb-target)',
      httpFront: replicas('cookie'),
    },
  ],
});
