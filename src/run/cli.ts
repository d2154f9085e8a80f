/**
 * `ws-proxy-bench run` (`npm run bench`): runs the scenario catalog, each scenario on its own
 * topology (containers when a Docker engine answers, else this host), and prints the
 * compatibility table. Exit code: 0 when every expectation held (skipped rows aside), 1 when
 * one failed, 2 for a usage error.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { checkEngine } from '../containers/engine.js';
import { OptionError, optionsHelp } from '../options.js';
import { renderJson } from '../report/json.js';
import { renderJunit } from '../report/junit.js';
import type { Report } from '../report/model.js';
import { renderMarkdown, renderTextTable } from '../report/table.js';
import { startTopology } from '../containers/topology.js';
import { startLocalTopology } from '../local/topology.js';
import type { StartTopology } from '../topology/topology.js';
import { FRONTS } from '../fronts/index.js';
import { exitCode } from './build-report.js';
import { runMatrix, type ImageSet } from './matrix.js';
import { planRun, runOptionSpecs, type RunPlan } from './options.js';
import { ProgressBoard } from './progress.js';

export const RUN_HELP = `Usage: ws-proxy-bench run [options]   (npm run bench -- [options])

Runs every scenario of the catalog, each on its own topology (the echo app behind a front), and
prints a table: front setups (with the version read from each running front) as rows, scenario
families as columns, each cell the checks that passed ("pass 8/8", "FAIL 1/3"), and under it
what failed and why; --wide prints every check as a column with its measured figure instead.
Progress goes to standard error, the table to standard output. With a Docker engine the fronts run in containers; without one (or
with --local) the app and the http-proxy front run in this process and
${FRONTS.filter((f) => f.local !== 'in-process').map((f) => f.title).join(', ')} from their binaries when installed; rows
that cannot run are skipped with the reason, never passed.

Options:
${optionsHelp(runOptionSpecs)}

Exit code: 0 when every expectation held, 1 when one failed, 2 for a usage error.
Examples:
  ws-proxy-bench run --front nginx --scenario '*/upgrade' --json report.json
  ws-proxy-bench run --config nginx=./my-nginx.conf.template --front nginx
  ws-proxy-bench run --config nginx=./nginx.conf --upstream app:3000 --idle-timeout 60s   # your file, unchanged
  ws-proxy-bench run --app-image my-app:1.4 --app-port 3000 --app-path /chat              # your app behind every front
  ws-proxy-bench run --versions all --front haproxy     # HAProxy 2.6, 3.0 and 3.2 side by side`;

const say = (line: string): void => { process.stderr.write(`${line}\n`); };

/** Containers when an engine answers (and --local was not asked for), else this host. */
async function chooseTopology(plan: RunPlan, board: ProgressBoard): Promise<{ mode: Report['mode']; start: StartTopology; imageSets: ImageSet[]; finish(): Promise<void> }> {
  const local = { mode: 'local' as const, start: startLocalTopology, imageSets: [], finish: async () => {} };
  if (plan.options.local) {
    board.line('local mode (--local): the app and the http-proxy front in this process, other fronts from installed binaries');
    return local;
  }
  const engine = await checkEngine();
  if (!engine.ok && plan.suites.length > 0) {
    throw new Error(`--versions runs each suite's images, which needs a Docker engine, and none answers (${engine.reason}); \`ws-proxy-bench engine ensure\` sets one up`);
  }
  if (!engine.ok) {
    board.line(`no Docker engine answers (${engine.reason}): local mode, fronts from installed binaries; \`ws-proxy-bench engine ensure\` sets up Docker`);
    return local;
  }
  board.line(`Docker engine ${engine.version}: every scenario in its own containers`);
  const { prepareContainerRun } = await import('../containers/prepare.js');
  const run = await prepareContainerRun({ progress: (l) => board.line(l), bundles: 'check' });
  let imageSets: ImageSet[] = [];
  if (plan.suites.length > 0) {
    const { buildOfflineImages } = await import('../containers/offline-images.js');
    board.line(`image sets for ${plan.suites.join(', ')}: the offline stand-ins of each Debian suite (built if missing)`);
    const built = await buildOfflineImages({ suites: plan.suites, progress: (l) => board.line(l) }).catch(async (err: unknown) => {
      await run.finish();
      throw err;
    });
    imageSets = built.suites.map((s) => ({ name: s.suite, images: s.images }));
  }
  return {
    mode: 'containers',
    start: startTopology,
    imageSets,
    finish: async () => {
      const { left } = await run.finish();
      if (left.length > 0) board.line(`left behind: ${left.map((r) => `${r.kind} ${r.name}`).join(', ')}; \`ws-proxy-bench sweep\` removes them`);
    },
  };
}

function writeOutput(file: string, text: string, what: string): void {
  const path = resolve(file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  say(`run: wrote ${what} to ${path}`);
}

export async function runRunCommand(argv: string[]): Promise<number> {
  let plan: RunPlan | 'help';
  try {
    plan = planRun(argv);
  } catch (err) {
    if (!(err instanceof OptionError)) throw err;
    say(`${err.message}\nTry: ws-proxy-bench run --help`);
    return 2;
  }
  if (plan === 'help') {
    console.log(RUN_HELP);
    return 0;
  }
  for (const warning of plan.warnings) say(`run: warning: ${warning}`);
  const board = new ProgressBoard(say);
  board.line(`${plan.scenarios.length} scenarios${plan.suites.length > 0 ? ` on ${plan.suites.length} image sets (${plan.suites.join(', ')})` : ''}, concurrency ${plan.options.concurrency}`);
  let topology;
  try {
    topology = await chooseTopology(plan, board);
  } catch (err) {
    say(`run: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
  // Ctrl-C in local mode: exiting kills the fronts started from binaries (local-process.ts).
  // (In containers mode the run's signal cleanup removes its containers, then exits.)
  const interrupted = (): void => { process.exit(130); };
  if (topology.mode === 'local') process.once('SIGINT', interrupted);
  let report: Report;
  try {
    report = await runMatrix({ scenarios: plan.scenarios, imageSets: topology.imageSets, concurrency: plan.options.concurrency, start: topology.start, mode: topology.mode, configs: plan.configs, board });
  } finally {
    await topology.finish();
    process.off('SIGINT', interrupted);
  }
  console.log(`\n${renderTextTable(report, { wide: plan.options.wide })}`);
  if (!plan.options.wide) say('run: --wide prints every check with its measured figure; --markdown writes that table to a file');
  if (plan.options.json) writeOutput(plan.options.json, renderJson(report), 'the JSON report');
  if (plan.options.markdown) writeOutput(plan.options.markdown, renderMarkdown(report), 'the Markdown report');
  if (plan.options.junit) writeOutput(plan.options.junit, renderJunit(report), 'the JUnit report');
  return exitCode(report);
}
