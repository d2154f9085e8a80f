/**
 * The pure part of WebSocketFrontContainer: which kinds it knows, the port a config listens on,
 * whether a config names its upstream, and the settings a start needs, checked before any
 * container runs (so a mistake is an error naming it, not a front that answers 502).
 */
import { httpFrontFlags } from '../fronts/http-front.js';
import { frontDescriptor, type FrontKind } from '../fronts/index.js';
import { withoutComments } from '../fronts/config-scan.js';

/** Whether a number is a whole count of milliseconds (or a port) above zero. */
function positiveInteger(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n > 0;
}

/** A kind the library can start; an unknown one is an error naming the known ones (the registry's own). */
export function knownKind(kind: string): FrontKind {
  return frontDescriptor(kind).kind;
}

/** A TCP port (1–65535), or an error saying which setting was wrong. */
export function checkPort(port: unknown, what: string): number {
  if (!positiveInteger(port) || port > 65_535) throw new Error(`${what} must be a TCP port (1–65535), got ${JSON.stringify(port)}`);
  return port;
}

/** A duration in whole milliseconds above zero, or an error saying which setting was wrong. */
export function checkMs(ms: unknown, what: string): number {
  if (!positiveInteger(ms)) throw new Error(`${what} must be a whole number of milliseconds above 0, got ${JSON.stringify(ms)}`);
  return ms;
}

/**
 * The ports a config listens on, in the order it states them, by its kind's syntax (its
 * descriptor's configScan): nginx `listen [addr:]port`, HAProxy `bind [addr]:port`, httpd
 * `Listen [addr:]port`, Caddy a site address `:port` or `host:port` (or `http_port`), nghttpx
 * `frontend=addr,port`; none for the http-front, which takes flags.
 */
export function listenPorts(kind: FrontKind, config: string): number[] {
  return frontDescriptor(kind).configScan?.listenPorts(config) ?? [];
}

/** Whether the config names one of the upstream's names and its port (as whole words). */
export function namesUpstream(config: string, names: readonly string[], port: number): boolean {
  const text = withoutComments(config);
  const word = (w: string): RegExp => new RegExp(`(^|[^\\w.-])${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w-])`);
  return names.some((n) => word(n).test(text)) && word(String(port)).test(text);
}

/** What the builder was told, once the upstream's names are known (from its container, or the alias given). */
export interface FrontSettings {
  kind: string;
  /** The config file's text, unchanged; absent for the http-front, which takes flags. */
  config?: { text: string; source: string };
  upstream?: { names: readonly string[]; port: number };
  idleTimeoutMs?: number;
  exposedPort?: number;
}

/** What a start runs: the kind, the config to copy, the command (the http-front's), the listening port. */
export interface FrontPlan {
  kind: FrontKind;
  config?: string;
  command?: string[];
  port: number;
}

/** The start's plan, or an error naming what is wrong or missing. */
export function planFront(s: FrontSettings): FrontPlan {
  const kind = knownKind(s.kind);
  const front = frontDescriptor(kind);
  if (kind === 'http-front') {
    if (s.config) throw new Error(`a http-front takes no config file (${s.config.source}): it is configured by .withUpstream() and .withIdleTimeout()`);
    if (!s.upstream) throw new Error('a http-front needs its upstream: .withUpstream(container or alias, port)');
    const port = s.exposedPort ?? 8080;
    const target = `http://${s.upstream.names[0] as string}:${s.upstream.port}`;
    const flags = httpFrontFlags({ host: '0.0.0.0', port, target: [target], ...(s.idleTimeoutMs !== undefined ? { idleTimeout: s.idleTimeoutMs } : {}) });
    return { kind, command: ['node', `/app/${front.bundle as string}`, ...flags], port };
  }
  if (!s.config) throw new Error(`a ${kind} front needs its config: .withConfig(path) or .withConfigContent(text) (it is copied to ${front.configPath as string})`);
  const { text, source } = s.config;
  if (s.upstream && !namesUpstream(text, s.upstream.names, s.upstream.port)) {
    throw new Error(`the ${kind} config ${source} does not name the upstream ${s.upstream.names.map((n) => `${n}:${s.upstream?.port}`).join(' or ')}; ` +
      "the front reaches the app by the network alias the app's container was given, and the port it listens on");
  }
  let port = s.exposedPort;
  if (port === undefined) {
    const ports = listenPorts(kind, text);
    if (ports.length === 0) throw new Error(`found no port the ${kind} config ${source} listens on; name it: .withExposedPort(port)`);
    if (ports.length > 1) throw new Error(`the ${kind} config ${source} listens on ${ports.join(', ')}; say which one clients dial: .withExposedPort(port)`);
    port = ports[0] as number;
  }
  return { kind, config: text, port };
}
