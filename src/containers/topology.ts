/**
 * A scenario's topology in containers, on its own labelled network: the app, the front setup's
 * companions, then the front, its config rendered from the very template file the docs show.
 */
import { frontDescriptor, frontSetup, type FrontSetup } from '../fronts/index.js';
import { run } from '../exec.js';
import { startNeeding } from '../topology/refused.js';
import { imageFor } from './images.js';
import { throwawayRunArgs } from './docker.js';
import type { FrontVars } from '../fronts/vars.js';
import type { Scenario } from '../scenarios/types.js';
import { renderFrontConfig } from '../topology/front-config.js';
import type { EchoAppHandle, FrontHandle } from '../topology/handles.js';
import { assembleTopology, startInParts, type Topology, type TopologyOptions } from '../topology/topology.js';
import { APP_ALIAS, frontVars, replicaAliases, WS_PATH } from '../topology/values.js';
import { startEchoApp } from './app-container.js';
import { startFront } from './front-container.js';
import { createNetwork, runtimeClient, type BenchNetwork } from './runtime.js';
import { selfSignedCertificate, type TlsMaterial } from './tls.js';

/** Starts one front setup on a network, its config rendered from its template with `vars`. */
export async function startSetup(
  network: BenchNetwork, setup: FrontSetup, alias: string, vars: FrontVars, limits: { nofile?: number; sysctls?: Readonly<Record<string, string>>; image?: string; port?: number } = {},
): Promise<FrontHandle> {
  const config = renderFrontConfig(setup, vars);
  const command = frontDescriptor(setup.kind).setupCommand?.(setup, vars);
  // A TLS-terminating front gets a throwaway certificate, which its clients then trust.
  // It names the engine's host too, which the clients dial (a remote engine's, publish.ts).
  const tls: TlsMaterial | undefined = setup.tls ? await selfSignedCertificate('localhost', 1, [(await runtimeClient()).info.containerRuntime.host]) : undefined;
  return startFront({
    network,
    kind: setup.kind,
    alias,
    ...limits,
    ...(config !== undefined ? { config: { content: config } } : {}),
    ...(command ? { command } : {}),
    ...(setup.tls && tls
      ? {
          files: [{ content: tls.cert, target: setup.tls.certPath }, { content: tls.key, target: setup.tls.keyPath }],
          tls: { ca: tls.cert },
        }
      : {}),
  });
}

/** The front's version, read from its image in a throwaway container (labelled with the run). */
async function imageVersion(setup: FrontSetup, image: string | undefined): Promise<string | undefined> {
  const front = frontDescriptor(setup.kind);
  const [command, ...args] = front.version.command;
  const r = await run('docker', throwawayRunArgs(image ?? imageFor(front.image.role), command as string, args), { timeoutMs: 30_000 });
  return front.version.parse(r.stdout + r.stderr);
}

/** The image options pick for a setup's kind (run --versions), if any. */
export function imageOption(options: TopologyOptions, s: FrontSetup): { image?: string } {
  const chosen = options.images?.[frontDescriptor(s.kind).image.role];
  return chosen ? { image: chosen } : {};
}

/**
 * Starts the companions a front setup needs on its network (a front tier's WebSocket handler),
 * each under the alias the setup reaches it at, each kept (`keep`) as it comes up.
 */
export async function startCompanions(
  network: BenchNetwork, setup: FrontSetup, lookup: (name: string) => FrontSetup, vars: FrontVars, options: TopologyOptions,
  keep: (part: FrontHandle) => FrontHandle,
): Promise<void> {
  for (const [alias, name] of Object.entries(setup.companions ?? {})) {
    const companion = lookup(name);
    keep(await startSetup(network, companion, alias, vars, imageOption(options, companion)));
  }
}

/**
 * What fronts start on: a scenario's network and its app (its replicas), which scenarios with the
 * same app may share, one front after another (src/scenarios/shared-topology.ts).
 */
export interface AppBase {
  network: BenchNetwork;
  app: EchoAppHandle;
  apps: EchoAppHandle[];
  /** Stops the apps and removes the network. */
  stop(): Promise<void>;
}

/** Starts a scenario's network and app replicas (side by side); if one fails, what started is stopped. */
export async function startAppBase(scenario: Scenario, options: TopologyOptions = {}): Promise<AppBase> {
  const network = await createNetwork();
  const { started: apps, stop } = await startInParts(`the app of ${scenario.id}`, async (keep) => {
    const nodeImage = options.images?.node;
    const kind = scenario.appKind ?? 'echo';
    const env = kind === 'echo' ? { ...scenario.app, ECHO_PATH: WS_PATH } : scenario.app;
    const aliases = (scenario.replicas ?? 1) > 1 ? replicaAliases(scenario.replicas as number) : [APP_ALIAS];
    // The replicas start side by side, each kept as it comes up; all have settled before a failed
    // one fails the start, so the stop finds every one that did start.
    const starts = await Promise.allSettled(aliases.map(async (alias) => keep(await startEchoApp({ network, alias, kind, env, ...(nodeImage ? { image: nodeImage } : {}) }))));
    const failed = starts.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    return starts.map((s) => (s as PromiseFulfilledResult<EchoAppHandle>).value);
  }, () => network.stop());
  return { network, app: apps[0] as EchoAppHandle, apps, stop };
}

/**
 * Starts a scenario's front (and the companions its setup needs) on an app base; the topology's
 * stop stops what this started, then runs `after` (by default nothing: the base keeps running).
 */
export async function startFrontOn(base: AppBase, scenario: Scenario, options: TopologyOptions = {}, after: () => Promise<void> | void = () => {}): Promise<Topology> {
  const lookup = options.setup ?? frontSetup;
  const setup = lookup(scenario.front);
  const { network, app, apps } = base;
  return assembleTopology(scenario, async (keep) => {
    await startCompanions(network, setup, lookup, frontVars(scenario), options, keep);
    const startFront = (): Promise<FrontHandle> => startSetup(network, setup, 'front', frontVars(scenario), imageOption(options, setup));
    const front = setup.needs
      ? await startNeeding(setup.needs, setup, startFront, () => imageVersion(setup, imageOption(options, setup).image), keep)
      : keep(await startFront());
    return { app, apps, front };
  }, after);
}

/** A scenario's whole topology: its app base and its front on it, stopped together (the front first). */
export async function startTopology(scenario: Scenario, options: TopologyOptions = {}): Promise<Topology> {
  if (scenario.deployment) return (await import('./deployment-topology.js')).startDeploymentTopology(scenario, scenario.deployment, options);
  const base = await startAppBase(scenario, options);
  return startFrontOn(base, scenario, options, () => base.stop());
}
