/**
 * `npm run bench:keepalive`: what keepalive pings cost. For each front (one at a time) and each
 * ping interval (none, 1 s, 10 s, 30 s by default), 10,000 WebSockets are opened through the
 * front by load generators on the bench network and held idle while the app pings each at that
 * interval; the CPU time the fronts and the apps use over a whole number of intervals (at least
 * 10 s) is read from their cgroups, as % of one core. The row without pings is the cost of
 * holding the connections; the difference is the pings'. Containers are sized as bench:scale
 * sizes them (scale-plan.ts). Prints the figures, writes bench-results/keepalive.json and the
 * generated section of docs/keepalive-interval.md.
 */
import { existsSync, readFileSync } from 'node:fs';
import { frontDescriptor, type FrontKind } from '../fronts/index.js';
import { boolean, integer, list, option, OptionError, optionsHelp, resolveOptions } from '../options.js';
import { projectPath } from '../paths.js';
import { describeMachine, machineLines, type Machine } from './machine.js';
import { changedFlags, markdownTable, textTable, writeResults, writeSectionIfDefaults } from './perf-doc.js';
import { runBench, startBenchRun, type BenchRun } from './run-containers.js';
import { fleetCpuNs, startFleet, untilOpened } from './scale-fleet.js';
import { batchOption, frontsOption, planFronts, SCALE_BUNDLES } from './scale-options.js';
import type { MachineLimits, ScalePlan } from './scale-plan.js';
import { stage } from './stage.js';
import { intervalMs, MIN_WINDOW_MS, windowMs } from './keepalive-window.js';

const isInterval = (s: string): boolean => /^(none|\d+s)$/.test(s) && s !== '0s';

const specs = {
  front: frontsOption,
  connections: option({ flag: '--connections', default: 10_000, ...integer(100, 100_000), help: 'idle WebSockets held through each front' }),
  intervals: option({ flag: '--intervals', default: ['none', '1s', '10s', '30s'], ...list("ping intervals ('none', or whole seconds such as 10s)", isInterval, true), help: "the app's ping intervals to measure" }),
  batch: batchOption,
  docsOnly: option({ flag: '--docs-only', default: false, bare: true, ...boolean, help: "measure nothing: render docs/keepalive-interval.md's section again from the last run's bench-results/keepalive.json" }),
};

const log = (line: string): void => console.log(`[bench:keepalive] ${line}`);
interface Measured {
  kind: FrontKind;
  version: string;
  interval: string;
  plan: ScalePlan;
  windowS: number;
  /** CPU over the window, % of one core, summed over the containers of each part. */
  frontCpuPercent: number;
  appCpuPercent: number;
  pingsInWindow: number;
  held: number;
  dropped: number;
}

async function measure(run: BenchRun, kind: FrontKind, interval: string, plan: ScalePlan, batch: number): Promise<Measured> {
  const say = (line: string): void => log(`${kind}, pings ${interval}: ${line}`);
  const pingIntervalMs = intervalMs(interval);
  return stage(async (track) => {
    const idleTimeoutSeconds = Math.max(60, Math.ceil((3 * pingIntervalMs) / 1000));
    const fleet = await startFleet({ network: run.network, track }, { kind, plan, pingIntervalMs, idleTimeoutSeconds, batch, log: say });
    const version = await (fleet.fronts[0] as (typeof fleet.fronts)[number]).version();
    await fleet.startGenerators();
    const opened = await untilOpened(fleet, 120_000, say);
    // Let the opening's own work settle; the window is a whole number of intervals, so it holds
    // one ping per connection per interval however the pings fall.
    await new Promise((r) => setTimeout(r, 2_000));
    const window = windowMs(pingIntervalMs);
    const cpu0 = await fleetCpuNs(fleet);
    const pings0 = (await fleet.appStats()).pingsSent;
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, window));
    const cpu1 = await fleetCpuNs(fleet);
    const seconds = (performance.now() - t0) / 1000;
    const app = await fleet.appStats();
    const end = await fleet.generatorStatus();
    const m: Measured = {
      kind, version, interval, plan, windowS: seconds,
      frontCpuPercent: ((cpu1.fronts - cpu0.fronts) / 1e9 / seconds) * 100,
      appCpuPercent: ((cpu1.apps - cpu0.apps) / 1e9 / seconds) * 100,
      pingsInWindow: app.pingsSent - pings0,
      held: end.opened - end.dropped,
      dropped: end.dropped + (plan.connections - opened.opened),
    };
    say(`front ${m.frontCpuPercent.toFixed(1)} %, app ${m.appCpuPercent.toFixed(1)} % of a core over ${seconds.toFixed(1)} s (${m.pingsInWindow} pings); ${m.held} held, ${m.dropped} lost`);
    return m;
  }, (err) => say(`stopping a container failed: ${String(err)}`));
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help')) {
    console.log(`Usage: npm run bench:keepalive -- [options]\n\n${optionsHelp(specs)}`);
    return 0;
  }
  const opts = resolveOptions(specs, { argv, command: 'bench:keepalive' });
  if (opts.docsOnly) {
    const previous = projectPath('bench-results/keepalive.json');
    if (!existsSync(previous)) throw new OptionError(`bench:keepalive: --docs-only needs a run's ${previous}; run \`npm run bench:keepalive\` once first`);
    log(`${writeDoc(JSON.parse(readFileSync(previous, 'utf8')) as SavedRun)}, from ${previous}`);
    return 0;
  }
  const started = Date.now();
  const run = await startBenchRun(log, SCALE_BUNDLES);
  const results: Measured[] = [];
  let limits: MachineLimits | undefined;
  try {
    const planned = await planFronts(opts.front, () => opts.connections, log);
    limits = planned.limits;
    const { plans } = planned;
    for (const { kind, plan } of plans) {
      for (const interval of opts.intervals) results.push(await measure(run, kind, interval, plan, opts.batch));
    }
  } finally {
    await run.finish();
  }
  const totalSeconds = (Date.now() - started) / 1000;
  const machine = await describeMachine(['node', ...new Set(results.map((r) => frontDescriptor(r.kind).image.role))]);
  const saved: SavedRun = { machine, options: opts, limits, totalSeconds, results };
  const file = writeResults('keepalive', saved);
  log(`wrote ${file}; ${writeDoc(saved)}`);
  return results.every((r) => r.dropped === 0) ? 0 : 1;
}

/** What a run wrote to bench-results/keepalive.json, from which its doc section is rendered. */
interface SavedRun {
  machine: Machine;
  options: { connections: number };
  limits: MachineLimits | undefined;
  totalSeconds: number;
  results: Measured[];
}

/** Prints the run's table and writes the docs' section from it (a run of the defaults only); says what it wrote. */
function writeDoc(run: SavedRun): string {
  const header = ['front', 'pings every', 'front CPU', 'app CPU', 'pings/s at the app', 'held'];
  const rows = run.results.map((r) => [
    `${frontDescriptor(r.kind).title} ${r.version}`,
    r.interval === 'none' ? 'no pings' : r.interval,
    `${r.frontCpuPercent.toFixed(1)} %`,
    `${r.appCpuPercent.toFixed(1)} %`,
    (r.pingsInWindow / r.windowS).toFixed(0),
    `${r.held}/${r.plan.connections}`,
  ]);
  console.log(`\n${textTable(header, rows)}\n\nbench:keepalive took ${run.totalSeconds.toFixed(0)} s\n`);
  return writeSectionIfDefaults(changedFlags(specs, run.options), 'keepalive', () => [
    '## What the pings cost (`npm run bench:keepalive`)',
    '',
    ...machineLines(run.machine, "containers of the node image on the bench network (dist/bench-scale-generator.mjs), the app's Node.js"),
    `- ${run.options.connections} idle WebSockets through each front, opened by load generator containers on the bench network; the app pings each at the interval of the row; CPU read from the containers' cgroups over a whole number of intervals (at least ${MIN_WINDOW_MS / 1000} s), in % of one core, summed over each part's containers (containers sized as bench:scale sizes them)`,
    '- "no pings" is the cost of holding the connections; the pings cost the difference. The front forwards each ping and its pong; the app sends the pings and reads the pongs',
    `- bench:keepalive took ${run.totalSeconds.toFixed(0)} s in all`,
    '',
    markdownTable(header, rows),
  ].join('\n'), projectPath('docs/keepalive-interval.md'));
}

runBench('bench:keepalive', main);
