/** Runs checks and scenarios into outcomes: shared by the container suites and the report. */
import type { StartTopology, TopologyOptions } from '../topology/topology.js';
import { frontDescriptor } from '../fronts/index.js';
import type { Check, CheckContext, CheckOutcome, RunVersions, Scenario, ScenarioOutcome } from './types.js';
import { ConfigRefusedByVersion } from '../topology/refused.js';
import { TopologyUnavailable } from '../topology/unavailable.js';
import { ALL_APP_CAPABILITIES, type AppCapability } from '../topology/handles.js';

/**
 * The default topology (containers), imported when a scenario first needs it: the checks alone
 * (runCheck, runChecks) do not load the Docker client.
 */
const startContainerTopology: StartTopology = async (scenario, options) => (await import('../containers/topology.js')).startTopology(scenario, options);

/** What a runner wants to hear while a scenario runs (the report's progress lines). */
export interface RunHooks {
  /** A line a check printed about what it waits for (ctx.progress). */
  progress?(line: string, check: Check): void;
  checkStarted?(check: Check): void;
  checkFinished?(outcome: CheckOutcome, check: Check): void;
}

export interface RunScenarioOptions extends TopologyOptions {
  /** Where the topology runs (default: containers). */
  start?: StartTopology;
  hooks?: RunHooks;
}

/** Runs one check; a thrown error is a failed outcome that says what happened, never a pass. */
export async function runCheck(check: Check, ctx: CheckContext): Promise<CheckOutcome> {
  const started = performance.now();
  try {
    const result = await check.run(ctx);
    return { ...result, check: check.id, title: check.title, durationMs: performance.now() - started };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, figure: 'error', detail: message, check: check.id, title: check.title, durationMs: performance.now() - started };
  }
}

/** A check's outcome counts for its scenario when it passed or was skipped for a stated reason. */
export const passedOrSkipped = (c: CheckOutcome): boolean => c.ok || c.skipped !== undefined;

/** What the app would need to serve for `check` and does not, in words; undefined when it serves all of it. */
export function unmetNeeds(check: Check, capabilities: readonly AppCapability[]): string | undefined {
  const missing = (check.needs ?? []).filter((n) => !capabilities.includes(n));
  return missing.length === 0 ? undefined : `the app does not serve ${missing.map((n) => NEED_WORDS[n]).join(' or ')}, which this check needs`;
}

const NEED_WORDS: Readonly<Record<AppCapability, string>> = {
  websocket: 'a WebSocket at its path',
  echo: 'an echo of each message',
  stats: "the bench's /stats counters",
  identity: "the bench's identity header on its 101",
};

function skippedOutcome(check: Check, why: string): CheckOutcome {
  return { ok: false, skipped: why, figure: 'skipped', detail: why, check: check.id, title: check.title, durationMs: 0 };
}

/** Makes the context one check runs in, with its own progress sink (undefined: none). */
export type ContextFor = (progress?: (line: string) => void) => CheckContext;

/**
 * Runs a scenario's checks: the ones that read shared app state one at a time first, then the
 * independent ones (each on its own connections) side by side, so a scenario's waits overlap.
 * Each check gets a context made for it (not a copy of one: the topology's live getters, such
 * as the front's URL after a restart, must stay live).
 */
export async function runChecks(checks: readonly Check[], contextFor: ContextFor, hooks: RunHooks = {}, capabilities: readonly AppCapability[] = ALL_APP_CAPABILITIES): Promise<CheckOutcome[]> {
  const outcomes = new Map<Check, CheckOutcome>();
  const run = async (check: Check): Promise<CheckOutcome> => {
    hooks.checkStarted?.(check);
    const lacking = unmetNeeds(check, capabilities);
    const outcome = lacking
      ? skippedOutcome(check, lacking)
      : await runCheck(check, contextFor(hooks.progress ? (line) => hooks.progress?.(line, check) : undefined));
    hooks.checkFinished?.(outcome, check);
    return outcome;
  };
  for (const check of checks.filter((c) => !c.independent)) {
    outcomes.set(check, await run(check));
  }
  const independent = checks.filter((c) => c.independent);
  const results = await Promise.all(independent.map(run));
  independent.forEach((c, i) => outcomes.set(c, results[i] as CheckOutcome));
  return checks.map((c) => outcomes.get(c) as CheckOutcome);
}

/** The check a scenario reports instead of its own when the front's version refused its config, as the setup says it must. */
export const CONFIG_REFUSED_CHECK = 'config-refused';

function refusedOutcome(err: ConfigRefusedByVersion): Pick<ScenarioOutcome, 'ok' | 'checks' | 'versions'> {
  const title = `${err.needs.feature} needs ${err.kind} ${err.needs.version} or later: an older one refuses the config`;
  return {
    ok: true,
    versions: { front: err.version },
    checks: [{ check: CONFIG_REFUSED_CHECK, title, ok: true, figure: `${err.kind} ${err.version} refuses it: "${err.line}"`, detail: err.message, durationMs: 0 }],
  };
}

export async function runScenario(scenario: Scenario, options: RunScenarioOptions = {}): Promise<ScenarioOutcome> {
  const started = performance.now();
  const base = { scenario: scenario.id, front: scenario.front, family: scenario.family };
  const { start = startContainerTopology, hooks, ...topologyOptions } = options;
  let topology;
  try {
    topology = await start(scenario, topologyOptions);
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    if (err instanceof TopologyUnavailable) return { ...base, ok: false, checks: [], durationMs: performance.now() - started, skipped: error };
    if (err instanceof ConfigRefusedByVersion) return { ...base, ...refusedOutcome(err), durationMs: performance.now() - started };
    return { ...base, ok: false, checks: [], durationMs: performance.now() - started, error };
  }
  try {
    const { app } = topology;
    const [front, appNode] = await Promise.all([topology.front.version(), app.nodeVersion?.()]);
    const { of } = frontDescriptor(topology.front.kind).version;
    const versions: RunVersions = { front, ...(of ? { frontOf: of } : {}), ...(appNode ? { appNode } : {}), ...(app.image ? { appImage: app.image } : {}) };
    const checks = await runChecks(scenario.checks, (progress) => topology.context(progress), hooks, app.capabilities);
    return { ...base, versions, ok: checks.every(passedOrSkipped), checks, durationMs: performance.now() - started };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    return { ...base, ok: false, checks: [], durationMs: performance.now() - started, error };
  } finally {
    await topology.stop();
  }
}
