/**
 * Runs that end badly: a run killed with SIGKILL leaves its labelled containers behind until
 * `ws-proxy-bench sweep` removes them (its owner process is gone); a run interrupted with
 * SIGINT removes its own resources before it exits 130.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listLabelled, removeRun } from '../../../src/containers/cleanup.js';
import { newRunId, RUN_ID_ENV, RUNNER_PID_ENV } from '../../../src/containers/labels.js';
import { projectPath } from '../../../src/paths.js';
import { containersSkipped } from '../skip.js';

const FIXTURE = projectPath('dist/test-labelled-run.mjs');
const children: ChildProcess[] = [];
const runIds: string[] = [];

/** Starts the fixture as its own run and resolves once it printed READY. */
function startRun(args: string[] = []): Promise<{ child: ChildProcess; runId: string; exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }> }> {
  const runId = `${newRunId()}-child`;
  runIds.push(runId);
  const env: NodeJS.ProcessEnv = { ...process.env, [RUN_ID_ENV]: runId };
  delete env[RUNNER_PID_ENV]; // the child owns its run: its own pid goes on the labels
  const child = spawn(process.execPath, [FIXTURE, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the child run did not get READY within 60 s:\n${out}`)), 60_000);
    const onData = (c: Buffer): void => {
      out += c.toString();
      if (out.includes('READY ')) { clearTimeout(timer); resolve({ child, runId, exit }); }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exit.then(({ code, signal }) => { clearTimeout(timer); reject(new Error(`the child run exited (${code ?? signal}) before READY:\n${out}`)); });
  });
}

describe.skipIf(containersSkipped)('interrupted runs', () => {
  beforeAll(async () => {
    await build({
      entryPoints: [projectPath('test/containers/infra/fixtures/labelled-run.ts')],
      outfile: FIXTURE,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'warning',
    });
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    for (const id of runIds) await removeRun(id);
  });

  it('a crashed run (SIGKILL) leaves its resources, and the sweep removes them', async () => {
    const { child, runId, exit } = await startRun();
    const kinds = (await listLabelled(runId)).map((r) => r.kind).sort();
    expect(kinds).toEqual(['container', 'network']);

    child.kill('SIGKILL');
    expect((await exit).signal).toBe('SIGKILL');
    expect((await listLabelled(runId)).map((r) => r.kind).sort(), 'nothing cleaned up after a SIGKILL').toEqual(['container', 'network']);

    const sweep = spawnSync(process.execPath, [projectPath('dist/cli.mjs'), 'sweep'], { encoding: 'utf8', timeout: 60_000 });
    expect(sweep.status, sweep.stderr).toBe(0);
    expect(sweep.stdout).toContain(`removed run ${runId} (its process ${child.pid} is gone)`);
    expect(await listLabelled(runId)).toEqual([]);
  });

  it('an interrupted run (SIGINT) removes its own resources and exits 130', async () => {
    const { child, runId, exit } = await startRun(['--signal-cleanup']);
    expect((await listLabelled(runId)).length).toBe(2);
    child.kill('SIGINT');
    expect((await exit).code).toBe(130);
    expect(await listLabelled(runId)).toEqual([]);
  });

  it('the sweep leaves a live run alone', async () => {
    const { child, runId } = await startRun();
    const sweep = spawnSync(process.execPath, [projectPath('dist/cli.mjs'), 'sweep'], { encoding: 'utf8', timeout: 60_000 });
    expect(sweep.status, sweep.stderr).toBe(0);
    expect(sweep.stdout).not.toContain(runId);
    expect((await listLabelled(runId)).length).toBe(2);
    child.kill('SIGKILL');
  });
});
