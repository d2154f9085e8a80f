/**
 * A reverse proxy in front of the user's own WebSocket app, in Testcontainers' style:
 *
 *   const front = await new WebSocketFrontContainer('nginx')
 *     .withConfig('nginx.conf')        // the user's file, copied unchanged where the image reads it
 *     .withUpstream(app, 8080)         // the app's started container (or its network alias) and port
 *     .withIdleTimeout(3_000)          // what the config sets: the idle checks' expectation
 *     .start();
 *   front.getWsUrl('/chat');
 *
 * The front joins the app's network (or the one given by .withNetwork()) and reaches the app by
 * the network alias the config names; the builder checks the config names it. It runs on the
 * bench's container layer (src/containers/front-container.ts): its kind's image, command,
 * reload and version commands, the run's label, its port published on the engine's host.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { StartedNetwork, StartedTestContainer } from 'testcontainers';
import { startFront } from '../containers/front-container.js';
import { runtimeClient } from '../containers/runtime.js';
import type { FrontKind } from '../fronts/index.js';
import type { FrontHandle } from '../topology/handles.js';
import { checkMs, checkPort, knownKind, planFront, type FrontSettings } from './front-plan.js';
import type { WebSocketTarget } from './checks.js';

/** Networks Docker makes by itself: a user-defined one is needed for aliases to resolve. */
const DOCKER_NETWORKS = new Set(['bridge', 'host', 'none']);

/** The upstream as given: a started container (its aliases read at start) or an alias on the network. */
type Upstream = { container: StartedTestContainer; port: number } | { alias: string; port: number };

/** A network by its testcontainers handle or its name. */
export type NetworkRef = StartedNetwork | string;

export class WebSocketFrontContainer {
  readonly kind: FrontKind;
  private config?: { text: string; source: string };
  private upstream?: Upstream;
  private network?: string;
  private idleTimeoutMs?: number;
  private exposedPort?: number;
  private image?: string;
  private alias = 'front';

  /** `kind`: nginx, haproxy, httpd, caddy, nghttpx or http-front; an unknown kind is an error naming the known ones. */
  constructor(kind: FrontKind | (string & {})) {
    this.kind = knownKind(kind);
  }

  /** The front's config file, read now and copied unchanged to where the kind's image reads it. */
  withConfig(path: string): this {
    const file = resolve(path);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new Error(`cannot read the ${this.kind} config ${file}: ${(err as Error).message}`, { cause: err });
    }
    this.config = { text, source: file };
    return this;
  }

  /** The front's config as text (e.g. rendered by the suite itself). */
  withConfigContent(text: string): this {
    if (typeof text !== 'string' || text.trim() === '') throw new Error(`the ${this.kind} config content is empty`);
    this.config = { text, source: '(given as content)' };
    return this;
  }

  /**
   * The app the front proxies to: its started container (the front joins its network and checks
   * that the config names one of its network aliases) or the alias itself, and the port it
   * listens on inside its container.
   */
  withUpstream(upstream: StartedTestContainer | string, port: number): this {
    checkPort(port, 'the upstream port');
    if (typeof upstream === 'string') {
      if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(upstream)) throw new Error(`the upstream alias ${JSON.stringify(upstream)} is not a host name`);
      this.upstream = { alias: upstream, port };
    } else {
      this.upstream = { container: upstream, port };
    }
    return this;
  }

  /** The network the front joins (default: the upstream container's own, when it is on exactly one). */
  withNetwork(network: NetworkRef): this {
    this.network = typeof network === 'string' ? network : network.getName();
    return this;
  }

  /** The idle timeout the config sets, in ms: what idleCut() expects of `front.target(path)`. For the http-front, it sets it. */
  withIdleTimeout(ms: number): this {
    this.idleTimeoutMs = checkMs(ms, 'the idle timeout');
    return this;
  }

  /** The port the front listens on in its container (default: the one its config's listen line names). */
  withExposedPort(port: number): this {
    this.exposedPort = checkPort(port, 'the exposed port');
    return this;
  }

  /** The image to run (default: the bench's for the kind, WS_PROXY_BENCH_IMAGE_<KIND>, else the pinned official one). */
  withImage(image: string): this {
    if (typeof image !== 'string' || image.trim() === '') throw new Error('the image name is empty');
    this.image = image.trim();
    return this;
  }

  /** The front's alias on the network (default `front`). */
  withNetworkAlias(alias: string): this {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(alias)) throw new Error(`the network alias ${JSON.stringify(alias)} is not a host name`);
    this.alias = alias;
    return this;
  }

  /** Starts the front; resolves once it listens. */
  async start(): Promise<StartedWebSocketFront> {
    const { network, names } = await this.resolveUpstream();
    const settings: FrontSettings = {
      kind: this.kind,
      ...(this.config ? { config: this.config } : {}),
      ...(this.upstream && names ? { upstream: { names, port: this.upstream.port } } : {}),
      ...(this.idleTimeoutMs !== undefined ? { idleTimeoutMs: this.idleTimeoutMs } : {}),
      ...(this.exposedPort !== undefined ? { exposedPort: this.exposedPort } : {}),
    };
    const plan = planFront(settings);
    const handle = await startFront({
      network: { name: network, stop: async () => {} }, // the user's network: theirs to stop
      kind: plan.kind,
      alias: this.alias,
      port: plan.port,
      ...(plan.config !== undefined ? { config: { content: plan.config } } : {}),
      ...(plan.command ? { command: plan.command } : {}),
      ...(this.image ? { image: this.image } : {}),
    });
    return new StartedWebSocketFront(handle, this.idleTimeoutMs);
  }

  /** The network to join and the names the upstream answers to on it. */
  private async resolveUpstream(): Promise<{ network: string; names?: string[] }> {
    const up = this.upstream;
    if (!up || 'alias' in up) {
      if (!this.network) throw new Error(`the ${this.kind} front needs a network to share with the app: .withNetwork(network), or .withUpstream(startedContainer, port)`);
      return { network: this.network, ...(up ? { names: [up.alias] } : {}) };
    }
    const own = up.container.getNetworkNames().filter((n) => !DOCKER_NETWORKS.has(n));
    const network = this.network ?? (own.length === 1 ? own[0] : undefined);
    if (!network) {
      throw new Error(own.length === 0
        ? 'the upstream container is on no network of its own: start it with .withNetwork(network).withNetworkAliases(alias)'
        : `the upstream container is on ${own.length} networks (${own.join(', ')}): say which one the front joins, .withNetwork(network)`);
    }
    if (!own.includes(network)) throw new Error(`the upstream container is not on network ${network} (it is on ${own.join(', ') || 'none of its own'})`);
    const info = await (await runtimeClient()).container.getById(up.container.getId()).inspect();
    const endpoint = info.NetworkSettings.Networks[network] as { Aliases?: string[] | null; DNSNames?: string[] | null } | undefined;
    const names = [...new Set([...(endpoint?.Aliases ?? []), ...(endpoint?.DNSNames ?? []), info.Name.replace(/^\//, '')])];
    return { network, names };
  }
}

/** A started front: where clients dial it, its output, reload, version, stop. */
export class StartedWebSocketFront implements AsyncDisposable {
  constructor(private readonly handle: FrontHandle, private readonly idleTimeoutMs: number | undefined) {}

  /** Read each time: a restarted container may be published on another port. */
  private get base(): URL {
    return new URL(this.handle.httpUrl);
  }

  get kind(): FrontKind {
    return this.handle.kind;
  }

  /** The host clients dial (the engine's host: 127.0.0.1 for a local engine). */
  getHost(): string {
    return this.base.hostname.replace(/^\[(.*)\]$/, '$1');
  }

  /** The published port on that host. */
  getMappedPort(): number {
    return Number(this.base.port);
  }

  /** The front's HTTP URL for a path (default `/`). */
  getHttpUrl(path = '/'): string {
    return `${this.base.origin}${path.startsWith('/') ? path : `/${path}`}`;
  }

  /** The WebSocket URL through the front for a path, e.g. ws://127.0.0.1:32771/chat. */
  getWsUrl(path = '/'): string {
    return this.handle.wsUrl(path.startsWith('/') ? path : `/${path}`);
  }

  /** The idle timeout given by .withIdleTimeout(), if any. */
  getIdleTimeout(): number | undefined {
    return this.idleTimeoutMs;
  }

  /** The WebSocket URL with what the checks should expect of it (the idle timeout). */
  target(path = '/'): WebSocketTarget {
    return { url: this.getWsUrl(path), ...(this.idleTimeoutMs !== undefined ? { idleTimeoutMs: this.idleTimeoutMs } : {}) };
  }

  /** Everything the front wrote to stdout and stderr so far (the last 1 MB). */
  async logs(): Promise<string> {
    return this.handle.logs();
  }

  /** Makes the front reload its config with its kind's own command (nginx -s reload, …). */
  async reload(): Promise<void> {
    if (!this.handle.reload) throw new Error(`a ${this.kind} front has no reload command`);
    await this.handle.reload();
  }

  /** Restarts the front's container; resolves when it runs again. */
  async restart(): Promise<void> {
    await this.handle.restart();
  }

  /** The front's version, read from its running binary (`nginx -v`, …). */
  async version(): Promise<string> {
    return this.handle.version();
  }

  /** Stops and removes the front's container (a second call does nothing). */
  async stop(): Promise<void> {
    await this.handle.stop();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
