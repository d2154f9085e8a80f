/**
 * A scale run's containers for one front kind, as a ScalePlan sizes them: the apps, the front
 * containers, then the load generators (which start opening as soon as they run), all on the
 * run's network; and what the benches read from them: the generators' counts, the apps' stats,
 * each part's memory and CPU from its cgroups, the versions.
 */
import { frontDescriptor, frontSetup, type FrontKind } from '../fronts/index.js';
import { upstreamVars, workerLimits } from '../fronts/vars.js';
import { startEchoApp } from '../containers/app-container.js';
import { startSetup } from '../containers/topology.js';
import type { EchoStats } from '../echo/stats.js';
import type { EchoAppHandle, FrontHandle } from '../topology/handles.js';
import { APP_ALIAS, frontVars } from '../topology/values.js';
import { containersOn, summed, type ContainerUsage } from './container-usage.js';
import type { BenchRun } from './run-containers.js';
import { SCALE_SYSCTLS, type ScalePlan } from './scale-plan.js';
import type { ScaleGeneratorStatus } from './scale-status.js';

const APP_PORT = 8080;
const GENERATOR_BUNDLE = 'bench-scale-generator.mjs';

export interface FleetOptions {
  kind: FrontKind;
  plan: ScalePlan;
  /** The app's keepalive ping interval, in ms (0: none). */
  pingIntervalMs: number;
  idleTimeoutSeconds: number;
  /** Connections each generator opens at a time. */
  batch: number;
  log: (line: string) => void;
}

export interface Fleet {
  fronts: FrontHandle[];
  apps: EchoAppHandle[];
  usage: { fronts: ContainerUsage[]; apps: ContainerUsage[] };
  /** Starts the generators: from then on they open their connections. */
  startGenerators(): Promise<void>;
  generatorStatus(): Promise<GeneratorTotals>;
  appStats(): Promise<AppTotals>;
  /** The fronts' log lines that report trouble (errors, limits reached). */
  frontErrors(): Promise<string[]>;
}

/** Log lines of a front that say something went wrong: nginx's [error]/[alert]/[crit], httpd's AH… errors, limits. */
const FRONT_TROUBLE = /\[(?:error|alert|crit|emerg)\]|\bAH\d{5}\b|not enough|too many open files|server reached|ERROR|WARNING/i;

/**
 * A read of a container's HTTP endpoint while the machine is saturated by opening connections:
 * one that times out is tried again (three times at most), as the bench must not end on a slow
 * answer from its own instruments.
 */
async function patiently<T>(what: string, read: () => Promise<T>, log: (line: string) => void): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (err) {
      if (attempt >= 3) throw new Error(`reading ${what} failed ${attempt} times: ${err instanceof Error ? err.message : String(err)}`);
      log(`reading ${what} failed (${err instanceof Error ? err.message : String(err)}); trying again`);
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
}

export interface GeneratorTotals {
  wanted: number;
  opened: number;
  failed: number;
  retried: number;
  retryErrors: Record<string, number>;
  dropped: number;
  closeCodes: Record<string, number>;
  lastError: string | null;
  opening: boolean;
  /** The slowest generator's time to open its share. */
  openSeconds: number;
}

export interface AppTotals {
  upgradesReceived: number;
  openConnections: number;
  pingsSent: number;
  pongsReceived: number;
  pingTimeouts: number;
  rss: number;
  heapUsed: number;
}

export function addGeneratorStatuses(all: readonly ScaleGeneratorStatus[]): GeneratorTotals {
  const closeCodes: Record<string, number> = {};
  const retryErrors: Record<string, number> = {};
  for (const s of all) {
    for (const [code, n] of Object.entries(s.closeCodes)) closeCodes[code] = (closeCodes[code] ?? 0) + n;
    for (const [error, n] of Object.entries(s.retryErrors)) retryErrors[error] = (retryErrors[error] ?? 0) + n;
  }
  return {
    wanted: all.reduce((n, s) => n + s.wanted, 0),
    opened: all.reduce((n, s) => n + s.opened, 0),
    failed: all.reduce((n, s) => n + s.failed, 0),
    retried: all.reduce((n, s) => n + s.retried, 0),
    retryErrors,
    dropped: all.reduce((n, s) => n + s.dropped, 0),
    closeCodes,
    lastError: all.find((s) => s.lastError)?.lastError ?? null,
    opening: all.some((s) => s.opening),
    openSeconds: Math.max(0, ...all.map((s) => s.openSeconds)),
  };
}

export function addAppStats(all: readonly EchoStats[]): AppTotals {
  const sum = (read: (s: EchoStats) => number): number => all.reduce((n, s) => n + read(s), 0);
  return {
    upgradesReceived: sum((s) => s.upgradesReceived),
    openConnections: sum((s) => s.openConnections),
    pingsSent: sum((s) => s.pingsSent),
    pongsReceived: sum((s) => s.pongsReceived),
    pingTimeouts: sum((s) => s.pingTimeouts),
    rss: sum((s) => s.memory.rss),
    heapUsed: sum((s) => s.memory.heapUsed),
  };
}

/** What a front's figures must show for the target to be met: every one opened, none dropped, the apps agreeing. */
export function scaleProblems(wanted: number, g: GeneratorTotals, app: AppTotals): string[] {
  const problems: string[] = [];
  if (g.opened !== wanted) problems.push(`${g.opened}/${wanted} opened (${g.failed} failed${g.lastError ? `: ${g.lastError}` : ''})`);
  if (g.dropped > 0) problems.push(`${g.dropped} dropped (close codes ${JSON.stringify(g.closeCodes)})`);
  if (app.upgradesReceived !== wanted) problems.push(`the apps took ${app.upgradesReceived} upgrades, not ${wanted}`);
  if (app.openConnections !== g.opened - g.dropped) problems.push(`the apps hold ${app.openConnections}, the generators ${g.opened - g.dropped}`);
  return problems;
}

/**
 * The alias of app `i`, and the one front `i` proxies to: behind a single front all apps share
 * one name (nginx balances over its addresses), otherwise each front has an app of its own.
 */
function appAliasFor(plan: ScalePlan, i: number): string {
  return plan.fronts === 1 ? APP_ALIAS : `${APP_ALIAS}-${i + 1}`;
}

/** `run`: the network to start on, and where each container is registered to be stopped. */
export async function startFleet(run: Pick<BenchRun, 'network' | 'track'>, opts: FleetOptions): Promise<Fleet> {
  const { plan, log } = opts;
  const setup = frontSetup(frontDescriptor(opts.kind).scaleSetup ?? opts.kind);
  log(`${opts.kind}: ${plan.apps} app container(s), ${plan.fronts} front container(s)` +
    `${plan.workersPerFront > 1 ? ` of ${plan.workersPerFront} workers × ${plan.workerConnections} connections` : ''} (setup ${setup.name}), ` +
    `${plan.generators} load generator(s) for ${plan.connections} WebSockets`);
  // No line per connection: a hundred thousand of them kept dockerd's log plumbing busier than nginx.
  const appEnv = { ECHO_KEEPALIVE_INTERVAL_MS: String(opts.pingIntervalMs), ECHO_LOG_FORMAT: 'quiet' };
  // The apps all at once, then the fronts all at once (a front resolves its app's name as it starts).
  const apps = await Promise.all(Array.from({ length: plan.apps }, async (_, i) =>
    run.track(await startEchoApp({ network: run.network, alias: appAliasFor(plan, i), env: appEnv, nofile: plan.nofile.app }))));
  const fronts: FrontHandle[] = await Promise.all(Array.from({ length: plan.fronts }, async (_, i) => {
    const vars = {
      ...frontVars({ idleTimeoutSeconds: opts.idleTimeoutSeconds }),
      ...upstreamVars(appAliasFor(plan, i), APP_PORT),
      ...workerLimits(plan.workerConnections, plan.workersPerFront),
    };
    return run.track(await startSetup(run.network, setup, `front-${i + 1}`, vars, { nofile: plan.nofile.front, sysctls: SCALE_SYSCTLS }));
  }));
  const usage = {
    fronts: (await Promise.all(fronts.map((f) => containersOn(run.network.name, f.alias)))).flat(),
    apps: (await Promise.all([...new Set(apps.map((a) => a.alias))].map((alias) => containersOn(run.network.name, alias)))).flat(),
  };
  if (usage.fronts.length !== plan.fronts || usage.apps.length !== plan.apps) {
    throw new Error(`found ${usage.fronts.length} front and ${usage.apps.length} app containers on ${run.network.name}; the plan has ${plan.fronts} and ${plan.apps}`);
  }
  const targets = fronts.map((f) => `ws://${f.alias}:8080/ws`).join(',');
  const generators: EchoAppHandle[] = [];
  return {
    fronts,
    apps,
    usage,
    startGenerators: async () => {
      generators.push(...await Promise.all(plan.perGenerator.map(async (count, i) => run.track(await startEchoApp({
        network: run.network, alias: `gen-${i + 1}`, bundle: GENERATOR_BUNDLE, nofile: plan.nofile.generator, sysctls: SCALE_SYSCTLS,
        env: { SCALE_TARGETS: targets, SCALE_COUNT: String(count), SCALE_BATCH: String(opts.batch) },
      })))));
    },
    generatorStatus: async () => addGeneratorStatuses(await Promise.all(generators.map((g) => patiently(`${g.alias}'s /status`, () => g.json('/status') as Promise<ScaleGeneratorStatus>, log)))),
    appStats: async () => addAppStats(await Promise.all(apps.map((a) => patiently(`${a.alias}'s /stats`, () => a.stats(), log)))),
    frontErrors: async () => (await Promise.all(fronts.map((f) => f.logs()))).join('\n').split('\n').filter((l) => FRONT_TROUBLE.test(l)),
  };
}

/** Memory of a fleet's fronts and apps now: cgroup usage and the processes' rss, each summed. */
export async function fleetMemory(fleet: Fleet): Promise<{ frontCgroup: number; frontRss: number; appCgroup: number; appRss: number }> {
  return {
    frontCgroup: await summed(fleet.usage.fronts, (u) => u.memoryBytes()),
    frontRss: await summed(fleet.usage.fronts, (u) => u.rssBytes()),
    appCgroup: await summed(fleet.usage.apps, (u) => u.memoryBytes()),
    appRss: await summed(fleet.usage.apps, (u) => u.rssBytes()),
  };
}

/** CPU time the fleet's fronts and apps have used so far, in ns, each summed. */
export async function fleetCpuNs(fleet: Fleet): Promise<{ fronts: number; apps: number }> {
  return { fronts: await summed(fleet.usage.fronts, (u) => u.cpuNs()), apps: await summed(fleet.usage.apps, (u) => u.cpuNs()) };
}

/**
 * Waits until every generator has opened its share (or failed to), printing progress every 5 s;
 * bounded by `timeoutMs`.
 */
export async function untilOpened(fleet: Fleet, timeoutMs: number, log: (line: string) => void): Promise<GeneratorTotals> {
  const started = performance.now();
  let lastLog = started;
  for (;;) {
    const s = await fleet.generatorStatus();
    if (!s.opening) return s;
    if (performance.now() - started > timeoutMs) throw new Error(`the generators opened ${s.opened}/${s.wanted} WebSockets in ${(timeoutMs / 1000).toFixed(0)} s and were still opening (${s.failed} failed${s.lastError ? `: ${s.lastError}` : ''})`);
    if (performance.now() - lastLog >= 5_000) {
      lastLog = performance.now();
      log(`opened ${s.opened}/${s.wanted} (${((lastLog - started) / 1000).toFixed(0)} s)${s.failed ? `, ${s.failed} failed: ${s.lastError}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}
