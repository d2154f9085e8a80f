/** `ws-proxy-bench engine check` against an engine that is not there: exit 1, and a message that says what and how to fix it. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../../../src/paths.js';
import { containersSkipped } from '../skip.js';

describe('ws-proxy-bench engine check', () => {
  it('fails with a message naming DOCKER_HOST and the fix when no engine answers there', () => {
    const r = spawnSync(process.execPath, [projectPath('dist/cli.mjs'), 'engine', 'check'], {
      env: { ...process.env, DOCKER_HOST: 'unix:///tmp/no-such.sock' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('DOCKER_HOST=unix:///tmp/no-such.sock');
    expect(r.stderr).toContain('No Docker engine answers');
    expect(r.stderr).toContain('ws-proxy-bench engine ensure');
    expect(r.stderr).toMatch(/install Docker/);
  });

  it.skipIf(containersSkipped)('prints the engine version and exits 0 where one answers', () => {
    const r = spawnSync(process.execPath, [projectPath('dist/cli.mjs'), 'engine', 'check'], { encoding: 'utf8', timeout: 20_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Docker engine \d+\.\d+/);
  });

  it('refuses an unknown subcommand with exit 2', () => {
    const r = spawnSync(process.execPath, [projectPath('dist/cli.mjs'), 'engine', 'start'], { encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown subcommand 'start'; subcommands: check, ensure, stop");
  });
});
