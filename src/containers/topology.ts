/**
 * A scenario's topology in containers, on its own labelled network: the app, the front setup's
 * companions, then the front, its config rendered from the very template file the docs show.
 */
import { frontDescriptor, frontSetup, type FrontSetup } from '../fronts/index.js';
import { compareVersions } from '../fronts/types.js';
import { run } from '../exec.js';
import { ConfigRefusedByVersion } from '../topology/refused.js';
import { imageFor } from './images.js';
import { currentRunId, runLabels } from './labels.js';
import type { FrontVars } from '../fronts/vars.js';
import type { Scenario } from '../scenarios/types.js';
import { renderFrontConfig } from '../topology/front-config.js';
import type { FrontHandle } from '../topology/handles.js';
import { assembleTopology, type Topology, type TopologyOptions } from '../topology/topology.js';
import { APP_ALIAS, frontVars, replicaAliases, WS_PATH } from '../topology/values.js';
import { startEchoApp } from './app-container.js';
import { startFront } from './front-container.js';
import { createNetwork, type BenchNetwork } from './runtime.js';
import { selfSignedCertificate, type TlsMaterial } from './tls.js';

/** Starts one front setup on a network, its config rendered from its template with `vars`. */
export async function startSetup(
  network: BenchNetwork, setup: FrontSetup, alias: string, vars: FrontVars, limits: { nofile?: number; image?: string } = {},
): Promise<FrontHandle> {
  const config = renderFrontConfig(setup, vars);
  const command = frontDescriptor(setup.kind).setupCommand?.(setup, vars);
  // A TLS-terminating front gets a throwaway certificate, which its clients then trust.
  const tls: TlsMaterial | undefined = setup.tls ? await selfSignedCertificate() : undefined;
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

/**
 * Why a setup's front did not start, when that is its version refusing a config that needs a
 * newer one: the version read from the image (a throwaway container) is below the setup's
 * `needs`, and the front's error line says so. Undefined for any other failure.
 */
async function refusalByVersion(setup: FrontSetup, image: string | undefined, err: unknown): Promise<ConfigRefusedByVersion | undefined> {
  const needs = setup.needs;
  if (!needs) return undefined;
  const message = err instanceof Error ? err.message : String(err);
  const line = message.split('\n').find((l) => needs.refusal.test(l));
  if (!line) return undefined;
  const front = frontDescriptor(setup.kind);
  const [command, ...args] = front.version.command;
  const r = await run('docker', ['run', '--rm', ...Object.entries(runLabels(currentRunId())).flatMap(([k, v]) => ['--label', `${k}=${v}`]), '--entrypoint', command as string, image ?? imageFor(front.image.role), ...args], { timeoutMs: 30_000 });
  const version = front.version.parse(r.stdout + r.stderr);
  if (!version || compareVersions(version, needs.version) >= 0) return undefined;
  return new ConfigRefusedByVersion(setup.kind, version, needs, line.trim());
}

export async function startTopology(scenario: Scenario, options: TopologyOptions = {}): Promise<Topology> {
  const lookup = options.setup ?? frontSetup;
  const setup = lookup(scenario.front);
  const image = (s: FrontSetup): { image?: string } => {
    const chosen = options.images?.[frontDescriptor(s.kind).image.role];
    return chosen ? { image: chosen } : {};
  };
  const network = await createNetwork();
  return assembleTopology(scenario, async (keep) => {
    const nodeImage = options.images?.node;
    const kind = scenario.appKind ?? 'echo';
    const env = kind === 'echo' ? { ...scenario.app, ECHO_PATH: WS_PATH } : scenario.app;
    const aliases = (scenario.replicas ?? 1) > 1 ? replicaAliases(scenario.replicas as number) : [APP_ALIAS];
    const apps = [];
    for (const alias of aliases) apps.push(keep(await startEchoApp({ network, alias, kind, env, ...(nodeImage ? { image: nodeImage } : {}) })));
    const app = apps[0] as (typeof apps)[number];
    for (const [alias, name] of Object.entries(setup.companions ?? {})) {
      const companion = lookup(name);
      keep(await startSetup(network, companion, alias, frontVars(scenario), image(companion)));
    }
    const front = keep(await startSetup(network, setup, 'front', frontVars(scenario), image(setup)).catch(async (err: unknown) => {
      throw (await refusalByVersion(setup, image(setup).image, err)) ?? err;
    }));
    return { app, apps, front };
  }, () => network.stop());
}
