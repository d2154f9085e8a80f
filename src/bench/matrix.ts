/**
 * `npm run bench:matrix`: every scenario of the catalog on every Debian suite's image set (built
 * if missing), then bench-results/matrix.json and docs/compatibility.md (src/bench/
 * compatibility-doc.ts). Exit 1 when a check fails on some version without a note saying what
 * changed there (src/bench/compatibility-notes.ts), or when a difference between versions is
 * unexplained.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { prepareContainerRun } from '../containers/prepare.js';
import { startTopology } from '../containers/topology.js';
import { DEBIAN_SUITES, DEFAULT_SUITE } from '../containers/debian-suites.js';
import { buildOfflineImages } from '../containers/offline-images.js';
import { boolean, integer, list, option, OptionError, optionsHelp, resolveOptions } from '../options.js';
import type { Report } from '../report/model.js';
import { mergeReports } from '../run/build-report.js';
import { projectPath } from '../paths.js';
import { runMatrix } from '../run/matrix.js';
import { selectScenarios } from '../run/options.js';
import { ProgressBoard } from '../run/progress.js';
import { catalog } from '../scenarios/catalog.js';
import { findDifferences, renderCompatibility, versionsBySet } from './compatibility-doc.js';
import { fillMeasuredSections, measuredMarkers } from './measured-sections.js';
import { COMPATIBILITY_NOTES } from './compatibility-notes.js';
import { describeMachine } from './machine.js';
import { writeResults } from './perf-doc.js';
import { README_MATRIX_BEGIN, README_MATRIX_END, renderReadmeMatrix, replaceBetween } from './readme-matrix.js';
import { runBench } from './run-containers.js';

const specs = {
  concurrency: option({ flag: '--concurrency', default: 4, ...integer(1, 8), help: 'scenario runs at the same time (each has its own topology; most of a run is waiting on idle timeouts)' }),
  scenario: option<string[]>({
    flag: '--scenario', default: [], repeatable: true,
    ...list("scenario ids or globs such as 'nginx/*' (default: the whole catalog; then docs/compatibility.md is rewritten)", (v) => /^[\w*?./-]+$/.test(v)),
    help: 'run only these scenarios (a partial run writes bench-results/matrix.json but leaves docs/compatibility.md alone, unless --merge)',
  }),
  docsOnly: option({
    flag: '--docs-only', default: false, bare: true, ...boolean,
    help: 'run nothing: regenerate docs/compatibility.md, the README matrix and the measured sections of docs/ from the last run (bench-results/matrix.json)',
  }),
  merge: option({
    flag: '--merge', default: false, bare: true, ...boolean,
    help: "with --scenario: put this run's results in place of those scenarios' in the last full run (bench-results/matrix.json), then regenerate the docs from the whole",
  }),
};

const say = (line: string): void => { process.stderr.write(`[bench:matrix] ${line}\n`); };

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help')) {
    console.log(`Usage: npm run bench:matrix -- [options]\n\n${optionsHelp(specs)}`);
    return 0;
  }
  const opts = resolveOptions(specs, { argv, command: 'bench:matrix' });
  const scenarios = selectScenarios(catalog, [], opts.scenario);
  if (scenarios.length === 0) throw new OptionError(`bench:matrix: --scenario ${opts.scenario.join(',')} matches no scenario`);
  if (opts.merge && opts.scenario.length === 0) throw new OptionError('bench:matrix: --merge goes with --scenario (which scenarios to re-run into the last full run)');
  const previousFile = projectPath('bench-results/matrix.json');
  if (opts.merge && !existsSync(previousFile)) throw new OptionError(`bench:matrix: --merge needs a full run's ${previousFile}; run \`npm run bench:matrix\` once first`);
  const whole = opts.scenario.length === 0 || opts.merge;
  const board = new ProgressBoard(say);
  if (opts.docsOnly) {
    if (!existsSync(previousFile)) throw new OptionError(`bench:matrix: --docs-only needs a run's ${previousFile}; run \`npm run bench:matrix\` once first`);
    return writeDocs(JSON.parse(readFileSync(previousFile, 'utf8')) as Report, true);
  }
  const prepared = await prepareContainerRun({ progress: (l) => board.line(l), bundles: 'check' });
  let report;
  try {
    const built = await buildOfflineImages({ suites: DEBIAN_SUITES, progress: (l) => board.line(l) });
    const imageSets = built.suites.map((s) => ({ name: s.suite, images: s.images }));
    board.line(`${scenarios.length} scenarios × ${imageSets.length} suites (${DEBIAN_SUITES.join(', ')}), concurrency ${opts.concurrency}`);
    report = await runMatrix({ scenarios, imageSets, concurrency: opts.concurrency, start: startTopology, mode: 'containers', board });
  } finally {
    const { left } = await prepared.finish();
    if (left.length > 0) say(`left behind: ${left.map((r) => r.name).join(', ')} (ws-proxy-bench sweep removes them)`);
  }
  if (opts.merge) {
    report = mergeReports(JSON.parse(readFileSync(previousFile, 'utf8')) as Report, report, catalog.map((c) => c.id));
    say(`merged ${scenarios.length} re-run scenarios into the last full run`);
  }
  const file = writeResults('matrix', report);
  say(`wrote ${file}`);
  return writeDocs(report, whole);
}

/** The docs from a run's report (the whole catalog's), and the verdict: 1 when a difference or a failure is unexplained. */
async function writeDocs(report: Report, whole: boolean): Promise<number> {
  const machine = await describeMachine([]);
  const differences = findDifferences(report, DEBIAN_SUITES, COMPATIBILITY_NOTES);
  const unexplained = differences.filter((d) => d.explanation === undefined);
  for (const d of differences) say(`${d.explanation ? 'differs' : 'UNEXPLAINED'}: ${d.scenario} ${d.check}: ${DEBIAN_SUITES.map((s) => `${s} ${d.cells[s]}`).join('; ')}`);
  if (whole) {
    writeFileSync(projectPath('docs/compatibility.md'), renderCompatibility(report, DEBIAN_SUITES, machine, COMPATIBILITY_NOTES));
    const versions = [...(versionsBySet(report, [DEFAULT_SUITE]).get(DEFAULT_SUITE) ?? [])].map(([kind, v]) => `${kind} ${v}`).join(', ');
    const readme = projectPath('README.md');
    writeFileSync(readme, replaceBetween(readFileSync(readme, 'utf8'), README_MATRIX_BEGIN, README_MATRIX_END, renderReadmeMatrix(report, DEFAULT_SUITE, versions)));
    for (const name of readdirSync(projectPath('docs')).filter((n) => n.endsWith('.md'))) {
      const page = projectPath(`docs/${name}`);
      const text = readFileSync(page, 'utf8');
      if (measuredMarkers(text).length > 0) writeFileSync(page, fillMeasuredSections(text, report, DEBIAN_SUITES, machine));
    }
    say('wrote docs/compatibility.md, the README matrix and every measured section of docs/');
  }
  const failedUnexplained = report.scenarios.filter((s) => s.status === 'fail' && !s.checks.every((c) => c.status !== 'fail' || COMPATIBILITY_NOTES[`${s.scenario} ${c.check}`]));
  say(`${report.counts.checks.pass} checks passed, ${report.counts.checks.fail} failed; ${differences.length} differences between versions (${unexplained.length} unexplained); ${(report.durationMs / 1000).toFixed(0)} s`);
  return unexplained.length === 0 && failedUnexplained.length === 0 ? 0 : 1;
}

runBench('bench:matrix', main);
