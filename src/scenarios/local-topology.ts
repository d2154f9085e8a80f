/**
 * The topology of a scenario on this host, without Docker: the echo app in this process on an
 * ephemeral 127.0.0.1 port, the front setup's companions and the front on free ports (see
 * local-fronts.ts), their configs rendered from the same templates with local values.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EchoAppHandle, FrontHandle } from '../containers/harness.js';
import { resolveEchoOptions } from '../echo/options.js';
import { startEchoServer } from '../echo/server.js';
import { APP_ALIAS, frontSetup, frontVars, WS_HANDLER_ALIAS, WS_PATH, type FrontVars } from './fronts.js';
import { findBinary, localUnavailability, startLocalFront, type BinaryFinder } from './local-fronts.js';
import { checkContext, type Topology, type TopologyOptions } from './topology.js';
import type { Scenario } from './types.js';
import { TopologyUnavailable } from './unavailable.js';

/** A free port on 127.0.0.1 (the kernel's pick; released for the front to take). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

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
    stats: async () => server.stats(),
    logs: async () => lines,
    stop: () => server.close(),
    restart: async () => {
      await server.close();
      server = await startEchoServer({ ...options, port: server.port }, runtime);
    },
  };
}

export interface LocalTopologyOptions extends TopologyOptions {
  findBinary?: BinaryFinder;
}

export async function startLocalTopology(scenario: Scenario, options: LocalTopologyOptions = {}): Promise<Topology> {
  const lookup = options.setup ?? frontSetup;
  const find = options.findBinary ?? findBinary;
  const setup = lookup(scenario.front);
  const companions = Object.entries(setup.companions ?? {}).map(([alias, name]) => ({ alias, setup: lookup(name) }));
  for (const s of [setup, ...companions.map((c) => c.setup)]) {
    const why = localUnavailability(s, find);
    if (why) throw new TopologyUnavailable(why);
  }
  const dir = mkdtempSync(join(tmpdir(), 'wspb-local-'));
  const started: { stop(): Promise<void> }[] = [];
  const stop = async (): Promise<void> => {
    const errors: unknown[] = [];
    for (const part of started.reverse()) await part.stop().catch((e: unknown) => errors.push(e));
    rmSync(dir, { recursive: true, force: true });
    if (errors.length > 0) throw new AggregateError(errors, `stopping ${scenario.id} failed`);
  };
  try {
    const app = await startLocalApp(scenario);
    started.push(app);
    const vars: FrontVars = { ...frontVars(scenario), UPSTREAM: new URL(app.internalUrl).host };
    for (const companion of companions) {
      const port = await freePort();
      started.push(await startLocalFront(companion.setup, companion.alias, { ...vars, LISTEN_PORT: port }, dir, find));
      if (companion.alias === WS_HANDLER_ALIAS) vars.WS_HANDLER = `127.0.0.1:${port}`;
    }
    const front: FrontHandle = await startLocalFront(setup, 'front', { ...vars, LISTEN_PORT: await freePort() }, dir, find);
    started.push(front);
    return {
      app,
      front,
      context: (progress) => checkContext(scenario, app, front, progress),
      stop,
    };
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  }
}
