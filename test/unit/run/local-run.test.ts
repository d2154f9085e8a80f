/**
 * Local mode for real: the http-proxy front scenarios run in this process (the app and the front
 * on 127.0.0.1 ephemeral ports), including the 2 s idle-timeout measurements; a front whose
 * binary is missing is skipped with the reason, never passed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { testTempDir } from '../../support/temp-dir.js';
import type { Report } from '../../../src/report/model.js';
import { runRunCommand } from '../../../src/run/cli.js';
import { runMatrix } from '../../../src/run/matrix.js';
import { ProgressBoard } from '../../../src/run/progress.js';
import { catalog, KEEPALIVE_IDLE_TIMEOUT_SECONDS } from '../../../src/scenarios/catalog.js';
import { CLOCK_ALLOWANCE_MS, CUT_TOLERANCE_MS } from '../../../src/scenarios/checks/idle.js';
import { findBinary } from '../../../src/local/fronts.js';
import { startLocalTopology } from '../../../src/local/topology.js';

describe('run in local mode (no Docker)', () => {
  it('runs the http-proxy front scenarios for real and measures the idle cut', { timeout: 30_000 }, async () => {
    const lines: string[] = [];
    const families = new Set(['upgrade', 'keepalive', 'front-websocket']);
    const scenarios = catalog.filter((s) => s.front.startsWith('http-front') && families.has(s.family));
    const report = await runMatrix({ scenarios, concurrency: 4, start: startLocalTopology, mode: 'local', board: new ProgressBoard((l) => lines.push(l)), heartbeatMs: 1_000 });
    const failed = report.scenarios.flatMap((s) => s.checks.filter((c) => c.status !== 'pass').map((c) => `${s.scenario} ${c.check}: ${c.detail}`));
    expect(failed).toEqual([]);
    expect(report.counts.scenarios).toEqual({ pass: scenarios.length, fail: 0, skip: 0 });
    const cut = report.scenarios.find((s) => s.scenario === 'http-front/keepalive-no-server-pings')?.checks.find((c) => c.check === 'idle-cut');
    // The window from both ends of the handshake: from the request sent at least T (the clock
    // cannot start late), from the 101 received at most T + tolerance.
    const t = KEEPALIVE_IDLE_TIMEOUT_SECONDS * 1000;
    expect(cut?.measured?.cutAfterMs).toBeGreaterThanOrEqual(t - CLOCK_ALLOWANCE_MS);
    expect(cut?.measured?.cutAfter101Ms).toBeLessThanOrEqual(t + CUT_TOLERANCE_MS);
    expect(cut?.figure).toMatch(/^cut after [123]\.\d\d s \(1006\)/);
    // Progress while waiting: start/finish lines and heartbeats naming scenario, check, elapsed and what is expected.
    expect(lines.some((l) => /▶ http-front\/keepalive-no-server-pings idle-cut/.test(l))).toBe(true);
    expect(lines.some((l) => /⏳ http-front\/keepalive-server-pings server-pings-hold: \d+\.\d s elapsed; holding an idle connection for 6\.00 s/.test(l))).toBe(true);
    expect(lines.some((l) => /✓ http-front\/upgrade echo-large: 1 MiB ok/.test(l))).toBe(true);
  });

  it('skips a front whose binary is not installed, with the reason, and still exits 0', async () => {
    const scenarios = catalog.filter((s) => s.front === 'nginx-no-http11');
    const report = await runMatrix({
      scenarios, concurrency: 1, mode: 'local', board: new ProgressBoard(() => {}),
      start: (s, o) => startLocalTopology(s, { ...o, findBinary: () => undefined }),
    });
    expect(report.scenarios.map((s) => [s.status, s.skipped])).toEqual([['skip', expect.stringMatching(/^nginx is not installed on this host \(install it, e\.g\. `apt-get install nginx-light`/)]]);
    expect(report.counts.checks.pass).toBe(0);
    expect(report.ok).toBe(true);
  });

  it('finds binaries on PATH and in sbin folders, and nothing that is not there', () => {
    expect(findBinary(['node'], join(process.execPath, '..'))).toBe(process.execPath);
    expect(findBinary(['no-such-front-binary'])).toBeUndefined();
  });

  it('the command: writes the JSON report, exits 0 when all holds and 2 on a usage error', { timeout: 15_000 }, async () => {
    const dir = testTempDir('wspb-run-cli-');
    const out = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await runRunCommand(['--local', '--scenario', 'http-front-websocket-on/websocket-handled-by-front', '--json', join(dir, 'r.json'), '--junit', join(dir, 'r.xml')])).toBe(0);
      const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as Report;
      expect(report).toMatchObject({ mode: 'local', ok: true, counts: { scenarios: { pass: 1, fail: 0, skip: 0 } } });
      expect(readFileSync(join(dir, 'r.xml'), 'utf8')).toContain('<testsuite name="http-front-websocket-on/websocket-handled-by-front" tests="1" failures="0"');
      expect(out.mock.calls.flat().join('\n')).toMatch(/http-front-websocket-on \(Node.js \d+\.\d+\.\d+\) +\| pass 1\/1/);
      out.mockClear();
      expect(await runRunCommand(['--local', '--wide', '--scenario', 'http-front-websocket-on/websocket-handled-by-front'])).toBe(0);
      expect(out.mock.calls.flat().join('\n')).toMatch(/http-front-websocket-on \(Node.js \d+\.\d+\.\d+\) +\| ✓ handled by front \(app upgrades \+0\)/);
      expect(await runRunCommand(['--concurrency', '12'])).toBe(2);
      expect(err.mock.calls.flat().join('')).toContain('\nrun: invalid --concurrency from flag --concurrency: "12"; expected an integer from 1 to 8\nTry: ws-proxy-bench run --help');
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });
});
