/** `ws-proxy-bench run` as a user runs it, from the suites: the built CLI in a child process. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { RUN_ID_ENV, RUNNER_PID_ENV } from '../../../src/containers/labels.js';
import { projectPath } from '../../../src/paths.js';

const run = promisify(execFile);

export interface RunResult { code: number; stdout: string; stderr: string }

/** The command with its own run id (its cleanup must not touch the suites' containers); its exit code, never a throw. */
export async function wsProxyBenchRun(args: string[], timeoutMs = 90_000): Promise<RunResult> {
  const env = { ...process.env };
  delete env[RUN_ID_ENV];
  delete env[RUNNER_PID_ENV];
  try {
    const r = await run(process.execPath, [projectPath('dist/cli.mjs'), 'run', ...args], { env, cwd: projectPath('.'), timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw err;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
