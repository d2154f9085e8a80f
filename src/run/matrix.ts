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

/** A named set of images, one per image role (a Debian suite's offline stand-ins). */
export interface ImageSet {
  name: string;
  images: Readonly<Record<string, string>>;
}

/** One scenario on one image set (none: the configured images). */
export interface PlannedRun {
  scenario: Scenario;
  imageSet?: ImageSet;
}

/** Every scenario on every image set, scenario by scenario (so a front setup's versions sit together). */
export function planMatrix(scenarios: readonly Scenario[], imageSets: readonly ImageSet[] = []): PlannedRun[] {
  return scenarios.flatMap((scenario) => (imageSets.length === 0 ? [{ scenario }] : imageSets.map((imageSet) => ({ scenario, imageSet }))));
}

export interface MatrixOptions {
  scenarios: readonly Scenario[];
  /** Run every scenario on each of these (default: once, on the configured images). */
  imageSets?: readonly ImageSet[];
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
  const runs = planMatrix(o.scenarios, o.imageSets);
  const results: ReportScenario[] = new Array<ReportScenario>(runs.length);
  let next = 0;
  const board = o.board;
  const worker = async (): Promise<void> => {
    while (next < runs.length) {
      const index = next++;
      const { scenario, imageSet } = runs[index] as PlannedRun;
      const id = imageSet ? `${scenario.id} [${imageSet.name}]` : scenario.id;
      board.line(`start ${id} (${scenario.checks.length} checks): ${scenario.summary}`);
      const outcome = await runScenario(scenario, {
        start: o.start,
        setup,
        ...(imageSet ? { images: imageSet.images } : {}),
        hooks: {
          checkStarted: (check) => board.checkStarted(id, check),
          progress: (line, check) => board.checkProgress(id, check, line),
          checkFinished: (out) => board.checkFinished(id, out),
        },
      });
      const result = reportScenario(scenario, outcome, { config: configs.get(scenario.front), imageSet: imageSet?.name });
      results[index] = result;
      const why = result.skipped ?? result.error;
      const versions = result.versions ? ` (${result.kind} ${result.versions.front}${result.versions.appNode ? `, app on Node.js ${result.versions.appNode}` : ''})` : '';
      board.line(`${result.status === 'pass' ? 'passed' : result.status === 'skip' ? 'SKIPPED' : 'FAILED'} ${id}${versions} in ${(outcome.durationMs / 1000).toFixed(1)} s${why ? `: ${why.split('\n')[0] ?? ''}` : ''}`);
    }
  };
  board.start(o.heartbeatMs);
  try {
    await Promise.all(Array.from({ length: Math.min(o.concurrency, runs.length) }, worker));
  } finally {
    board.stop();
  }
  return buildReport({ mode: o.mode, startedAt, durationMs: performance.now() - started, concurrency: o.concurrency, scenarios: results });
}
