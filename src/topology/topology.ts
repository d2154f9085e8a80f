/**
 * A scenario's topology, whoever starts it (containers: src/containers/topology.ts; this host:
 * src/local/topology.ts): the app and the front as handles, the context checks run in, and
 * starting the parts in order with a stop that undoes what started.
 */
import type { FrontSetup } from '../fronts/index.js';
import type { CheckContext, Scenario } from '../scenarios/types.js';
import type { EchoAppHandle, FrontHandle } from './handles.js';
import { WS_PATH } from './values.js';

export interface Topology {
  /** The app (the first replica when there are several). */
  app: EchoAppHandle;
  /** Every replica of the app, in alias order. */
  apps: EchoAppHandle[];
  front: FrontHandle;
  /** The context checks run in. */
  context(progress?: (line: string) => void): CheckContext;
  stop(): Promise<void>;
}

export interface TopologyOptions {
  /** Looks up a front setup by name (default: the registry's); `run --config` swaps in the user's file. */
  setup?: (name: string) => FrontSetup;
  /** The images to run, by image role (containers only; default: the configured ones). `run --versions` gives one set per Debian suite. */
  images?: Readonly<Record<string, string>>;
}

/** Brings up a scenario's topology: in containers (startTopology) or on this host (startLocalTopology). */
export type StartTopology = (scenario: Scenario, options?: TopologyOptions) => Promise<Topology>;

/** The context a scenario's checks run in: through the front, with the app's counters beside. */
export function checkContext(scenario: Scenario, app: EchoAppHandle, front: FrontHandle, progress: (line: string) => void = () => {}, apps: EchoAppHandle[] = [app]): CheckContext {
  return {
    get frontUrl() { return front.httpUrl; },
    // The address the app sees the front connect from: its container's on the bench network.
    ...(front.networkIp ? { frontAddress: front.networkIp } : {}),
    replicas: apps.map((a) => ({
      alias: a.alias,
      json: (path) => a.json(path),
      terminate: () => (a.terminate ? a.terminate() : Promise.reject(new Error(`${a.alias} cannot be stopped here (local mode); run with Docker`))),
      start: () => (a.start ? a.start() : Promise.reject(new Error(`${a.alias} cannot be started here (local mode); run with Docker`))),
    })),
    // A getter: a restarted front container may be published on another port.
    get wsUrl() { return front.wsUrl(scenario.deployment?.wsPath ?? WS_PATH); },
    ...(front.ca !== undefined ? { ca: front.ca } : {}),
    ...(front.reload ? { reloadFront: front.reload } : {}),
    frontProcesses: () => front.processes(),
    appStats: (read) => app.stats(read),
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

interface Stoppable { stop(): Promise<void> }

/** Records a part as it comes up (and returns it), so that a stop finds it. */
export type Keep = <T extends Stoppable>(part: T) => T;

/**
 * Starts parts in order (`keep` records each one as it comes up); if one fails, what already
 * started is stopped. stop() stops the parts all at once (at teardown no part waits for another),
 * then runs `after`, and keeps going past a failure. `what` names them in a stop's error.
 */
export async function startInParts<R>(what: string, start: (keep: Keep) => Promise<R>, after: () => Promise<void> | void): Promise<{ started: R; stop(): Promise<void> }> {
  const parts: Stoppable[] = [];
  const stop = async (): Promise<void> => {
    const errors: unknown[] = [];
    await Promise.all(parts.splice(0).map((part) => part.stop().catch((e: unknown) => { errors.push(e); })));
    await Promise.resolve().then(after).catch((e: unknown) => errors.push(e));
    if (errors.length > 0) throw new AggregateError(errors, `stopping ${what} failed`);
  };
  try {
    return { started: await start((part) => { parts.push(part); return part; }), stop };
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  }
}

/** Starts a topology's parts (startInParts): the app, its replicas and the front as handles, and the context its checks run in. */
export async function assembleTopology(
  scenario: Scenario,
  start: (keep: Keep) => Promise<{ app: EchoAppHandle; apps?: EchoAppHandle[]; front: FrontHandle }>,
  after: () => Promise<void> | void,
): Promise<Topology> {
  const { started: { app, apps = [app], front }, stop } = await startInParts(scenario.id, start, after);
  return { app, apps, front, context: (progress) => checkContext(scenario, app, front, progress, apps), stop };
}
