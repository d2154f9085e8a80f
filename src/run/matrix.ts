/**
 * Runs the selected scenarios, each on its own topology, at most `concurrency` at a time, with
 * progress on the board, and gathers their outcomes into a report in catalog order.
 */
import type { Report, ReportScenario } from '../report/model.js';
import { frontSetup, type FrontSetup } from '../fronts/index.js';
import { runScenario } from '../scenarios/run.js';
import type { StartTopology } from '../topology/topology.js';
import type { Scenario } from '../scenarios/types.js';
import { buildReport, reportScenario } from './build-report.js';
import type { ProgressBoard } from './progress.js';

export interface MatrixOptions {
  scenarios: readonly Scenario[];
  concurrency: number;
  start: StartTopology;
  mode: Report['mode'];
  /** Front setup name → the user's config file to run it with instead of its template. */
  configs?: ReadonlyMap<string, string>;
  board: ProgressBoard;
  heartbeatMs?: number;
}

/** The front setups table with the user's config files in place of the templates they replace. */
export function setupsWithConfigs(configs: ReadonlyMap<string, string>): (name: string) => FrontSetup {
  return (name) => {
    const setup = frontSetup(name);
    const file = configs.get(name);
    return file ? { ...setup, template: file } : setup;
  };
}

export async function runMatrix(o: MatrixOptions): Promise<Report> {
  const startedAt = new Date();
  const started = performance.now();
  const configs = o.configs ?? new Map<string, string>();
  const setup = setupsWithConfigs(configs);
  const results: ReportScenario[] = new Array<ReportScenario>(o.scenarios.length);
  let next = 0;
  const board = o.board;
  const worker = async (): Promise<void> => {
    while (next < o.scenarios.length) {
      const index = next++;
      const scenario = o.scenarios[index] as Scenario;
      board.line(`start ${scenario.id} (${scenario.checks.length} checks): ${scenario.summary}`);
      const outcome = await runScenario(scenario, {
        start: o.start,
        setup,
        hooks: {
          checkStarted: (check) => board.checkStarted(scenario.id, check),
          progress: (line, check) => board.checkProgress(scenario.id, check, line),
          checkFinished: (out) => board.checkFinished(scenario.id, out),
        },
      });
      const result = reportScenario(scenario, outcome, configs.get(scenario.front));
      results[index] = result;
      const why = result.skipped ?? result.error;
      board.line(`${result.status === 'pass' ? 'passed' : result.status === 'skip' ? 'SKIPPED' : 'FAILED'} ${scenario.id} in ${(outcome.durationMs / 1000).toFixed(1)} s${why ? `: ${why.split('\n')[0] ?? ''}` : ''}`);
    }
  };
  board.start(o.heartbeatMs);
  try {
    await Promise.all(Array.from({ length: Math.min(o.concurrency, o.scenarios.length) }, worker));
  } finally {
    board.stop();
  }
  return buildReport({ mode: o.mode, startedAt, durationMs: performance.now() - started, concurrency: o.concurrency, scenarios: results });
}
