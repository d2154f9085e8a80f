/**
 * The `docker` CLI, with time limits: image presence, pulls, inspect, and the arguments of a
 * throwaway container. (Container lifecycles go through testcontainers; this is for the checks
 * around them.)
 */
import { run, type RunResult } from '../exec.js';
import { currentRunId, runLabels } from './labels.js';

export function docker(args: string[], timeoutMs = 30_000): Promise<RunResult> {
  return run('docker', args, { timeoutMs });
}

export async function imageExists(image: string): Promise<boolean> {
  const r = await docker(['image', 'inspect', '--format', '{{.Id}}', image], 15_000);
  return r.code === 0;
}

/** The value of one label on a local image, or undefined when the image or label is absent. */
export async function imageLabel(image: string, label: string): Promise<string | undefined> {
  const r = await docker(['image', 'inspect', '--format', `{{index .Config.Labels ${JSON.stringify(label)}}}`, image], 15_000);
  if (r.code !== 0) return undefined;
  const value = r.stdout.trim();
  return value === '' || value === '<no value>' ? undefined : value;
}

export interface PullOutcome { ok: boolean; detail: string }

/** Tries to pull an image, giving up after timeoutMs (machines without a registry fail fast). */
export async function tryPull(image: string, timeoutMs = 60_000): Promise<PullOutcome> {
  const r = await docker(['pull', '--quiet', image], timeoutMs);
  if (r.code === 0) return { ok: true, detail: r.stdout.trim() };
  const detail = r.timedOut ? `no answer within ${timeoutMs / 1000} s` : (r.stderr.trim().split('\n').pop() ?? `exit ${r.code}`);
  return { ok: false, detail };
}

/** `docker run` arguments for a throwaway container of the current run: labelled with it, removed when it exits, `command` its entrypoint. */
export function throwawayRunArgs(image: string, command: string, args: readonly string[]): string[] {
  return ['run', '--rm', ...Object.entries(runLabels(currentRunId())).flatMap(([k, v]) => ['--label', `${k}=${v}`]), '--entrypoint', command, image, ...args];
}
