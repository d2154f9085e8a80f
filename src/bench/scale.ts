/**
 * `npm run bench:scale`: many idle WebSockets held through each front, one front at a time
 * (default: 100,000 through nginx, 20,000 through every other front), opened in batches by load
 * generators on the bench network, held (default 60 s once all are open) with the app pinging
 * each every 30 s and the front's idle timeout at one and a half ping intervals (scale-hold.ts):
 * every connection is held longer than that, so only the pings keep them. The next front's
 * containers start during a hold; its connections only once the front before is gone.
 * Counted at both ends: the generators' opens and drops, the apps' upgrades and open
 * connections. Memory per connection for the fronts and the apps (cgroups, process rss).
 * How many containers of each part it takes is planned from the machine's limits
 * (scale-plan.ts); a count the machine cannot hold is refused before anything starts.
 * Prints the figures, writes bench-results/scale.json and its section of docs/perf.md.
 */
import { createNetwork } from '../containers/runtime.js';
import { FRONT_KINDS, frontDescriptor, type FrontKind } from '../fronts/index.js';
import { duration, integer, option, optionsHelp, resolveOptions } from '../options.js';
import { describeMachine, machineLines } from './machine.js';
import { changedFlags, markdownTable, textTable, writeResults, writeSectionIfDefaults } from './perf-doc.js';
import { runBench, startBenchRun } from './run-containers.js';
import { fleetMemory, scaleProblems, startFleet, untilOpened, type AppTotals, type Fleet, type GeneratorTotals } from './scale-fleet.js';
import { batchOption, frontsOption, planFronts, SCALE_BUNDLES } from './scale-options.js';
import { PORTS_PER_DESTINATION, SCALE_SYSCTLS, type MachineLimits, type ScalePlan } from './scale-plan.js';
import { holdClaim, holdIdleTimeoutSeconds, holdShowsPings } from './scale-hold.js';
import { openStage } from './stage.js';

/** The targets of the issue this bench answers: 100,000 through nginx, 20,000 through each other front. */
export const DEFAULT_CONNECTIONS: Readonly<Record<FrontKind, number>> = Object.fromEntries(
  FRONT_KINDS.map((k) => [k, k === 'nginx' ? 100_000 : 20_000]),
) as Record<FrontKind, number>;

const specs = {
  front: frontsOption,
  connections: option({ flag: '--connections', default: 0, ...integer(0, 1_000_000), help: 'idle WebSockets to hold through each front (default: 100000 through nginx, 20000 through the others)' }),
  duration: option({ flag: '--duration', default: 60_000, ...duration('s', 600_000), help: 'how long to hold them once all are open' }),
  // 30 s, as deployments holding this many do (socket.io pings every 25 s): at 10 s, 100,000
  // connections are 10,000 pings a second, which on 2 cores left pongs later than the app waits.
  pingInterval: option({ flag: '--ping-interval', default: 30_000, ...duration('s', 120_000), help: "the app's keepalive ping interval (the front's idle timeout is 1.5 of them)" }),
  batch: batchOption,
};

const log = (line: string): void => console.log(`[bench:scale] ${line}`);
const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const kib = (bytes: number): string => (Number.isFinite(bytes) ? `${(bytes / 1024).toFixed(1)} KiB` : 'n/a');

interface FrontResult {
  kind: FrontKind;
  version: string;
  node: string;
  plan: ScalePlan;
  generators: GeneratorTotals;
  app: AppTotals;
  heldSeconds: number;
  memoryBefore: Awaited<ReturnType<typeof fleetMemory>>;
  memoryAfter: Awaited<ReturnType<typeof fleetMemory>>;
  appHeapBefore: number;
  perConnection: { frontCgroup: number; frontRss: number; appCgroup: number; appRss: number; appHeap: number };
  ok: boolean;
  problems: string[];
}

type ScaleOpts = { duration: number; pingInterval: number; batch: number };

/**
 * A front's containers, starting: its apps and fronts (no generator yet, so no connection goes
 * through it), registered to be stopped together, on a network of their own: two fronts' fleets
 * exist at once during a hold, and each finds its apps and its containers by the same aliases.
 */
interface FleetStage {
  kind: FrontKind;
  plan: ScalePlan;
  fleet: Promise<Fleet>;
  /** Stops what started, once the start has settled. */
  stop(): Promise<void>;
}

function startFleetStage(kind: FrontKind, plan: ScalePlan, opts: ScaleOpts): FleetStage {
  const say = (line: string): void => log(`${kind}: ${line}`);
  const step = openStage();
  const network = createNetwork();
  const fleet = network.then((net) => startFleet({ network: net, track: step.track }, {
    kind, plan, pingIntervalMs: opts.pingInterval, idleTimeoutSeconds: holdIdleTimeoutSeconds(opts.pingInterval), batch: opts.batch, log: say,
  }));
  fleet.catch(() => {}); // awaited by measureFront; a stop after a failed start still stops what did start
  return {
    kind, plan, fleet,
    stop: async () => {
      await fleet.catch(() => {});
      await step.stop((err) => say(`stopping a container failed: ${String(err)}`));
      await network.then((net) => net.stop()).catch((err: unknown) => say(`removing its network failed: ${String(err)}`));
    },
  };
}

/**
 * Measures one front through its fleet, then stops the fleet. `startNext` is called as the hold
 * begins: the next front's containers start while this one's connections are held (starting
 * containers costs the machine a few seconds of CPU; nothing goes through them until their own
 * generators start, after this fleet is gone).
 */
async function measureFront(stage: FleetStage, opts: ScaleOpts, startNext: () => void): Promise<FrontResult> {
  const { kind, plan } = stage;
  const say = (line: string): void => log(`${kind}: ${line}`);
  let stopFrom = Number.NaN;
  try {
    const fleet = await stage.fleet;
    const version = await (fleet.fronts[0] as (typeof fleet.fronts)[number]).version();
    const node = (await (fleet.apps[0] as (typeof fleet.apps)[number]).nodeVersion?.()) ?? "unknown";
    await new Promise((r) => setTimeout(r, 1_000));
    const memoryBefore = await fleetMemory(fleet);
    const appBefore = await fleet.appStats();
    say(`${frontDescriptor(kind).title} ${version}, app on Node.js ${node}; opening ${plan.connections} WebSockets (${opts.batch} at a time per generator)`);
    await fleet.startGenerators();
    const opened = await untilOpened(fleet, Math.max(60_000, (plan.connections / 200) * 1_000), say);
    say(`opened ${opened.opened}/${plan.connections} in ${opened.openSeconds.toFixed(1)} s${opened.failed ? `, ${opened.failed} failed: ${opened.lastError}` : ''}; holding ${opts.duration / 1000} s`);
    const holdStarted = performance.now();
    startNext();
    while (performance.now() - holdStarted < opts.duration) {
      await new Promise((r) => setTimeout(r, Math.min(10_000, opts.duration - (performance.now() - holdStarted))));
      const s = await fleet.generatorStatus();
      say(`held ${((performance.now() - holdStarted) / 1000).toFixed(0)} s: ${s.opened - s.dropped} open, ${s.dropped} dropped`);
    }
    const holdEnded = performance.now();
    const heldSeconds = (holdEnded - holdStarted) / 1000;
    const generators = await fleet.generatorStatus();
    const app = await fleet.appStats();
    const memoryAfter = await fleetMemory(fleet);
    const held = generators.opened - generators.dropped;
    const per = (after: number, before: number): number => (held > 0 ? (after - before) / held : Number.NaN);
    const problems = scaleProblems(plan.connections, generators, app);
    if (problems.length > 0) {
      const trouble = await fleet.frontErrors();
      say(trouble.length > 0 ? `the fronts logged ${trouble.length} line(s) of trouble; the last ones:\n${trouble.slice(-8).join('\n')}` : 'the fronts logged no errors');
    }
    stopFrom = performance.now();
    say(`figures read ${((stopFrom - holdEnded) / 1000).toFixed(1)} s after the hold; stopping its containers`);
    return {
      kind, version, node, plan, generators, app, heldSeconds, memoryBefore, memoryAfter, appHeapBefore: appBefore.heapUsed,
      perConnection: {
        frontCgroup: per(memoryAfter.frontCgroup, memoryBefore.frontCgroup),
        frontRss: per(memoryAfter.frontRss, memoryBefore.frontRss),
        appCgroup: per(memoryAfter.appCgroup, memoryBefore.appCgroup),
        appRss: per(memoryAfter.appRss, memoryBefore.appRss),
        appHeap: per(app.heapUsed, appBefore.heapUsed),
      },
      ok: problems.length === 0,
      problems,
    };
  } finally {
    await stage.stop();
    if (Number.isFinite(stopFrom)) say(`its containers stopped in ${((performance.now() - stopFrom) / 1000).toFixed(1)} s`);
  }
}

function containersText(p: ScalePlan): string {
  const fronts = `${p.fronts} front${p.fronts > 1 ? 's' : ''}${p.workersPerFront > 1 ? ` of ${p.workersPerFront} ${p.fronts > 1 ? 'processes each' : 'workers'}` : ''}`;
  return `${fronts}, ${p.apps} app${p.apps > 1 ? 's' : ''}, ${p.generators} generator${p.generators > 1 ? 's' : ''}`;
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help')) {
    console.log(`Usage: npm run bench:scale -- [options]\n\n${optionsHelp(specs)}`);
    return 0;
  }
  const opts = resolveOptions(specs, { argv, command: 'bench:scale' });
  if (!holdShowsPings(opts.duration, opts.pingInterval)) log(`note: ${holdClaim(opts.duration, opts.pingInterval)} (hold longer than ${holdIdleTimeoutSeconds(opts.pingInterval)} s for that)`);
  const started = Date.now();
  const run = await startBenchRun(log, SCALE_BUNDLES);
  const results: FrontResult[] = [];
  let limits: MachineLimits;
  try {
    const planned = await planFronts(opts.front, (kind) => opts.connections || DEFAULT_CONNECTIONS[kind], log);
    limits = planned.limits;
    const { plans } = planned;
    let next: FleetStage | undefined;
    try {
      for (const [i, { kind, plan }] of plans.entries()) {
        const current = next ?? startFleetStage(kind, plan, opts);
        next = undefined;
        const following = plans[i + 1];
        results.push(await measureFront(current, opts, () => {
          if (!following) return;
          log(`${following.kind}: starting its containers while ${kind} holds`);
          next = startFleetStage(following.kind, following.plan, opts);
        }));
        const r = results.at(-1) as FrontResult;
        log(`${kind}: ${r.ok ? 'MET' : `NOT MET: ${r.problems.join('; ')}`}`);
      }
    } finally {
      // A front that failed leaves the next one's containers started: stop them too.
      await next?.stop();
    }
  } finally {
    await run.finish();
  }

  const header = ['front', 'held', 'containers', 'opened in', 'handshakes retried', 'dropped', 'apps hold', 'front per conn. (cgroup / rss)', 'app per conn. (cgroup / rss / heap)', 'target'];
  const rows = results.map((r) => [
    `${frontDescriptor(r.kind).title} ${r.version}`,
    `${r.generators.opened - r.generators.dropped}/${r.plan.connections}`,
    containersText(r.plan),
    `${r.generators.openSeconds.toFixed(1)} s`,
    r.generators.retried === 0 ? '0' : `${r.generators.retried} (${Object.entries(r.generators.retryErrors).map(([e, n]) => `${e} ×${n}`).join(', ')})`,
    String(r.generators.dropped),
    String(r.app.openConnections),
    `${kib(r.perConnection.frontCgroup)} / ${kib(r.perConnection.frontRss)}`,
    `${kib(r.perConnection.appCgroup)} / ${kib(r.perConnection.appRss)} / ${kib(r.perConnection.appHeap)}`,
    r.ok ? 'met' : `NOT MET: ${r.problems.join('; ')}`,
  ]);
  const totalSeconds = (Date.now() - started) / 1000;
  console.log(`\n${textTable(header, rows)}\n\nbench:scale took ${totalSeconds.toFixed(0)} s\n`);
  const machine = await describeMachine(['node', ...new Set(results.map((r) => frontDescriptor(r.kind).image.role))]);
  const file = writeResults('scale', { machine, options: opts, limits: limits!, totalSeconds, results });
  const node = results[0]?.node;
  const wrote = writeSectionIfDefaults(changedFlags(specs, opts), 'scale', () => [
    '## Idle connections at scale (`npm run bench:scale`)',
    '',
    ...machineLines(machine, "containers of the node image on the bench network (dist/bench-scale-generator.mjs), the app's Node.js"),
    `- the app: Node.js ${node ?? '?'}; ${holdClaim(opts.duration, opts.pingInterval)}`,
    `- load: generator containers on the bench network (each with its own address), ${opts.batch} connections at a time each, then held ${opts.duration / 1000} s; a handshake that fails is tried again (twice at most) and counted under "handshakes retried"; a drop is any close after the first open, counted by the generators; the apps' upgrades and open connections are counted too`,
    '- one front at a time: the next front\'s apps and front containers start while the one before holds its connections, and its generators (its first connection) only once that one\'s containers are gone',
    `- each process in a container may open ${limits!.filesPerProcess} files (the engine's limit). A proxied WebSocket takes two in the front, one in the app and one in the generator, so the apps and generators run as several containers, nginx as one container of several workers in front of apps sharing one name (it balances over their addresses), and the other fronts, which hold their connections in one process, as several containers, each with an app of its own`,
    `- local ports: the generators and fronts run with net.ipv4.ip_local_port_range ${SCALE_SYSCTLS['net.ipv4.ip_local_port_range']}, and no address opens more than ${PORTS_PER_DESTINATION} connections toward one address and port (half its ports: connect() searches one parity's half before the other, and past it every connect scans the taken ports)`,
    `- the generators' WebSockets answer pings and nothing else (src/bench/idle-websocket.ts, not a full client), so that they cost less than what they measure`,
    `- bench:scale took ${totalSeconds.toFixed(0)} s in all (its target: under 600 s)`,
    '',
    markdownTable(header, rows),
    '',
    'Per connection = (after − before) / connections held, summed over the containers of each part. cgroup is memory.usage_in_bytes (includes page cache); rss the processes\' resident memory (cgroup memory.stat); heap is the apps\' heapUsed from /stats.',
  ].join('\n'));
  log(`wrote ${file}; ${wrote}`);
  return results.every((r) => r.ok) && results.length === opts.front.length ? 0 : 1;
}

runBench('bench:scale', main);
