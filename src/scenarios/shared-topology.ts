/**
 * Which scenarios may run one after another on one topology, instead of each starting its own:
 * the same front setup, idle timeout, app and replicas (topologyKey), and none but the last of
 * them disturbs it; and which topologies may start their fronts on one app, one after another:
 * the same app and replicas (appKey), by the same rule. A scenario of a disturbing family
 * (faults, reload, replicas) restarts, pauses, reloads or stops parts of its topology, so it runs
 * last on a topology it shares, or alone; a user's deployment always runs alone. The container
 * suites run each group on one topology; the checks of every scenario but a group's last get a
 * context that refuses to disturb (undisturbingContext), so a check that starts restarting things
 * in a family that does not say so fails, instead of leaving the next scenario a topology it did
 * not ask for.
 */
import type { CheckContext, Family, Scenario } from './types.js';

/** The families whose checks restart, pause, reload or stop parts of the topology they run on. */
export const DISTURBING_FAMILIES: ReadonlySet<Family> = new Set<Family>(['faults', 'reload', 'replicas']);

export function disturbs(scenario: Scenario): boolean {
  return DISTURBING_FAMILIES.has(scenario.family);
}

/**
 * What a scenario's topology is made of (what startTopology reads of it): scenarios with the same
 * key start the same containers with the same configs. Undefined for a user's deployment, which
 * never shares.
 */
export function topologyKey(scenario: Scenario): string | undefined {
  const app = appKey(scenario);
  return app === undefined ? undefined : JSON.stringify({ front: scenario.front, idleTimeoutSeconds: scenario.idleTimeoutSeconds, app });
}

/**
 * What a scenario's app is made of: scenarios with the same app may run their fronts on one app
 * (and network), one front after another. Undefined for a user's deployment.
 */
export function appKey(scenario: Scenario): string | undefined {
  if (scenario.deployment) return undefined;
  const app = Object.fromEntries(Object.entries(scenario.app).sort(([a], [b]) => a.localeCompare(b)));
  return JSON.stringify({ appKind: scenario.appKind ?? 'echo', replicas: scenario.replicas ?? 1, app });
}

/**
 * Items grouped by key, in the order of each group's first item: within a group the calm items
 * keep their order and one disturbing item comes last; a second disturbing item of the same key
 * starts a group of its own. An item without a key is a group of its own.
 */
function calmFirst<T>(items: readonly T[], key: (item: T) => string | undefined, disturbing: (item: T) => boolean): T[][] {
  const groups: { key: string | undefined; calm: T[]; last?: T }[] = [];
  for (const item of items) {
    const k = key(item);
    const open = k === undefined ? undefined : groups.find((g) => g.key === k && (!disturbing(item) || g.last === undefined));
    if (!open) groups.push(disturbing(item) ? { key: k, calm: [], last: item } : { key: k, calm: [item] });
    else if (disturbing(item)) open.last = item;
    else open.calm.push(item);
  }
  return groups.map((g) => (g.last !== undefined ? [...g.calm, g.last] : g.calm));
}

/**
 * The scenarios grouped to share a topology each, in the order of each group's first scenario.
 * Within a group the undisturbing scenarios keep their order and the one disturbing scenario
 * comes last; a second disturbing scenario of the same key gets a topology of its own.
 */
export function topologyGroups(scenarios: readonly Scenario[]): Scenario[][] {
  return calmFirst(scenarios, topologyKey, disturbs);
}

/**
 * The topology groups grouped again to share an app each (each group's fronts start on one app,
 * one after another), by the same rule: the one group with a disturbing scenario comes last.
 */
export function appGroups(scenarios: readonly Scenario[]): Scenario[][][] {
  return calmFirst(topologyGroups(scenarios), (g) => appKey(g[0] as Scenario), (g) => g.some(disturbs));
}

/** The error a check gets when it disturbs a topology the next scenario runs on. */
function refuse(what: string, scenario: Scenario): () => Promise<never> {
  return () => Promise.reject(new Error(
    `${scenario.id} shares its topology with the scenarios after it, so its checks may not ${what}: ` +
      `a scenario whose checks do belongs to a disturbing family (${[...DISTURBING_FAMILIES].join(', ')}, src/scenarios/shared-topology.ts)`,
  ));
}

/** `ctx` with everything that disturbs the topology (restarts, pauses, reloads, stopping a replica) refused. */
export function undisturbingContext(ctx: CheckContext, scenario: Scenario): CheckContext {
  const { controls, reloadFront, replicas } = ctx;
  // A copy of its own properties as they are defined, so the getters (wsUrl and frontUrl, which
  // follow a restarted front) stay getters; a spread would read them once.
  const guarded = Object.defineProperties({}, Object.getOwnPropertyDescriptors(ctx)) as CheckContext;
  if (controls) {
    guarded.controls = {
      restartFront: refuse('restart the front', scenario),
      restartApp: refuse('restart the app', scenario),
      pauseFront: refuse('pause the front', scenario),
      unpauseFront: refuse('unpause the front', scenario),
    };
  }
  if (reloadFront) guarded.reloadFront = refuse('reload the front', scenario);
  if (replicas) guarded.replicas = replicas.map((r) => ({ ...r, terminate: refuse(`stop ${r.alias}`, scenario), start: refuse(`start ${r.alias}`, scenario) }));
  return guarded;
}
