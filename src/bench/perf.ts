/**
 * `npm run bench:perf`: echo throughput and latency for 1 KiB text messages with 64 concurrent
 * clients, straight to a bare `ws` echo server (the baseline), straight to the app, and through
 * each front, in one run. Both servers run in the same node image; clients connect to the
 * containers' addresses on the bench network (no docker-proxy in the path). Prints a table,
 * writes bench-results/perf.json and its section of docs/perf.md.
 */
import { startEchoApp } from '../containers/app-container.js';
import type { EchoAppHandle, FrontHandle } from '../topology/handles.js';
import type { ImageRole } from '../containers/images.js';
import { integer, list, option, OptionError, optionsHelp, resolveOptions, duration } from '../options.js';
import { frontDescriptor, frontSetup, frontSetups, primarySetups } from '../fronts/index.js';
import { APP_ALIAS, frontVars } from '../topology/values.js';
import { startSetup } from '../containers/topology.js';
import { containerOn, type ContainerUsage } from './container-usage.js';
import { runLoad, type LoadResult } from './load.js';
import { describeMachine, machineLines } from './machine.js';
import { median } from '../probe/echo.js';
import { changedFlags, markdownTable, textTable, writeResults, writeSectionIfDefaults } from './perf-doc.js';
import { compareSpreads, formatSpread, MIN_ROUNDS, ratioSpread, roundOrder, spreadOf, type Spread } from './rounds.js';
import { directWsUrl, runBench, startBenchRun } from './run-containers.js';

/** The fronts measured by default: each kind's reference setup (its correct config). */
const DEFAULT_FRONTS = primarySetups;
/** The app's throughput against the bare ws server's, and the http-front's against nginx's. */
const TARGET_RATIO = 0.9;
/** The front the others are compared with (the one most deployments run). */
const REFERENCE_FRONT = 'nginx';

const specs = {
  clients: option({ flag: '--clients', default: 64, ...integer(1, 1024), help: 'concurrent WebSocket clients, each in a closed loop' }),
  workers: option({ flag: '--workers', default: 1, ...integer(1, 8), help: 'load-generator threads (the check run uses twice as many)' }),
  messageSize: option({ flag: '--message-size', default: 1024, ...integer(1, 1_048_576), help: 'text message size, in bytes' }),
  warmup: option({ flag: '--warmup', default: 2_000, ...duration('s', 60_000), help: 'load before measuring, per target' }),
  duration: option({ flag: '--duration', default: 5_000, ...duration('s', 60_000), help: 'measured time per target (at least 1s)' }),
  rounds: option({
    flag: '--rounds', default: MIN_ROUNDS, ...integer(MIN_ROUNDS, 7),
    help: 'rounds: every target (the baseline, the app, each front) is measured once per round, the order reversed every other round; rows show the median and the range',
  }),
  fronts: option({
    flag: '--fronts', default: [] as string[], ...list(`front setup names (default: ${DEFAULT_FRONTS.join(', ')})`),
    help: 'the fronts to measure',
  }),
};

interface Target {
  name: string;
  via: string;
  url: string;
  /** The containers doing the work (their CPU over the window is reported). */
  containers: ContainerUsage[];
}

interface TargetResult extends LoadResult {
  name: string;
  via: string;
  /** CPU of the serving containers over the window, in % of one core (front + app). */
  serverCpuPercent: number;
  /** Server CPU per echoed message, in µs (front + app): steadier than msg/s on a busy machine. */
  serverCpuUsPerMessage: number;
  /** Each round, when a target was measured more than once. */
  rounds?: { messagesPerSecond: number; p50: number; p99: number }[];
}

const log = (line: string): void => console.log(`[bench:perf] ${line}`);
const fmt = (n: number, digits = 2): string => (Number.isFinite(n) ? n.toFixed(digits) : '-');

async function measure(target: Target, opts: { clients: number; workers: number; messageSize: number; warmup: number; duration: number }): Promise<TargetResult> {
  log(`${target.name}: ${opts.clients} clients on ${opts.workers} worker(s), ${opts.warmup / 1000} s warm-up + ${opts.duration / 1000} s measured (${target.url})`);
  let cpu0 = 0;
  let cpu = 0;
  let t0 = 0;
  let elapsed = 0;
  const sum = async (): Promise<number> => (await Promise.all(target.containers.map((c) => c.cpuNs()))).reduce((a, b) => a + b, 0);
  const result = await runLoad({
    url: target.url,
    clients: opts.clients,
    workers: opts.workers,
    messageBytes: opts.messageSize,
    warmupMs: opts.warmup,
    durationMs: opts.duration,
    onWindow: async (phase) => {
      if (phase === 'start') { cpu0 = await sum(); t0 = performance.now(); } else { cpu = (await sum()) - cpu0; elapsed = performance.now() - t0; }
    },
  });
  const serverCpuPercent = (cpu / 1e6 / elapsed) * 100;
  log(`  ${fmt(result.messagesPerSecond, 0)} msg/s, p50 ${fmt(result.latencyMs.p50)} ms, p99 ${fmt(result.latencyMs.p99)} ms; ` +
    `generator ELU ${result.workerElu.map((e) => fmt(e)).join('/')}, generator CPU ${fmt(result.generatorCpuPercent, 0)}%, servers' CPU ${fmt(serverCpuPercent, 0)}%` +
    (result.errors.length > 0 ? `; errors: ${result.errors.join('; ')}` : ''));
  const serverCpuUsPerMessage = result.messages > 0 ? cpu / 1e3 / result.messages : NaN;
  return { ...result, name: target.name, via: target.via, serverCpuPercent, serverCpuUsPerMessage };
}

/** Several rounds of one target as one row: each figure the median of the rounds (a shared machine is noisy). */
function medianOf(rounds: TargetResult[], name: string): TargetResult {
  const mid = (f: (r: TargetResult) => number): number => median(rounds.map(f));
  const first = rounds[0] as TargetResult;
  return {
    ...first,
    name: rounds.length > 1 ? `${name} (median of ${rounds.length})` : name,
    messages: mid((r) => r.messages),
    messagesPerSecond: mid((r) => r.messagesPerSecond),
    latencyMs: { p50: mid((r) => r.latencyMs.p50), p99: mid((r) => r.latencyMs.p99), mean: mid((r) => r.latencyMs.mean), max: Math.max(...rounds.map((r) => r.latencyMs.max)) },
    workerElu: first.workerElu.map((_, i) => mid((r) => r.workerElu[i] ?? NaN)),
    generatorCpuPercent: mid((r) => r.generatorCpuPercent),
    serverCpuPercent: mid((r) => r.serverCpuPercent),
    serverCpuUsPerMessage: mid((r) => r.serverCpuUsPerMessage),
    errors: rounds.flatMap((r) => r.errors),
    rounds: rounds.map((r) => ({ messagesPerSecond: r.messagesPerSecond, p50: r.latencyMs.p50, p99: r.latencyMs.p99 })),
  };
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help')) {
    console.log(`Usage: npm run bench:perf -- [options]\n\n${optionsHelp(specs)}`);
    return 0;
  }
  const opts = resolveOptions(specs, { argv, command: 'bench:perf' });
  if (opts.duration < 1_000) throw new OptionError(`bench:perf: --duration ${opts.duration} ms is too short to measure; give 1s or more`);
  const fronts = opts.fronts.length > 0 ? opts.fronts : [...DEFAULT_FRONTS];
  const unknown = fronts.filter((f) => !frontSetups.has(f));
  if (unknown.length > 0) throw new OptionError(`bench:perf: unknown --fronts ${unknown.join(', ')}; known: ${[...frontSetups.keys()].join(', ')}`);
  const started = Date.now();
  const run = await startBenchRun(log, ['dist/echo-server.mjs', 'dist/bare-echo.mjs', 'dist/http-front.mjs']);
  try {
    log('starting the bare ws echo server and the app (same node image)');
    const bare: EchoAppHandle = run.track(await startEchoApp({ network: run.network, alias: 'bare', bundle: 'bare-echo.mjs' }));
    const app: EchoAppHandle = run.track(await startEchoApp({ network: run.network, alias: APP_ALIAS }));
    const appUsage = await containerOn(run.network.name, APP_ALIAS);
    const targets: Target[] = [
      { name: 'bare ws (baseline)', via: 'direct', url: directWsUrl(bare), containers: [await containerOn(run.network.name, 'bare')] },
      { name: 'app', via: 'direct', url: directWsUrl(app), containers: [appUsage] },
    ];
    for (const name of fronts) {
      log(`starting front ${name}`);
      const front: FrontHandle = run.track(await startSetup(run.network, frontSetup(name), name, frontVars({ idleTimeoutSeconds: 60 })));
      targets.push({ name: `app via ${name}`, via: name, url: directWsUrl(front), containers: [await containerOn(run.network.name, name), appUsage] });
    }
    const [bareTarget, appTarget] = targets as [Target, Target, ...Target[]];
    const doubledWorkers = opts.workers * 2;
    log(`generator check: the baseline with ${doubledWorkers} workers`);
    const doubled = await measure({ ...bareTarget, name: `bare ws, ${doubledWorkers} workers` }, { ...opts, workers: doubledWorkers });
    // Every target once per round, the order reversed every other round (A B C, C B A, …), so
    // drift on a shared machine falls on every target alike and ratios are taken round by round.
    const measured = new Map<Target, TargetResult[]>(targets.map((t) => [t, []]));
    for (const [i, order] of roundOrder(targets, opts.rounds).entries()) {
      log(`round ${i + 1} of ${opts.rounds}: ${order.map((t) => t.name).join(', ')}`);
      for (const t of order) measured.get(t)?.push(await measure({ ...t, name: `${t.name}, round ${i + 1}` }, opts));
    }
    const roundsOf = (t: Target): TargetResult[] => measured.get(t) ?? [];
    const rates = (t: Target): number[] => roundsOf(t).map((r) => r.messagesPerSecond);
    const results = targets.map((t) => medianOf(roundsOf(t), t.name));
    const rateSpread = new Map<Target, Spread>(targets.map((t) => [t, spreadOf(rates(t))]));
    const vsBaseline = new Map<Target, Spread>(targets.map((t) => [t, ratioSpread(rates(t), rates(bareTarget))]));
    const baseline = results[0] as TargetResult;
    const appDirect = results[1] as TargetResult;

    const ratio = vsBaseline.get(appTarget) as Spread;
    const cpuRatio = appDirect.serverCpuUsPerMessage / baseline.serverCpuUsPerMessage;
    const gain = doubled.messagesPerSecond / baseline.messagesPerSecond - 1;
    const maxElu = Math.max(...baseline.workerElu);
    const generatorOk = gain < 0.1;
    const machine = await describeMachine([...new Set<ImageRole>(['node', ...fronts.map((f) => frontDescriptor(frontSetup(f).kind).image.role)])]);

    const header = ['target', 'msg/s (median, range)', 'vs baseline', 'p50 ms', 'p99 ms', 'max ms', 'servers CPU %', 'server CPU µs/msg', 'generator CPU %', 'worker ELU'];
    const row = (r: TargetResult, rate: string, vs: string): string[] => [
      r.name, rate, vs, fmt(r.latencyMs.p50), fmt(r.latencyMs.p99), fmt(r.latencyMs.max), fmt(r.serverCpuPercent, 0), fmt(r.serverCpuUsPerMessage, 1), fmt(r.generatorCpuPercent, 0), r.workerElu.map((e) => fmt(e)).join('/'),
    ];
    const rows = [
      ...targets.map((t, i) => row(results[i] as TargetResult, formatSpread(rateSpread.get(t) as Spread), formatSpread(vsBaseline.get(t) as Spread, 0, 100, '%'))),
      row(doubled, fmt(doubled.messagesPerSecond, 0), `${fmt((doubled.messagesPerSecond / baseline.messagesPerSecond) * 100, 0)}%`),
    ];
    const reference = targets.find((t) => t.via === REFERENCE_FRONT);
    const comparisons = reference
      ? targets.filter((t) => t.via !== 'direct' && t !== reference).map((t) => {
        const r = ratioSpread(rates(t), rates(reference));
        const word = compareSpreads(rateSpread.get(t) as Spread, rateSpread.get(reference) as Spread);
        const target = t.via === 'http-front' ? `; target ≥ ${TARGET_RATIO * 100}% of nginx's: ${r.median >= TARGET_RATIO ? 'MET' : 'NOT MET'}` : '';
        return `${t.via} vs ${REFERENCE_FRONT}: ${formatSpread(r, 0, 100, '%')} of its throughput, round by round: ${word === 'within the spread' ? 'no difference beyond the spread of the rounds' : word}${target}`;
      })
      : [];
    const verdicts = [
      `app vs bare ws: ${formatSpread(ratio, 1, 100, '%')} of the baseline's throughput, round by round (target: within 10%, i.e. ≥ ${TARGET_RATIO * 100}%): ${ratio.median >= TARGET_RATIO ? 'MET' : 'NOT MET'}; ` +
        `p50 ${fmt(appDirect.latencyMs.p50)} vs ${fmt(baseline.latencyMs.p50)} ms, p99 ${fmt(appDirect.latencyMs.p99)} vs ${fmt(baseline.latencyMs.p99)} ms; ` +
        `server CPU per message ${fmt(appDirect.serverCpuUsPerMessage, 1)} vs ${fmt(baseline.serverCpuUsPerMessage, 1)} µs (${fmt(cpuRatio * 100, 0)}% of the baseline's cost)`,
      ...comparisons,
      `load generator: doubling its workers (${opts.workers} → ${doubledWorkers}) changed the baseline's throughput by ${gain >= 0 ? '+' : ''}${fmt(gain * 100, 1)}% ` +
        `(${generatorOk ? 'under 10%: the generator is not what limits it' : '10% or more: the generator was limiting it'}); ` +
        `its busiest worker's event loop was busy ${fmt(maxElu * 100, 0)}% of the window; the whole generator process used ${fmt(baseline.generatorCpuPercent, 0)}% of a core ` +
        `while the bare server's container used ${fmt(baseline.serverCpuPercent, 0)}% of a core`,
    ];
    console.log(`\n${textTable(header, rows)}\n\n${verdicts.join('\n')}\n`);

    const file = writeResults('perf', { machine, options: { ...opts, fronts }, results, generatorCheck: doubled, ratio: ratio.median, ratioSpread: ratio, cpuPerMessageRatio: cpuRatio, doublingGain: gain, targetRatio: TARGET_RATIO, durationS: (Date.now() - started) / 1000 });
    const wrote = writeSectionIfDefaults(changedFlags(specs, opts), 'perf', () => [
      '## Throughput and latency (`npm run bench:perf`)',
      '',
      ...machineLines(machine),
      `- load: ${opts.clients} clients, each sending a ${opts.messageSize}-byte text message and waiting for its echo before the next (closed loop), ` +
        `${opts.warmup / 1000} s warm-up then ${opts.duration / 1000} s measured per target, one target at a time ` +
        `(${opts.rounds} rounds, every target once per round, the order reversed every other round; each row shows the median and the range of the rounds, ` +
        'its ratio to the baseline is taken round by round, and every round is in bench-results/perf.json); ' +
        "clients connect to each container's address on the bench network (no docker-proxy in the path); the fronts forward to the app",
      '',
      markdownTable(header, rows),
      '',
      ...verdicts.map((v) => `- ${v}`),
      `- every round, msg/s: ${targets.map((t) => `${t.name} ${rates(t).map((v) => fmt(v, 0)).join(', ')}`).join('; ')}`,
      '',
      "\"faster\" or \"slower\" is said only where the ranges of the rounds do not overlap; a smaller difference is noise (2 cores shared by the generator, Docker's network and the servers). " +
        "\"servers CPU\" is the CPU time of the serving containers (front + app) over the window, from their cgroups, and \"server CPU µs/msg\" the same per echoed message; \"worker ELU\" is each load-generator thread's event-loop utilization (1 = saturated).",
    ].join('\n'));
    log(`wrote ${file}; ${wrote}; in ${fmt((Date.now() - started) / 1000, 0)} s`);
    return 0;
  } finally {
    await run.finish();
  }
}

runBench('bench:perf', main);
