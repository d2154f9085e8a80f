/**
 * The topology of a scenario on this host, without Docker: the echo app in this process on an
 * ephemeral 127.0.0.1 port, the front setup's companions and the front on free ports (see
 * fronts.ts), their configs rendered from the same templates with local values.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveEchoOptions } from '../echo/options.js';
import { startEchoServer } from '../echo/server.js';
import { freePort } from '../free-port.js';
import { frontSetup } from '../fronts/index.js';
import { upstreamVars, WS_HANDLER_ALIAS, type FrontVars } from '../fronts/vars.js';
import type { Scenario } from '../scenarios/types.js';
import type { EchoAppHandle } from '../topology/handles.js';
import { assembleTopology, type Topology, type TopologyOptions } from '../topology/topology.js';
import { TopologyUnavailable } from '../topology/unavailable.js';
import { APP_ALIAS, frontVars, WS_PATH } from '../topology/values.js';
import { findBinary, localUnavailability, startLocalFront, type BinaryFinder } from './fronts.js';

async function startLocalApp(scenario: Scenario): Promise<EchoAppHandle> {
  let lines = '';
  const options = resolveEchoOptions({ env: { ...scenario.app, ECHO_PATH: WS_PATH, ECHO_HOST: '127.0.0.1', ECHO_PORT: '0' } });
  const runtime = { logSink: (line: string) => { lines += `${line}\n`; } };
  let server = await startEchoServer(options, runtime);
  return {
    alias: APP_ALIAS,
    internalUrl: server.url,
    httpUrl: server.url,
    wsUrl: (path = WS_PATH) => `ws://127.0.0.1:${server.port}${path.startsWith('/') ? path : `/${path}`}`,
    stats: async (read) => server.stats(read),
    json: async <T>(path: string): Promise<T> => {
      const res = await fetch(`${server.url}${path}`, { signal: AbortSignal.timeout(5_000) });
      if (!res.ok) throw new Error(`GET ${path} answered ${res.status}`);
      return (await res.json()) as T;
    },
    logs: async () => lines,
    stop: () => server.close(),
    restart: async () => {
      await server.close();
      server = await startEchoServer({ ...options, port: server.port }, runtime);
    },
    nodeVersion: async () => process.versions.node,
  };
}

/**
 * Families local mode does not run: fault scenarios time a restart or a pause of a container
 * (an in-process app restarts in no time, an in-process front cannot pause), so here they
 * would measure something else. They are skipped with this reason.
 */
const CONTAINER_ONLY_FAMILIES: ReadonlyMap<string, string> = new Map([
  ['faults', 'fault scenarios time container restarts and pauses, which local mode cannot reproduce; run them with Docker'],
]);

export interface LocalTopologyOptions extends TopologyOptions {
  findBinary?: BinaryFinder;
}

export async function startLocalTopology(scenario: Scenario, options: LocalTopologyOptions = {}): Promise<Topology> {
  const lookup = options.setup ?? frontSetup;
  const find = options.findBinary ?? findBinary;
  const containerOnly = CONTAINER_ONLY_FAMILIES.get(scenario.family);
  if (containerOnly) throw new TopologyUnavailable(containerOnly);
  if ((scenario.replicas ?? 1) > 1 || (scenario.appKind ?? 'echo') !== 'echo') {
    throw new TopologyUnavailable('local mode runs one echo app in this process; replicas and the socket.io app need Docker');
  }
  if (scenario.deployment) throw new TopologyUnavailable('your config or your app runs in containers, as your deployment does: it needs Docker (`ws-proxy-bench engine ensure`)');
  if (options.images) throw new TopologyUnavailable("local mode runs this host's binaries, not image sets; run with Docker to choose versions");
  const setup = lookup(scenario.front);
  const companions = Object.entries(setup.companions ?? {}).map(([alias, name]) => ({ alias, setup: lookup(name) }));
  for (const s of [setup, ...companions.map((c) => c.setup)]) {
    const why = localUnavailability(s, find);
    if (why) throw new TopologyUnavailable(why);
  }
  const dir = mkdtempSync(join(tmpdir(), 'wspb-local-'));
  return assembleTopology(scenario, async (keep) => {
    const app = keep(await startLocalApp(scenario));
    const appUrl = new URL(app.internalUrl);
    const upstream = upstreamVars(appUrl.hostname, Number(appUrl.port));
    // One app here: both replicas are it.
    const vars: FrontVars = { ...frontVars(scenario), ...upstream, REPLICA_1: upstream.UPSTREAM, REPLICA_2: upstream.UPSTREAM };
    for (const companion of companions) {
      const port = await freePort();
      keep(await startLocalFront(companion.setup, companion.alias, { ...vars, LISTEN_PORT: port }, dir, find));
      if (companion.alias === WS_HANDLER_ALIAS) vars.WS_HANDLER = `127.0.0.1:${port}`;
    }
    const front = keep(await startLocalFront(setup, 'front', { ...vars, LISTEN_PORT: await freePort() }, dir, find));
    return { app, front };
  }, () => rmSync(dir, { recursive: true, force: true }));
}
