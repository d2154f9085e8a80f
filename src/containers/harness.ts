/**
 * Starting the bench's containers for tests and scenarios: a labelled network, the echo app in
 * the node image, and fronts (nginx, the http-proxy front, HAProxy, httpd, Caddy) each with its
 * config copied where its image reads it. Ports are published on 127.0.0.1 only; every container
 * and network carries the run's labels (src/containers/labels.ts) so cleanup finds it.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Readable } from 'node:stream';
import {
  GenericContainer,
  getContainerRuntimeClient,
  getReaper,
  LABEL_TESTCONTAINERS_SESSION_ID,
  Wait,
  type StartedTestContainer,
  type WaitStrategy,
} from 'testcontainers';
import type { EchoStats } from '../echo/stats.js';
import { projectPath } from '../paths.js';
import { lastLines } from './exec.js';
import { imageFor, ROLE_SPECS, type ImageRole } from './images.js';
import { ALIAS_LABEL, currentRunId, runLabels } from './labels.js';

export type FrontKind = 'nginx' | 'http-front' | 'haproxy' | 'httpd' | 'caddy';

/** The port every front and the app listen on inside their containers. */
export const CONTAINER_PORT = 8080;
const STARTUP_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 2_000;
/** The app and the Node front run as this user (the official node image's `node`), never root. */
export const NODE_USER = '1000:1000';

/** Which image role runs each kind of front. */
export const FRONT_ROLE: Readonly<Record<FrontKind, ImageRole>> = {
  nginx: 'nginx',
  'http-front': 'node',
  haproxy: 'haproxy',
  httpd: 'httpd',
  caddy: 'caddy',
};

export interface BenchNetwork {
  name: string;
  stop(): Promise<void>;
}

export interface EchoAppHandle {
  alias: string;
  /** The container's address on the bench network: reachable from the host without docker-proxy (absent for local processes). */
  networkIp?: string;
  /** How other containers on the network reach the app: http://<alias>:8080. */
  internalUrl: string;
  httpUrl: string;
  wsUrl(path?: string): string;
  stats(): Promise<EchoStats>;
  logs(): Promise<string>;
  stop(): Promise<void>;
  /** Stops the app (SIGTERM) and starts it again; resolves when it answers /healthz. The published port may change; the alias does not. */
  restart(): Promise<void>;
}

export interface FrontHandle {
  kind: FrontKind;
  alias: string;
  /** The container's address on the bench network: reachable from the host without docker-proxy (absent for local processes). */
  networkIp?: string;
  httpUrl: string;
  wsUrl(path?: string): string;
  /** The CA (PEM) to trust when the front terminates TLS (its URLs are then https/wss). */
  ca?: string;
  logs(): Promise<string>;
  stop(): Promise<void>;
  restart(): Promise<void>;
  /** Makes the running front reload its config (its kind's reload command; absent where it has none). */
  reload?(): Promise<void>;
  pause(): Promise<void>;
  unpause(): Promise<void>;
}

/** A GenericContainer whose published port is bound to 127.0.0.1 only (a random free port). */
class LoopbackContainer extends GenericContainer {
  withLoopbackPort(port: number): this {
    this.withExposedPorts(port);
    this.hostConfig.PortBindings = {
      ...this.hostConfig.PortBindings,
      [`${port}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: '' }],
    };
    return this;
  }
}

/** Keeps a container's output (the last 1 MB), readable even after the container is gone. */
class LogCapture {
  private text = '';
  consume = (stream: Readable): void => {
    stream.on('data', (chunk: Buffer | string) => {
      this.text += chunk.toString();
      if (this.text.length > 1_000_000) this.text = this.text.slice(-1_000_000);
    });
  };
  all(): string {
    return this.text;
  }
}

/**
 * Ports are published on 127.0.0.1 only, so testcontainers must reach them there too: its
 * default host, "localhost", may resolve to ::1 first, where nothing listens. For a local engine
 * (a unix socket), point it at 127.0.0.1 unless the user chose a host. Must run before
 * testcontainers' client is first created.
 */
function useLoopbackHost(env: NodeJS.ProcessEnv = process.env): void {
  const dockerHost = env.DOCKER_HOST?.trim() ?? '';
  if (env.TESTCONTAINERS_HOST_OVERRIDE === undefined && (dockerHost === '' || dockerHost.startsWith('unix://'))) {
    env.TESTCONTAINERS_HOST_OVERRIDE = '127.0.0.1';
  }
}

async function runtimeClient(): ReturnType<typeof getContainerRuntimeClient> {
  useLoopbackHost();
  return getContainerRuntimeClient();
}

/** Runs a command in a container; throws with its output unless it exits 0. */
async function execOrThrow(container: StartedTestContainer, command: string[], what: string): Promise<void> {
  const result = await container.exec(command);
  if (result.exitCode !== 0) {
    throw new Error(`${what} (${command.join(' ')}) failed with exit ${result.exitCode}: ${lastLines(result.output, 10)}`);
  }
}

function shortId(): string {
  return randomBytes(3).toString('hex');
}

export async function createNetwork(): Promise<BenchNetwork> {
  const client = await runtimeClient();
  const reaper = await getReaper(client);
  const runId = currentRunId();
  const name = `wspb-${runId}-${shortId()}`;
  const network = await client.network.create({
    Name: name,
    CheckDuplicate: true,
    Driver: 'bridge',
    Labels: { ...runLabels(runId), [LABEL_TESTCONTAINERS_SESSION_ID]: reaper.sessionId },
  });
  let stopped = false;
  return {
    name,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await client.network.remove(network);
    },
  };
}

function bundle(name: string): { source: string; target: string }[] {
  const source = projectPath(`dist/${name}`);
  if (!existsSync(source)) {
    throw new Error(`${source} is missing: run \`npm run build\` (the containers run the built bundles, no npm install inside)`);
  }
  const map = `${source}.map`;
  return [{ source, target: `/app/${name}` }, ...(existsSync(map) ? [{ source: map, target: `/app/${name}.map` }] : [])];
}

interface StartSpec {
  what: string;
  image: string;
  network: BenchNetwork;
  alias: string;
  command: string[];
  env?: Record<string, string>;
  files?: { source: string; target: string }[];
  contents?: { content: string; target: string }[];
  /** uid:gid to run as (default: the image's user). */
  user?: string;
  wait: WaitStrategy;
  /** The container's open-files limit (soft and hard), for runs that hold many connections. */
  nofile?: number;
}

interface Started {
  container: StartedTestContainer;
  networkIp: string;
  logs: LogCapture;
  url(scheme: 'http' | 'ws' | 'https' | 'wss', path?: string): string;
  stop(): Promise<void>;
}

async function startContainer(spec: StartSpec): Promise<Started> {
  await runtimeClient();
  const logs = new LogCapture();
  const container = new LoopbackContainer(spec.image)
    .withNetworkMode(spec.network.name)
    .withNetworkAliases(spec.alias)
    .withLabels({ ...runLabels(currentRunId()), [ALIAS_LABEL]: spec.alias })
    .withCommand(spec.command)
    .withEnvironment(spec.env ?? {})
    .withLoopbackPort(CONTAINER_PORT)
    .withLogConsumer(logs.consume)
    .withWaitStrategy(spec.wait)
    .withStartupTimeout(STARTUP_TIMEOUT_MS);
  if (spec.files?.length) container.withCopyFilesToContainer(spec.files);
  if (spec.contents?.length) container.withCopyContentToContainer(spec.contents);
  if (spec.user) container.withUser(spec.user);
  if (spec.nofile !== undefined) container.withUlimits({ nofile: { soft: spec.nofile, hard: spec.nofile } });
  let started: StartedTestContainer;
  try {
    started = await container.start();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await new Promise((r) => setTimeout(r, 200)); // let the last log lines arrive
    const tail = lastLines(logs.all(), 20);
    throw new Error(
      `${spec.what} (alias '${spec.alias}', image ${spec.image}, command ${JSON.stringify(spec.command)}) did not start: ${message}` +
        (tail ? `\nits last log lines:\n${tail}` : '\n(it wrote no log lines)'),
      { cause: err },
    );
  }
  let stopped = false;
  return {
    container: started,
    networkIp: started.getIpAddress(spec.network.name),
    logs,
    url: (scheme, path = '/') => `${scheme}://127.0.0.1:${started.getMappedPort(CONTAINER_PORT)}${path.startsWith('/') ? path : `/${path}`}`,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await started.stop({ timeout: STOP_TIMEOUT_MS, remove: true, removeVolumes: true });
    },
  };
}

export async function startEchoApp(opts: {
  network: BenchNetwork;
  alias?: string;
  env?: Record<string, string>;
  /** Another bundle in dist/ that serves the same way (ECHO_HOST/ECHO_PORT, GET /healthz), e.g. the bench's bare-echo.mjs. */
  bundle?: string;
  nofile?: number;
}): Promise<EchoAppHandle> {
  const alias = opts.alias ?? 'echo';
  const name = opts.bundle ?? 'echo-server.mjs';
  const started = await startContainer({
    what: name === 'echo-server.mjs' ? 'the echo app' : `the echo app (${name})`,
    image: imageFor('node'),
    network: opts.network,
    alias,
    command: ['node', `/app/${name}`],
    env: { ECHO_HOST: '0.0.0.0', ECHO_PORT: String(CONTAINER_PORT), ...opts.env },
    files: bundle(name),
    user: NODE_USER,
    wait: Wait.forHttp('/healthz', CONTAINER_PORT).forStatusCode(200),
    ...(opts.nofile !== undefined ? { nofile: opts.nofile } : {}),
  });
  return {
    alias,
    networkIp: started.networkIp,
    internalUrl: `http://${alias}:${CONTAINER_PORT}`,
    get httpUrl() { return started.url('http', '/').replace(/\/$/, ''); },
    wsUrl: (path = '/ws') => started.url('ws', path),
    stats: async () => {
      const url = `${started.url('http', '/stats')}`;
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (!res.ok) throw new Error(`GET ${url} answered ${res.status}`);
      return (await res.json()) as EchoStats;
    },
    logs: async () => started.logs.all(),
    stop: started.stop,
    restart: async () => { await started.container.restart({ timeout: STOP_TIMEOUT_MS }); },
  };
}

export async function startFront(opts: {
  network: BenchNetwork;
  kind: FrontKind;
  alias?: string;
  config?: { content: string };
  command?: string[];
  env?: Record<string, string>;
  files?: { content: string; target: string }[];
  nofile?: number;
  /** The front terminates TLS with a certificate this CA (PEM) issued: its URLs are https/wss. */
  tls?: { ca: string };
}): Promise<FrontHandle> {
  const alias = opts.alias ?? 'front';
  const role = FRONT_ROLE[opts.kind];
  const spec = ROLE_SPECS[role];
  const contents = [...(opts.files ?? [])];
  if (opts.config) {
    if (!spec.configPath) throw new Error(`a ${opts.kind} front takes no config file; give its flags as command`);
    contents.push({ content: opts.config.content, target: spec.configPath });
  } else if (spec.configPath && !opts.files?.some((f) => f.target === spec.configPath)) {
    throw new Error(`a ${opts.kind} front needs its config (config: { content }), copied to ${spec.configPath}`);
  }
  const command = opts.command ?? spec.command;
  if (!command) throw new Error(`a ${opts.kind} front needs a command (e.g. node /app/http-front.mjs --target http://echo:8080 …)`);
  const started = await startContainer({
    what: `the ${opts.kind} front`,
    image: imageFor(role),
    network: opts.network,
    alias,
    command,
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.kind === 'http-front' ? { files: bundle('http-front.mjs'), user: NODE_USER } : {}),
    contents,
    wait: Wait.forListeningPorts(),
    ...(opts.nofile !== undefined ? { nofile: opts.nofile } : {}),
  });
  const client = await runtimeClient();
  const docker = client.container.getById(started.container.getId());
  return {
    kind: opts.kind,
    alias,
    networkIp: started.networkIp,
    get httpUrl() { return started.url(opts.tls ? 'https' : 'http', '/').replace(/\/$/, ''); },
    wsUrl: (path = '/ws') => started.url(opts.tls ? 'wss' : 'ws', path),
    ...(opts.tls ? { ca: opts.tls.ca } : {}),
    logs: async () => started.logs.all(),
    stop: started.stop,
    restart: async () => { await started.container.restart({ timeout: STOP_TIMEOUT_MS }); },
    ...(spec.reloadCommand ? { reload: () => execOrThrow(started.container, spec.reloadCommand as string[], `reloading the ${opts.kind} front`) } : {}),
    pause: async () => { await docker.pause(); },
    unpause: async () => { await docker.unpause(); },
  };
}
