/**
 * Starting one container of a run: on the run's network under an alias, labelled with the run's
 * id, its port published on the engine's host (127.0.0.1 for a local engine, see publish.ts),
 * its output kept, its files copied in; and running a command inside it.
 */
import { existsSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { GenericContainer, type StartedTestContainer, type WaitStrategy } from 'testcontainers';
import { projectPath } from '../paths.js';
import { lastLines } from '../exec.js';
import { GONE_OR_GOING } from './cleanup.js';
import { ALIAS_LABEL, currentRunId, runLabels } from './labels.js';
import { publishAddress } from './publish.js';
import { runtimeClient, type BenchNetwork } from './runtime.js';

/** The port every front and the app listen on inside their containers. */
export const CONTAINER_PORT = 8080;
const STARTUP_TIMEOUT_MS = 60_000;
export const STOP_TIMEOUT_MS = 2_000;
/** The app and the Node front run as this user (the official node image's `node`), never root. */
export const NODE_USER = '1000:1000';

/** A host as it stands in a URL (an IPv6 address in brackets). */
function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** A GenericContainer whose port is published on one address of the engine's host (publish.ts), on a random free port. */
class PublishedContainer extends GenericContainer {
  /** Its id once created: a container that exits before its ports are bound still has logs to read. */
  createdId: string | undefined;

  protected override async containerCreated(containerId: string): Promise<void> {
    this.createdId = containerId;
  }

  withSysctls(sysctls: Readonly<Record<string, string>>): this {
    this.hostConfig.Sysctls = { ...this.hostConfig.Sysctls, ...sysctls };
    return this;
  }

  withPublishedPort(port: number): this {
    this.withExposedPorts(port);
    this.hostConfig.PortBindings = {
      ...this.hostConfig.PortBindings,
      [`${port}/tcp`]: [{ HostIp: publishAddress(), HostPort: '' }],
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

/** Runs a command in a container and returns its output (stdout and stderr); throws with it unless it exits 0. */
export async function execOrThrow(container: StartedTestContainer, command: readonly string[], what: string): Promise<string> {
  const result = await container.exec([...command]);
  if (result.exitCode !== 0) {
    throw new Error(`${what} (${command.join(' ')}) failed with exit ${result.exitCode}: ${lastLines(result.output, 10)}`);
  }
  return result.output;
}

/** A bundle from dist/ (and its source map) to copy under /app. */
export function bundle(name: string): { source: string; target: string }[] {
  const source = projectPath(`dist/${name}`);
  if (!existsSync(source)) {
    throw new Error(`${source} is missing: run \`npm run build\` (the containers run the built bundles, no npm install inside)`);
  }
  const map = `${source}.map`;
  return [{ source, target: `/app/${name}` }, ...(existsSync(map) ? [{ source: map, target: `/app/${name}.map` }] : [])];
}

export interface StartSpec {
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
  /** Kernel settings of the container's own network namespace (e.g. net.ipv4.ip_local_port_range), for runs that open many connections. */
  sysctls?: Readonly<Record<string, string>>;
  /** The port it listens on inside the container, the one published (default CONTAINER_PORT). */
  port?: number;
}

export interface Started {
  container: StartedTestContainer;
  networkIp: string;
  logs: LogCapture;
  url(scheme: 'http' | 'ws' | 'https' | 'wss', path?: string): string;
  stop(): Promise<void>;
}

/** A container's state as the engine reports it (the part a start looks at). */
export interface ContainerState { Running: boolean; Status?: string; ExitCode: number }

/** The error for a container that stopped running before it was ready, or undefined while it runs (or is still being created). */
export function exitedBeforeReady(state: ContainerState): Error | undefined {
  return !state.Running && state.Status !== 'created' ? new Error(`it exited (code ${state.ExitCode}) before it was ready`) : undefined;
}

/**
 * Watches a starting container: `exited` rejects as soon as it has stopped running (a config
 * refused at start), instead of testcontainers waiting out its port checks (10 s for the ports
 * to be bound, then up to the start timeout for them to listen). The start it races is then
 * abandoned and its own failure swallowed; the container is removed once its output is read.
 */
function exitWatch(container: PublishedContainer): { exited: Promise<never>; stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const exited = new Promise<never>((_, reject) => {
    const look = async (): Promise<void> => {
      if (stopped) return;
      const id = container.createdId;
      if (id) {
        const client = await runtimeClient();
        const state = await client.container.inspect(client.container.getById(id)).then((i) => i.State, () => undefined);
        const exited = state && exitedBeforeReady(state);
        if (!stopped && exited) {
          reject(exited);
          return;
        }
      }
      if (!stopped) timer = setTimeout(() => { void look(); }, 250);
    };
    timer = setTimeout(() => { void look(); }, 250);
  });
  exited.catch(() => {});
  return { exited, stop: () => { stopped = true; if (timer) clearTimeout(timer); } };
}

/** What a container that is no longer running wrote (stdout and stderr, as far as read within 3 s); '' when it cannot be read. */
async function exitedLogs(id: string): Promise<string> {
  const client = await runtimeClient();
  let text = '';
  try {
    const stream = await client.container.logs(client.container.getById(id));
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => { stream.destroy(); resolve(); }, 3_000);
      stream.on('data', (chunk: Buffer | string) => { text += chunk.toString(); });
      stream.on('end', () => { clearTimeout(timer); resolve(); });
      stream.on('error', () => { clearTimeout(timer); resolve(); });
    });
  } catch {
    // unreadable: the error says it wrote nothing
  }
  return text;
}

/**
 * Removes a container whose start failed (it exited, or never got ready) once its output is
 * read, so that a refused config leaves nothing for the run's end; says why when it could not.
 */
async function removeFailed(id: string): Promise<string | undefined> {
  const client = await runtimeClient();
  try {
    await client.container.getById(id).remove({ force: true, v: true });
    return undefined;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return GONE_OR_GOING.test(message) ? undefined : message;
  }
}

export async function startContainer(spec: StartSpec): Promise<Started> {
  await runtimeClient();
  const port = spec.port ?? CONTAINER_PORT;
  const logs = new LogCapture();
  const container = new PublishedContainer(spec.image)
    .withNetworkMode(spec.network.name)
    .withNetworkAliases(spec.alias)
    .withLabels({ ...runLabels(currentRunId()), [ALIAS_LABEL]: spec.alias })
    .withEnvironment(spec.env ?? {})
    .withPublishedPort(port)
    .withLogConsumer(logs.consume)
    .withWaitStrategy(spec.wait)
    .withStartupTimeout(STARTUP_TIMEOUT_MS);
  // No command: the image's own (a user's app image).
  if (spec.command.length > 0) container.withCommand(spec.command);
  if (spec.files?.length) container.withCopyFilesToContainer(spec.files);
  if (spec.contents?.length) container.withCopyContentToContainer(spec.contents);
  if (spec.user) container.withUser(spec.user);
  if (spec.nofile !== undefined) container.withUlimits({ nofile: { soft: spec.nofile, hard: spec.nofile } });
  if (spec.sysctls) container.withSysctls(spec.sysctls);
  let started: StartedTestContainer;
  const exit = exitWatch(container);
  try {
    const starting = container.start();
    starting.catch(() => {}); // abandoned when the container exits first; exit.exited then says so
    started = await Promise.race([starting, exit.exited]);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await new Promise((r) => setTimeout(r, 200)); // let the last log lines arrive
    // It exited before testcontainers followed its output (a config refused at start): read what it wrote.
    const written = logs.all() || (container.createdId ? await exitedLogs(container.createdId) : '');
    const tail = lastLines(written, 20);
    exit.stop();
    const notRemoved = container.createdId ? await removeFailed(container.createdId) : undefined;
    throw new Error(
      `${spec.what} (alias '${spec.alias}', image ${spec.image}, command ${JSON.stringify(spec.command)}) did not start: ${message}` +
        (tail ? `\nits last log lines:\n${tail}` : '\n(it wrote no log lines)') +
        (notRemoved ? `\n(removing it failed: ${notRemoved}; the run's cleanup removes it)` : ''),
      { cause: err },
    );
  }
  exit.stop();
  let stopped = false;
  return {
    container: started,
    networkIp: started.getIpAddress(spec.network.name),
    logs,
    // The engine's host as testcontainers reaches it: 127.0.0.1 for a local engine, DOCKER_HOST's host for a remote one.
    url: (scheme, path = '/') => `${scheme}://${hostForUrl(started.getHost())}:${started.getMappedPort(port)}${path.startsWith('/') ? path : `/${path}`}`,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      // Teardown, not a fault under test (restarts keep their graceful STOP_TIMEOUT_MS): the
      // container is killed and removed at once instead of waiting out a graceful stop (httpd's
      // took 1.8 s, the app's and the other fronts' about 0.8 s, once per container of a suite).
      // Gone already, or going (a Ctrl-C cleanup removing the run raced this stop): done either way.
      await started.stop({ timeout: 0, remove: true, removeVolumes: true }).catch((err: unknown) => {
        if (!GONE_OR_GOING.test(err instanceof Error ? err.message : String(err))) throw err;
      });
    },
  };
}

