/**
 * `ws-proxy-bench run` end to end in containers: the correct nginx config passes the upgrade
 * scenario and the JSON report says so with figures; a deliberately broken config given with
 * --config turns the row red and the exit code 1.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testTempDir } from '../../support/temp-dir.js';
import { projectPath } from '../../../src/paths.js';
import type { Report } from '../../../src/report/model.js';
import { containersSkipped } from '../skip.js';
import { wsProxyBenchRun } from './run-cli.js';

describe.skipIf(containersSkipped)('ws-proxy-bench run (containers)', () => {
  it('nginx/upgrade passes through nginx: exit 0, every check green with its figure in the JSON', async () => {
    const file = join(testTempDir('wspb-run-'), 'report.json');
    const r = await wsProxyBenchRun(['--front', 'nginx', '--scenario', 'nginx/upgrade', '--json', file, '--wide']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(file, 'utf8')) as Report;
    expect(report.mode).toBe('containers');
    expect(report.scenarios.map((s) => [s.scenario, s.status])).toEqual([['nginx/upgrade', 'pass']]);
    const figures = Object.fromEntries(report.scenarios[0]?.checks.map((c) => [c.check, c.figure]) ?? []);
    expect(figures).toMatchObject({ handshake: '101 from app', 'echo-large': '1 MiB ok', 'close-code': '4000 "bye"' });
    // The row names the version read from the running nginx, as the JSON does.
    const version = report.scenarios[0]?.versions?.front ?? '';
    expect(version).toMatch(/^1\.\d+\.\d+$/);
    expect(report.scenarios[0]?.versions?.appNode).toMatch(/^\d+\.\d+\.\d+$/);
    expect(r.stdout).toMatch(new RegExp(`^nginx ${version.replace(/\./g, '\\.')} +\\| ✓ all present +\\| ✓ 101 from app`, 'm'));
    expect(r.stderr).toMatch(/Docker engine .*every scenario in its own containers/);
  });

  it('a broken config given with --config turns the row red and exits 1', async () => {
    const file = join(testTempDir('wspb-run-'), 'report.json');
    const r = await wsProxyBenchRun(['--config', 'nginx=nginx/mistake-no-upgrade-headers.conf.template', '--scenario', 'nginx/upgrade', '--json', file]);
    // The default table: a front × family summary, the failure explained below it.
    expect(r.stdout).toMatch(/^nginx 1\.\d+\.\d+ +\| FAIL 1\/8/m);
    expect(r.stdout).toContain('✗ nginx/upgrade handshake: expected 101 from app; saw 400 from app');
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(readFileSync(file, 'utf8')) as Report;
    const row = report.scenarios[0];
    expect(row).toMatchObject({ scenario: 'nginx/upgrade', status: 'fail', config: projectPath('nginx/mistake-no-upgrade-headers.conf.template') });
    expect(row?.checks.find((c) => c.check === 'handshake')).toMatchObject({ status: 'fail', figure: '400 from app' });
    expect(r.stdout).toContain('nginx ran with your config');
  });
});
