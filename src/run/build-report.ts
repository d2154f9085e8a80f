/**
 * A run's report from its scenarios' outcomes: each scenario's checks as pass, fail or skip (a
 * check that did not run is failed or skipped, never passed), the counts, and the exit code.
 */
import type { Counts, Report, ReportCheck, ReportScenario, Status } from '../report/model.js';
import { frontSetups } from '../fronts/index.js';
import type { Scenario, ScenarioOutcome } from '../scenarios/types.js';
import { VERSION } from '../version.js';

/** A scenario's outcome as the report shows it: a check that did not run is failed or skipped, never passed. */
export function reportScenario(scenario: Scenario, outcome: ScenarioOutcome, where: { config?: string | undefined; imageSet?: string | undefined } = {}): ReportScenario {
  const base = {
    scenario: scenario.id,
    front: scenario.front,
    kind: frontSetups.get(scenario.front)?.kind ?? scenario.front,
    family: scenario.family,
    summary: scenario.summary,
    durationMs: outcome.durationMs,
    ...(where.config ? { config: where.config } : {}),
    ...(where.imageSet ? { imageSet: where.imageSet } : {}),
    ...(outcome.versions ? { versions: outcome.versions } : {}),
  };
  if (outcome.skipped !== undefined) {
    const checks = scenario.checks.map((c): ReportCheck => ({ check: c.id, title: c.title, status: 'skip', figure: 'skipped', detail: outcome.skipped as string, durationMs: 0 }));
    return { ...base, status: 'skip', skipped: outcome.skipped, checks };
  }
  if (outcome.error !== undefined && outcome.checks.length === 0) {
    const detail = `the topology did not start: ${outcome.error}`;
    const checks = scenario.checks.map((c): ReportCheck => ({ check: c.id, title: c.title, status: 'fail', figure: 'not started', detail, durationMs: 0 }));
    return { ...base, status: 'fail', error: outcome.error, checks };
  }
  const checks = outcome.checks.map((c): ReportCheck => ({
    check: c.check,
    title: c.title,
    status: c.skipped !== undefined ? 'skip' : c.ok ? 'pass' : 'fail',
    figure: c.figure,
    detail: c.detail,
    durationMs: c.durationMs,
    ...(c.measured ? { measured: c.measured } : {}),
  }));
  // Skipped checks (each with its reason) neither fail a scenario nor pass one that ran nothing.
  const ok = outcome.ok && checks.every((c) => c.status !== 'fail');
  const status = !ok ? 'fail' : checks.length > 0 && checks.every((c) => c.status === 'skip') ? 'skip' : 'pass';
  return { ...base, status, ...(outcome.error ? { error: outcome.error } : {}), checks };
}

function count(statuses: Status[]): Counts {
  return {
    pass: statuses.filter((s) => s === 'pass').length,
    fail: statuses.filter((s) => s === 'fail').length,
    skip: statuses.filter((s) => s === 'skip').length,
  };
}

export function buildReport(input: { mode: Report['mode']; startedAt: Date; durationMs: number; concurrency: number; scenarios: ReportScenario[] }): Report {
  const scenarios = count(input.scenarios.map((s) => s.status));
  const checks = count(input.scenarios.flatMap((s) => s.checks.map((c) => c.status)));
  return {
    tool: 'ws-proxy-bench',
    version: VERSION,
    mode: input.mode,
    startedAt: input.startedAt.toISOString(),
    durationMs: Math.round(input.durationMs),
    concurrency: input.concurrency,
    ok: scenarios.fail === 0,
    counts: { scenarios, checks },
    scenarios: input.scenarios,
  };
}

/** 0 when no expectation failed (skipped rows do not fail a run, and are never counted as passed), else 1. */
export function exitCode(report: Report): number {
  return report.ok ? 0 : 1;
}

/**
 * A full run's report with a partial run's results in place of the same scenarios' (per image
 * set), in the order of `ids` (the catalog's); scenarios no longer in `ids` are dropped.
 */
export function mergeReports(previous: Report, partial: Report, ids: readonly string[]): Report {
  const key = (s: ReportScenario): string => `${s.scenario} ${s.imageSet ?? ''}`;
  const fresh = new Set(partial.scenarios.map(key));
  const order = new Map(ids.map((id, i) => [id, i]));
  const kept = previous.scenarios.filter((s) => !fresh.has(key(s)) && order.has(s.scenario));
  const scenarios = [...kept, ...partial.scenarios]
    .sort((a, b) => (order.get(a.scenario) ?? 0) - (order.get(b.scenario) ?? 0) || (a.imageSet ?? '').localeCompare(b.imageSet ?? ''));
  return buildReport({ mode: previous.mode, startedAt: new Date(previous.startedAt), durationMs: previous.durationMs, concurrency: previous.concurrency, scenarios });
}
