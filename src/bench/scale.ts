/**
 * `npm run bench:scale`: N idle WebSockets (default 10,000) held through the nginx front for a
 * while (default 60 s) with the app pinging each every 10 s and nginx's idle timeout at three
 * ping intervals, so only the pings keep them open. Reports how many were dropped (target 0),
 * the app's memory per connection (its /stats and its container's cgroup) and nginx's.
 * Prints the figures, writes bench-results/scale.json and its section of docs/perf.md.
 */
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { startEchoApp } from '../containers/app-container.js';
import { duration, integer, option, OptionError, optionsHelp, resolveOptions } from '../options.js';
import { frontSetup } from '../fronts/index.js';
import { workerLimits } from '../fronts/vars.js';
import { APP_ALIAS, frontVars } from '../topology/values.js';
import { startSetup } from '../containers/topology.js';
import { containerOn } from './container-usage.js';
import { describeMachine, machineLines } from './machine.js';
import { markdownTable, textTable, writeResults, writeSection } from './perf-doc.js';
import { directWsUrl, runBench, startBenchRun } from './run-containers.js';

const MAX_CONNECTIONS = 50_000;
const FRONT = 'nginx';
/**
 * Open files one process in a container may have. Docker hands containers its own limit (20000
 * on the project's machines) and cannot raise it without CAP_SYS_RESOURCE, so nginx spreads the
 * connections over enough workers (each proxied WebSocket takes two files) to stay under it.
 */
const FILES_PER_PROCESS = 19_000;

const specs = {
  connections: option({ flag: '--connections', default: 10_000, ...integer(1, MAX_CONNECTIONS), help: 'idle WebSockets to hold' }),
  duration: option({ flag: '--duration', default: 60_000, ...duration('s', 600_000), help: 'how long to hold them once all are open' }),
  pingInterval: option({ flag: '--ping-interval', default: 10_000, ...duration('s', 120_000), help: "the app's keepalive ping interval (nginx's idle timeout is 3 of them)" }),
  batch: option({ flag: '--batch', default: 200, ...integer(1, 5_000), help: 'connections opened at a time (more than the listen backlog, 511, risks resets)' }),
};

const log = (line: string): void => console.log(`[bench:scale] ${line}`);
const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

/** The soft open-files limit of this process (it needs one per connection). */
function openFilesLimit(): number {
  const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
  const soft = line?.split(/\s{2,}/)[1];
  return soft === undefined || soft === 'unlimited' ? Infinity : Number(soft);
}

function localPorts(): number {
  try {
    const [lo, hi] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return (hi ?? 0) - (lo ?? 0) + 1;
  } catch {
    return 28_232;
  }
}

function openOne(url: string, onDrop: (code: number) => void): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: 20_000 });
    ws.once('open', () => {
      ws.off('error', reject);
      ws.on('error', () => {});
      ws.once('close', (code) => onDrop(code));
      resolve(ws);
    });
    ws.once('error', reject);
  });
}

/** Docker refuses an open-files limit above its own: say which limit and what to do. */
function rlimitHint(err: unknown, wanted: number): Error {
  const message = err instanceof Error ? err.message : String(err);
  if (!/rlimit/i.test(message)) return err instanceof Error ? err : new Error(message);
  return new Error(`the app needs ${wanted} open files (one per connection) but Docker cannot give a container more than its own limit ` +
    `(see "Max open files" in /proc/$(pidof dockerd)/limits): use fewer --connections, or raise dockerd's LimitNOFILE. (${message.split('\n')[0]})`);
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help')) {
    console.log(`Usage: npm run bench:scale -- [options]\n\n${optionsHelp(specs)}`);
    return 0;
  }
  const opts = resolveOptions(specs, { argv, command: 'bench:scale' });
  const n = opts.connections;
  const fdLimit = openFilesLimit();
  if (n + 256 > fdLimit) {
    throw new OptionError(`bench:scale: ${n} connections need ${n + 256} open files but this process may open ${fdLimit}; ` +
      "run it through `npm run bench:scale` (which raises the soft limit to the hard one), raise the hard limit (`ulimit -Hn`, as root), or use fewer --connections");
  }
  const ports = localPorts();
  if (n > ports - 1_000) {
    throw new OptionError(`bench:scale: ${n} connections to one address need as many local ports, and net.ipv4.ip_local_port_range has ${ports}; ` +
      `use --connections ${ports - 1_000} or fewer, or widen the range (sysctl net.ipv4.ip_local_port_range)`);
  }
  const started = Date.now();
  const idleTimeoutSeconds = Math.ceil((3 * opts.pingInterval) / 1000);
  const run = await startBenchRun(log, ['dist/echo-server.mjs']);
  const sockets: WebSocket[] = [];
  try {
    // reuseport spreads connections over the workers by hash: leave 15% headroom per worker.
    const nginxWorkers = Math.ceil((2 * n * 1.15 + 256) / FILES_PER_PROCESS);
    const perWorker = Math.ceil((2 * n * 1.15) / nginxWorkers) + 256;
    log(`starting the app (pings every ${opts.pingInterval / 1000} s) and nginx (idle timeout ${idleTimeoutSeconds} s, ${nginxWorkers} worker(s) × worker_connections ${perWorker})`);
    const app = run.track(await startEchoApp({
      network: run.network, alias: APP_ALIAS, nofile: n + 1_024,
      env: { ECHO_KEEPALIVE_INTERVAL_MS: String(opts.pingInterval), ECHO_LOG_FORMAT: 'json' },
    }).catch((e: unknown) => { throw rlimitHint(e, n + 1_024); }));
    const setup = frontSetup(FRONT);
    const vars = { ...frontVars({ idleTimeoutSeconds }), ...workerLimits(perWorker, nginxWorkers) };
    const front = run.track(await startSetup(run.network, setup, 'front', vars, { nofile: perWorker + 128 }));
    const frontUsage = await containerOn(run.network.name, 'front');
    const appUsage = await containerOn(run.network.name, APP_ALIAS);
    await new Promise((r) => setTimeout(r, 1_000));
    const before = { app: (await app.stats()).memory, appCgroup: await appUsage.memoryBytes(), front: await frontUsage.memoryBytes(), frontRss: await frontUsage.rssBytes() };
    log(`before: app rss ${mib(before.app.rss)}, app container ${mib(before.appCgroup)}, nginx container ${mib(before.front)} (rss ${mib(before.frontRss)})`);

    const url = directWsUrl(front);
    let dropped = 0;
    const dropCodes = new Map<number, number>();
    let holding = false;
    const onDrop = (code: number): void => {
      if (!holding) return;
      dropped += 1;
      dropCodes.set(code, (dropCodes.get(code) ?? 0) + 1);
    };
    const openStarted = performance.now();
    let failedOpens = 0;
    let lastError = '';
    for (let i = 0; i < n; i += opts.batch) {
      const size = Math.min(opts.batch, n - i);
      const batch = await Promise.allSettled(Array.from({ length: size }, () => openOne(url, onDrop)));
      for (const r of batch) {
        if (r.status === 'fulfilled') sockets.push(r.value);
        else { failedOpens += 1; lastError = String(r.reason); }
      }
      if (Math.floor((i + size) / 1_000) > Math.floor(i / 1_000) || i + size >= n) log(`opened ${sockets.length}/${n} (${((performance.now() - openStarted) / 1000).toFixed(1)} s)${failedOpens ? `, ${failedOpens} failed: ${lastError}` : ''}`);
    }
    const openSeconds = (performance.now() - openStarted) / 1000;
    holding = true;
    const holdStarted = performance.now();
    const progress = setInterval(() => {
      log(`held ${((performance.now() - holdStarted) / 1000).toFixed(0)} s / ${opts.duration / 1000} s: ${sockets.length - dropped} open, ${dropped} dropped`);
    }, 10_000);
    await new Promise((r) => setTimeout(r, opts.duration));
    clearInterval(progress);
    holding = false;
    const stats = await app.stats();
    const after = { app: stats.memory, appCgroup: await appUsage.memoryBytes(), front: await frontUsage.memoryBytes(), frontRss: await frontUsage.rssBytes() };
    const held = sockets.length;
    const perConn = (a: number | undefined, b: number | undefined): number => (a !== undefined && b !== undefined && held > 0 ? (a - b) / held : NaN);
    const figures = {
      connections: n,
      opened: held,
      failedOpens,
      openSeconds,
      heldSeconds: opts.duration / 1000,
      dropped,
      dropCodes: Object.fromEntries(dropCodes),
      appOpenConnectionsAtEnd: stats.openConnections,
      appPingsSent: stats.pingsSent,
      appPongsReceived: stats.pongsReceived,
      appPingTimeouts: stats.pingTimeouts,
      app: {
        rssBefore: before.app.rss, rssAfter: after.app.rss, heapUsedBefore: before.app.heapUsed, heapUsedAfter: after.app.heapUsed,
        rssPerConnection: perConn(after.app.rss, before.app.rss), heapPerConnection: perConn(after.app.heapUsed, before.app.heapUsed),
        cgroupBefore: before.appCgroup, cgroupAfter: after.appCgroup, cgroupPerConnection: perConn(after.appCgroup, before.appCgroup),
      },
      front: {
        kind: FRONT, workers: nginxWorkers, workerConnections: perWorker, cgroupBefore: before.front, cgroupAfter: after.front, cgroupPerConnection: perConn(after.front, before.front),
        rssBefore: before.frontRss, rssAfter: after.frontRss, rssPerConnection: perConn(after.frontRss, before.frontRss),
      },
      pingIntervalS: opts.pingInterval / 1000,
      frontIdleTimeoutS: idleTimeoutSeconds,
    };
    const ok = dropped === 0 && failedOpens === 0;
    const header = ['what', 'before', 'after', 'per connection'];
    const rows = [
      ['app process rss (/stats)', mib(before.app.rss), mib(after.app.rss), kib(figures.app.rssPerConnection)],
      ['app heap used (/stats)', mib(before.app.heapUsed), mib(after.app.heapUsed), kib(figures.app.heapPerConnection)],
      ['app container (cgroup)', mib(before.appCgroup), mib(after.appCgroup), kib(figures.app.cgroupPerConnection)],
      ['nginx container (cgroup)', mib(before.front), mib(after.front), kib(figures.front.cgroupPerConnection)],
      ['nginx processes rss (cgroup)', mib(before.frontRss), mib(after.frontRss), kib(figures.front.rssPerConnection)],
    ];
    const summary = [
      `${held}/${n} WebSockets opened through nginx in ${openSeconds.toFixed(1)} s (batches of ${opts.batch})${failedOpens ? `; ${failedOpens} failed to open (${lastError})` : ''}`,
      `held ${opts.duration / 1000} s with the app pinging every ${opts.pingInterval / 1000} s (nginx idle timeout ${idleTimeoutSeconds} s): ` +
        `${dropped} dropped (target 0: ${ok ? 'MET' : 'NOT MET'})${dropped ? `, close codes ${JSON.stringify(figures.dropCodes)}` : ''}`,
      `the app saw ${stats.openConnections} open at the end; pings sent ${stats.pingsSent}, pongs ${stats.pongsReceived}, dropped for a missed pong ${stats.pingTimeouts}`,
    ];
    console.log(`\n${summary.join('\n')}\n\n${textTable(header, rows)}\n`);
    const machine = await describeMachine(['node', 'nginx']);
    const file = writeResults('scale', { machine, options: opts, ...figures, ok, durationS: (Date.now() - started) / 1000 });
    writeSection('scale', [
      '## Idle connections at scale (`npm run bench:scale`)',
      '',
      ...machineLines(machine),
      `- load: ${n} idle WebSockets from one Node process on the host, opened ${opts.batch} at a time to nginx's address on the bench network (no docker-proxy in the path), then held; ` +
        `nginx (nginx/ws-proxy.conf.template) with ${nginxWorkers} worker(s) × worker_connections ${perWorker}, listening with reuseport`,
      '',
      ...summary.map((s) => `- ${s}`),
      '',
      markdownTable(header, rows),
      '',
      "Per connection = (after − before) / connections held. The app's figures come from its `/stats` (`memory`: process.memoryUsage()); the containers' from their memory cgroups (usage_in_bytes includes page cache; rss is the processes' resident memory).",
    ].join('\n'));
    log(`wrote ${file} and docs/perf.md (scale section) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return ok ? 0 : 1;
  } finally {
    for (const ws of sockets) ws.terminate();
    await run.finish();
  }
}

runBench('bench:scale', main);
