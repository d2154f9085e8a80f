/**
 * Removing what runs leave behind: a run's own resources at its end or on Ctrl-C, and the
 * resources of runs that died (their owning process is gone, or they are too old).
 */
import { hostname } from 'node:os';
import { docker } from './docker.js';
import { describeFailure, lastLines, runOrThrow } from '../exec.js';
import { HOST_LABEL, PID_LABEL, RUN_LABEL, STARTED_LABEL } from './labels.js';

export interface LabelledResource {
  kind: 'container' | 'network';
  id: string;
  name: string;
  labels: Record<string, string>;
}

async function dockerOrThrow(args: string[]): Promise<string> {
  return (await runOrThrow('docker', args, { timeoutMs: 60_000 })).stdout;
}

/** Every container and network carrying the run label (of one run, or of any run). */
export async function listLabelled(runId?: string): Promise<LabelledResource[]> {
  const filter = runId === undefined ? RUN_LABEL : `${RUN_LABEL}=${runId}`;
  const containerIds = (await dockerOrThrow(['ps', '-aq', '--no-trunc', '--filter', `label=${filter}`])).split('\n').filter(Boolean);
  const networkIds = (await dockerOrThrow(['network', 'ls', '-q', '--no-trunc', '--filter', `label=${filter}`])).split('\n').filter(Boolean);
  const resources: LabelledResource[] = [];
  if (containerIds.length > 0) {
    const inspected = await inspectMany(['container', 'inspect', ...containerIds]) as { Id: string; Name: string; Config: { Labels: Record<string, string> | null } }[];
    for (const c of inspected) resources.push({ kind: 'container', id: c.Id, name: c.Name.replace(/^\//, ''), labels: c.Config.Labels ?? {} });
  }
  if (networkIds.length > 0) {
    const inspected = await inspectMany(['network', 'inspect', ...networkIds]) as { Id: string; Name: string; Labels: Record<string, string> | null }[];
    for (const n of inspected) resources.push({ kind: 'network', id: n.Id, name: n.Name, labels: n.Labels ?? {} });
  }
  return resources;
}

/** docker inspect of several ids; ids removed in the meantime are dropped, not an error. */
async function inspectMany(args: string[]): Promise<unknown[]> {
  const r = await docker(args, 60_000);
  try {
    return JSON.parse(r.stdout || '[]') as unknown[];
  } catch {
    throw new Error(describeFailure('docker', args, r, 60_000));
  }
}

/** What a removal removed: how many of each kind, and which. */
export interface RemovalReport { containers: number; networks: number; resources: LabelledResource[] }

/** The engine's word for a container that is gone, or being removed by another request. */
export const GONE_OR_GOING = /No such container|removal of container .* is already in progress/i;

/** Whether every error `docker rm` printed is about a container that is gone, or going without it. */
export function onlyGoingAlready(stderr: string): boolean {
  const errors = stderr.split('\n').filter((line) => line.trim() !== '');
  return errors.length > 0 && errors.every((line) => GONE_OR_GOING.test(line));
}

/** Which of these containers still exist. */
async function existing(ids: string[]): Promise<string[]> {
  const r = await docker(['ps', '-aq', '--no-trunc', ...ids.flatMap((id) => ['--filter', `id=${id}`])], 60_000);
  if (r.code !== 0) throw new Error(describeFailure('docker', ['ps', '-aq', '…'], r, 60_000));
  return r.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
}

/** Waits until none of these containers exists any more (another removal of them is under way). */
async function untilContainersGone(ids: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = await existing(ids);
    if (left.length === 0) return;
    if (Date.now() > deadline) throw new Error(`docker: containers still being removed after ${timeoutMs / 1000} s: ${left.map((id) => id.slice(0, 12)).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Force-removes containers. Gone already, or being removed by someone else (a run's own cleanup
 * racing a sweep of it): either way they go; it waits for them, so that their networks can go
 * too. Any other refusal (seen when a bench's teardown was stopping them as its Ctrl-C cleanup
 * began) gets one more try, a second later, for those still there; then it fails, saying what
 * docker said (its errors, not the ids it did remove).
 */
async function removeContainers(ids: string[]): Promise<void> {
  let left = ids;
  for (let attempt = 1; ; attempt++) {
    const r = await docker(['rm', '-f', '-v', ...left], 120_000);
    if (r.code === 0) return;
    if (onlyGoingAlready(r.stderr)) {
      await untilContainersGone(left, 60_000);
      return;
    }
    if (attempt >= 2) throw new Error(`docker rm -f -v …: exit ${r.code}: ${lastLines(r.stderr, 6) || lastLines(r.stdout, 6)}`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    left = await existing(left);
    if (left.length === 0) return;
  }
}

/** Force-removes containers, then networks (once their containers are gone). */
export async function removeResources(resources: LabelledResource[]): Promise<RemovalReport> {
  const containers = resources.filter((r) => r.kind === 'container').map((r) => r.id);
  const networks = resources.filter((r) => r.kind === 'network').map((r) => r.id);
  if (containers.length > 0) await removeContainers(containers);
  if (networks.length > 0) {
    const r = await docker(['network', 'rm', ...networks], 60_000);
    if (r.code !== 0 && !/No such network|not found/i.test(r.stderr)) throw new Error(describeFailure('docker', ['network', 'rm', '…'], r, 60_000));
  }
  return { containers: containers.length, networks: networks.length, resources };
}

/** Removes everything labelled with this run id. */
export async function removeRun(runId: string): Promise<RemovalReport> {
  return removeResources(await listLabelled(runId));
}

/** Whether a process id names a live process on this machine. */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface SweepOptions {
  /** Remove every labelled resource, live runs included. */
  all?: boolean;
  /** Runs older than this are dead whatever their pid says (default 24). */
  maxAgeHours?: number;
  /**
   * Leave a dead run alone until it started at least this long ago (default 0: at once). A run's
   * start-up sweep waits a minute: a run that crashed just now is still someone's (a crash being
   * looked at, a test about crashed runs sweeping its own), and `sweep` removes it at once.
   */
  minAgeSeconds?: number;
  now?: Date;
  host?: string;
  alive?: (pid: number) => boolean;
}

/** Why a labelled resource belongs to a dead run, or undefined when its run may be alive. */
export function deadReason(labels: Record<string, string>, opts: SweepOptions = {}): string | undefined {
  if (opts.all) return '--all';
  const now = opts.now ?? new Date();
  const started = Date.parse(labels[STARTED_LABEL] ?? '');
  const maxAgeHours = opts.maxAgeHours ?? 24;
  if (Number.isFinite(started) && now.getTime() - started > maxAgeHours * 3_600_000) return `older than ${maxAgeHours} h`;
  if (opts.minAgeSeconds && (!Number.isFinite(started) || now.getTime() - started < opts.minAgeSeconds * 1000)) return undefined;
  const pid = Number.parseInt(labels[PID_LABEL] ?? '', 10);
  const host = labels[HOST_LABEL];
  if (!Number.isInteger(pid) || host !== (opts.host ?? hostname())) return undefined;
  return (opts.alive ?? isProcessAlive)(pid) ? undefined : `its process ${pid} is gone`;
}

export interface SweepReport extends RemovalReport { runs: { runId: string; reason: string }[] }

export async function sweepDeadRuns(opts: SweepOptions = {}): Promise<SweepReport> {
  const resources = await listLabelled();
  const dead = resources.map((r) => ({ r, reason: deadReason(r.labels, opts) })).filter((x) => x.reason !== undefined);
  const runs = new Map<string, string>();
  for (const { r, reason } of dead) runs.set(r.labels[RUN_LABEL] ?? '?', reason as string);
  const removed = await removeResources(dead.map((x) => x.r));
  return { ...removed, runs: [...runs].map(([runId, reason]) => ({ runId, reason })) };
}

/**
 * On SIGINT/SIGTERM, removes the run's resources, then exits 130/143. Returns a function that
 * takes the handlers off again.
 */
export function installSignalCleanup(runId: string, log: (line: string) => void = (l) => console.error(l)): () => void {
  let cleaning = false;
  const handler = (signal: NodeJS.Signals): void => {
    const code = signal === 'SIGINT' ? 130 : 143;
    if (cleaning) return;
    cleaning = true;
    log(`ws-proxy-bench: ${signal}: removing the containers and networks of run ${runId}…`);
    removeRun(runId).then(
      (r) => { log(`ws-proxy-bench: removed ${r.containers} containers, ${r.networks} networks`); process.exit(code); },
      (err: unknown) => { log(`ws-proxy-bench: cleanup failed: ${err instanceof Error ? err.message : String(err)}; run \`ws-proxy-bench sweep\``); process.exit(code); },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
