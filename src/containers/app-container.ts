/** The echo app (or another bundle that serves the same way) in the node image, as a handle. */
import { Wait } from 'testcontainers';
import type { EchoStats } from '../echo/stats.js';
import type { EchoAppHandle } from '../topology/handles.js';
import { NODE_VERSION } from '../fronts/app-image.js';
import { versionFromOutput } from '../fronts/types.js';
import { bundle, CONTAINER_PORT, execOrThrow, NODE_USER, startContainer, STOP_TIMEOUT_MS } from './container.js';
import { imageFor } from './images.js';
import type { BenchNetwork } from './runtime.js';

export async function startEchoApp(opts: {
  network: BenchNetwork;
  alias?: string;
  env?: Record<string, string>;
  /** Another bundle in dist/ that serves the same way (ECHO_HOST/ECHO_PORT, GET /healthz), e.g. the bench's bare-echo.mjs. */
  bundle?: string;
  nofile?: number;
  /** The node image to run (default: the configured one, WS_PROXY_BENCH_IMAGE_NODE). */
  image?: string;
}): Promise<EchoAppHandle> {
  const alias = opts.alias ?? 'echo';
  const name = opts.bundle ?? 'echo-server.mjs';
  const started = await startContainer({
    what: name === 'echo-server.mjs' ? 'the echo app' : `the echo app (${name})`,
    image: opts.image ?? imageFor('node'),
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
    nodeVersion: async () => versionFromOutput(NODE_VERSION, 'the app', await execOrThrow(started.container, NODE_VERSION.command, "reading the app's Node.js version")),
  };
}

