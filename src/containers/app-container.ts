/** The echo app (or another bundle that serves the same way) in the node image, as a handle. */
import type { EchoStats } from '../echo/stats.js';
import { APP_KINDS, type AppKind } from '../topology/apps.js';
import type { EchoAppHandle } from '../topology/handles.js';
import { NODE_VERSION } from '../fronts/app-image.js';
import { versionFromOutput } from '../fronts/types.js';
import { bundle, CONTAINER_PORT, execOrThrow, NODE_USER, startContainer, STOP_TIMEOUT_MS } from './container.js';
import { imageFor } from './images.js';
import { httpReady } from './ready.js';
import { runtimeClient, type BenchNetwork } from './runtime.js';

/** GET a JSON document from a container's published port (5 s at most); a status other than 2xx is an error naming it. */
export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}`);
  return (await res.json()) as T;
}

/** Where the app says it is ready: 200 once it listens (503 while it shuts down). */
const HEALTH_PATH = '/healthz';

export async function startEchoApp(opts: {
  network: BenchNetwork;
  alias?: string;
  env?: Record<string, string>;
  /** The kind of app (default: the echo app); its bundle, and the environment that makes it listen. */
  kind?: AppKind;
  /** Another bundle in dist/ that serves the same way (ECHO_HOST/ECHO_PORT, GET /healthz), e.g. the bench's bare-echo.mjs. */
  bundle?: string;
  nofile?: number;
  sysctls?: Readonly<Record<string, string>>;
  /** The node image to run (default: the configured one, WS_PROXY_BENCH_IMAGE_NODE). */
  image?: string;
  /** The port it listens on (default CONTAINER_PORT; `run --upstream` gives the one the user's config proxies to). */
  port?: number;
}): Promise<EchoAppHandle> {
  const alias = opts.alias ?? 'echo';
  const port = opts.port ?? CONTAINER_PORT;
  const kind = APP_KINDS[opts.kind ?? 'echo'];
  const name = opts.bundle ?? kind.bundle;
  const started = await startContainer({
    what: name === APP_KINDS.echo.bundle ? 'the echo app' : `the ${kind.kind} app (${name})`,
    image: opts.image ?? imageFor('node'),
    network: opts.network,
    alias,
    // --expose-gc: /stats?gc=1 collects with it (src/echo/collect-garbage.ts).
    command: ['node', '--expose-gc', `/app/${name}`],
    env: { ...kind.listenEnv(port, alias), ...opts.env },
    files: bundle(name),
    user: NODE_USER,
    wait: httpReady(port, HEALTH_PATH, (status) => status === 200, '200'),
    port,
    ...(opts.nofile !== undefined ? { nofile: opts.nofile } : {}),
    ...(opts.sysctls ? { sysctls: opts.sysctls } : {}),
  });
  const docker = (await runtimeClient()).container.getById(started.container.getId());
  return {
    alias,
    networkIp: started.networkIp,
    internalUrl: `http://${alias}:${port}`,
    get httpUrl() { return started.url('http', '/').replace(/\/$/, ''); },
    wsUrl: (path = '/ws') => started.url('ws', path),
    stats: (read) => getJson<EchoStats>(started.url('http', read?.collectGarbage ? '/stats?gc=1' : '/stats')),
    json: (path) => getJson(started.url('http', path)),
    logs: async () => started.logs.all(),
    stop: started.stop,
    restart: async () => { await started.container.restart({ timeout: STOP_TIMEOUT_MS }); },
    terminate: async () => { await docker.stop({ t: STOP_TIMEOUT_MS / 1000 }); },
    // restart() on a stopped container starts it, reads its (new) published port, and waits for
    // /healthz as the first start did (the container's wait strategy).
    start: async () => { await started.container.restart({ timeout: STOP_TIMEOUT_MS }); },
    nodeVersion: async () => versionFromOutput(NODE_VERSION, 'the app', await execOrThrow(started.container, NODE_VERSION.command, "reading the app's Node.js version")),
  };
}

