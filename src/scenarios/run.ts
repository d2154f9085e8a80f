/** Runs checks and scenarios into outcomes: shared by the container suites and the report. */
import { startTopology } from './topology.js';
import type { Check, CheckContext, CheckOutcome, Scenario, ScenarioOutcome } from './types.js';

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

/**
 * Runs a scenario's checks: the ones that read shared app state one at a time first, then the
 * independent ones (each on its own connections) side by side, so a scenario's waits overlap.
 */
export async function runChecks(checks: readonly Check[], ctx: CheckContext): Promise<CheckOutcome[]> {
  const outcomes = new Map<Check, CheckOutcome>();
  for (const check of checks.filter((c) => !c.independent)) {
    outcomes.set(check, await runCheck(check, ctx));
  }
  const independent = checks.filter((c) => c.independent);
  const results = await Promise.all(independent.map((c) => runCheck(c, ctx)));
  independent.forEach((c, i) => outcomes.set(c, results[i] as CheckOutcome));
  return checks.map((c) => outcomes.get(c) as CheckOutcome);
}

export async function runScenario(scenario: Scenario, progress: (line: string) => void = () => {}): Promise<ScenarioOutcome> {
  const started = performance.now();
  const base = { scenario: scenario.id, front: scenario.front, family: scenario.family };
  let topology;
  try {
    topology = await startTopology(scenario);
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    return { ...base, ok: false, checks: [], durationMs: performance.now() - started, error };
  }
  try {
    const checks = await runChecks(scenario.checks, topology.context((line) => progress(`${scenario.id}: ${line}`)));
    return { ...base, ok: checks.every((c) => c.ok), checks, durationMs: performance.now() - started };
  } finally {
    await topology.stop();
  }
}
