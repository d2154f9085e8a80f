/**
 * The labels every container and network of a run carries, so a run can remove exactly its own
 * resources and a later run can sweep what a crashed one left behind.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** The run's id: the value of this label on everything the run starts. */
export const RUN_LABEL = 'ws-proxy-bench';
/** The process that owns the run (the test runner); when it is gone, the run is dead. */
export const PID_LABEL = 'ws-proxy-bench.pid';
/** The machine that process runs on (a pid means nothing on another host). */
export const HOST_LABEL = 'ws-proxy-bench.host';
/** When the resource was created (ISO 8601), for the age rule of the sweep. */
export const STARTED_LABEL = 'ws-proxy-bench.started';
/** A container's network alias (echo, front, front-ws), to find it by its role in a topology. */
export const ALIAS_LABEL = 'ws-proxy-bench.alias';
/** The role an offline stand-in image plays (node, nginx, …). */
export const ROLE_LABEL = 'ws-proxy-bench.role';

/** Shared by a run's processes (global setup sets it for vitest workers). */
export const RUN_ID_ENV = 'WS_PROXY_BENCH_RUN_ID';
/** The pid of the process that owns the run, when it is not this process (vitest workers). */
export const RUNNER_PID_ENV = 'WS_PROXY_BENCH_RUNNER_PID';

export function newRunId(now = new Date()): string {
  return `run-${now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')}-${randomBytes(3).toString('hex')}`;
}

let generated: string | undefined;
/** WS_PROXY_BENCH_RUN_ID when set, else one id generated once per process. */
export function currentRunId(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[RUN_ID_ENV]?.trim();
  if (fromEnv) return fromEnv;
  generated ??= newRunId();
  return generated;
}

export function runLabels(
  runId: string,
  opts: { pid?: number; host?: string; now?: Date } = {},
): Record<string, string> {
  const envPid = Number.parseInt(process.env[RUNNER_PID_ENV] ?? '', 10);
  const pid = opts.pid ?? (Number.isInteger(envPid) && envPid > 0 ? envPid : process.pid);
  if (!/^[A-Za-z0-9_.-]+$/.test(runId)) throw new Error(`run id '${runId}' may only contain letters, digits, '_', '.' and '-'`);
  return {
    [RUN_LABEL]: runId,
    [PID_LABEL]: String(pid),
    [HOST_LABEL]: opts.host ?? hostname(),
    [STARTED_LABEL]: (opts.now ?? new Date()).toISOString(),
  };
}
