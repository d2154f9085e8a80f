/**
 * The `docker` CLI, with time limits: image presence, pulls, inspect. (Container lifecycles go
 * through testcontainers; this is for the checks around them.)
 */
import { run, type RunResult } from '../exec.js';

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
