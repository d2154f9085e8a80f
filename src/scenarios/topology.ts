/**
 * Brings up what a scenario needs on its own network: the app, the front setup's companions,
 * then the front, its config rendered from the very template file the docs show.
 */
import {
  createNetwork,
  startEchoApp,
  startFront,
  type BenchNetwork,
  type EchoAppHandle,
  type FrontHandle,
} from '../containers/harness.js';
import { selfSignedCertificate, type TlsMaterial } from '../containers/tls.js';
import { renderFrontConfig } from './front-config.js';
import { APP_ALIAS, frontSetup, frontVars, WS_PATH, type FrontSetup, type FrontVars } from './fronts.js';
import type { CheckContext, Scenario } from './types.js';

export interface Topology {
  app: EchoAppHandle;
  front: FrontHandle;
  /** The context checks run in. */
  context(progress?: (line: string) => void): CheckContext;
  stop(): Promise<void>;
}

export interface TopologyOptions {
  /** Looks up a front setup by name (default: the fronts table); `run --config` swaps in the user's file. */
  setup?: (name: string) => FrontSetup;
}

/** Brings up a scenario's topology: in containers (startTopology) or on this host (startLocalTopology). */
export type StartTopology = (scenario: Scenario, options?: TopologyOptions) => Promise<Topology>;

/** The context a scenario's checks run in: through the front, with the app's counters beside. */
export function checkContext(scenario: Scenario, app: EchoAppHandle, front: FrontHandle, progress: (line: string) => void = () => {}): CheckContext {
  return {
    // A getter: a restarted front container may be published on another port.
    get wsUrl() { return front.wsUrl(WS_PATH); },
    ...(front.ca !== undefined ? { ca: front.ca } : {}),
    ...(front.reload ? { reloadFront: front.reload } : {}),
    appStats: () => app.stats(),
    idleTimeoutMs: scenario.idleTimeoutSeconds * 1000,
    progress,
    controls: {
      restartFront: () => front.restart(),
      restartApp: () => app.restart(),
      pauseFront: () => front.pause(),
      unpauseFront: () => front.unpause(),
    },
  };
}

/** Starts one front setup on a network, its config rendered from its template with `vars`. */
export async function startSetup(
  network: BenchNetwork, setup: FrontSetup, alias: string, vars: FrontVars, limits: { nofile?: number } = {},
): Promise<FrontHandle> {
  const config = renderFrontConfig(setup, vars);
  // A TLS-terminating front gets a throwaway certificate, which its clients then trust.
  const tls: TlsMaterial | undefined = setup.tls ? await selfSignedCertificate() : undefined;
  return startFront({
    network,
    kind: setup.kind,
    alias,
    ...limits,
    ...(config !== undefined ? { config: { content: config } } : {}),
    ...(setup.command ? { command: setup.command(vars) } : {}),
    ...(setup.tls && tls
      ? {
          files: [{ content: tls.cert, target: setup.tls.certPath }, { content: tls.key, target: setup.tls.keyPath }],
          tls: { ca: tls.cert },
        }
      : {}),
  });
}

interface Stoppable { stop(): Promise<void> }

/**
 * Starts a topology's parts in order (`keep` records each one as it comes up); if one fails,
 * what already started is stopped. stop() stops the parts in reverse (fronts first, then the
 * app), then runs `after`, and keeps going past a failure.
 */
export async function assembleTopology(
  scenario: Scenario,
  start: (keep: <T extends Stoppable>(part: T) => T) => Promise<{ app: EchoAppHandle; front: FrontHandle }>,
  after: () => Promise<void> | void,
): Promise<Topology> {
  const started: Stoppable[] = [];
  const stop = async (): Promise<void> => {
    const errors: unknown[] = [];
    for (const part of started.reverse()) await part.stop().catch((e: unknown) => errors.push(e));
    await Promise.resolve().then(after).catch((e: unknown) => errors.push(e));
    if (errors.length > 0) throw new AggregateError(errors, `stopping ${scenario.id} failed`);
  };
  try {
    const { app, front } = await start((part) => { started.push(part); return part; });
    return { app, front, context: (progress) => checkContext(scenario, app, front, progress), stop };
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  }
}

export async function startTopology(scenario: Scenario, options: TopologyOptions = {}): Promise<Topology> {
  const lookup = options.setup ?? frontSetup;
  const setup = lookup(scenario.front);
  const network = await createNetwork();
  return assembleTopology(scenario, async (keep) => {
    const app = keep(await startEchoApp({ network, alias: APP_ALIAS, env: { ...scenario.app, ECHO_PATH: WS_PATH } }));
    for (const [alias, name] of Object.entries(setup.companions ?? {})) {
      keep(await startSetup(network, lookup(name), alias, frontVars(scenario)));
    }
    const front = keep(await startSetup(network, setup, 'front', frontVars(scenario)));
    return { app, front };
  }, () => network.stop());
}
