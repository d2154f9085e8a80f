/**
 * `ws-proxy-bench run` on a user's deployment, end to end in containers: a plain nginx.conf
 * written as nginx's docs write it runs unchanged with --upstream (idle timeout stated, then
 * found); a config nginx refuses turns the row red with nginx's own line; a user's app image
 * (the example's chat app, which is not the bench's echo server) runs behind nginx, the checks it
 * cannot serve skipped with the reason; an image that does not exist fails clearly, leaving
 * nothing behind.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentRunId, RUN_LABEL } from '../../../src/containers/labels.js';
import { projectPath } from '../../../src/paths.js';
import type { Report, ReportScenario } from '../../../src/report/model.js';
import { CLOCK_ALLOWANCE_MS, CUT_TOLERANCE_MS } from '../../../src/scenarios/checks/idle.js';
import { containersSkipped } from '../skip.js';
import { wsProxyBenchRun } from './run-cli.js';

const exec = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'wspb-your-deployment-'));
const NGINX_CONF = projectPath('examples/your-config/nginx.conf');
const APP_IMAGE = `ws-proxy-bench-test/own-app-chat:${process.pid}`;

/** Runs `run` with a JSON report and returns both. */
async function runWithReport(name: string, args: string[], rows = 1): Promise<{ code: number; stderr: string; stdout: string; row: ReportScenario | undefined; report: Report }> {
  const json = join(dir, `${name}.json`);
  const r = await wsProxyBenchRun([...args, '--json', json]);
  const report = JSON.parse(readFileSync(json, 'utf8')) as Report;
  expect(report.scenarios).toHaveLength(rows);
  return { ...r, row: report.scenarios[0], report };
}
/**
 * The seconds a figure states after `prefix` ("open at 4.00 s"), asserted within [low, high].
 * The checks judge their own windows; these bounds only keep a test from reading a figure
 * narrower than the check does (a found cut is timed from the open, after the front's timer
 * started).
 */
function expectSecondsIn(figure: string | undefined, prefix: string, low: number, high: number): void {
  const m = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} (\\d+\\.\\d+) s`).exec(figure ?? '');
  expect(m, `${figure} should start with "${prefix} <seconds> s"`).not.toBeNull();
  const value = Number(m?.[1]);
  expect(value, figure).toBeGreaterThanOrEqual(low);
  expect(value, figure).toBeLessThanOrEqual(high);
}

const checks = (row: ReportScenario | undefined): Record<string, { status: string; figure: string; detail: string; measured?: Record<string, number> }> =>
  Object.fromEntries((row?.checks ?? []).map((c) => [c.check, c]));

/**
 * A stated T-second idle cut, as the check judges it: from the request sent at least T less
 * CLOCK_ALLOWANCE_MS, from the 101 read at most T + CUT_TOLERANCE_MS (its measured figures);
 * the figure states the first.
 */
function expectStatedCut(check: { figure: string; measured?: Record<string, number> } | undefined, t: number): void {
  const fromRequest = check?.measured?.cutAfterMs ?? Number.NaN;
  const from101 = check?.measured?.cutAfter101Ms ?? Number.NaN;
  expect(fromRequest, check?.figure).toBeGreaterThanOrEqual(t * 1000 - CLOCK_ALLOWANCE_MS);
  expect(from101, check?.figure).toBeLessThanOrEqual(t * 1000 + CUT_TOLERANCE_MS);
  expect(check?.figure).toMatch(new RegExp(`^cut after ${(fromRequest / 1000).toFixed(2).replace('.', '\\.')} s`));
}

describe.skipIf(containersSkipped)('run on your deployment (containers)', () => {
  beforeAll(async () => {
    // The example's chat app as a user's image: its own server file and the ws package on the node image.
    const context = join(dir, 'app-image');
    cpSync(projectPath('examples/own-app/app/chat-server.mjs'), join(context, 'chat-server.mjs'));
    cpSync(projectPath('node_modules/ws'), join(context, 'node_modules/ws'), { recursive: true });
    writeFileSync(join(context, 'Dockerfile'), `FROM ${process.env.WS_PROXY_BENCH_IMAGE_NODE ?? 'node'}\nCOPY . /app\nUSER 1000:1000\nCMD ["node", "/app/chat-server.mjs"]\n`);
    await exec('docker', ['build', '-q', '--label', `${RUN_LABEL}=${currentRunId()}`, '-t', APP_IMAGE, context], { timeout: 60_000 });
  }, 90_000);
  afterAll(async () => {
    await exec('docker', ['rmi', '-f', APP_IMAGE]).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a plain nginx.conf runs unchanged with --upstream: every check passes, the stated 3 s cut inside its window', async () => {
    const r = await runWithReport('stated', ['--config', `nginx=${NGINX_CONF}`, '--upstream', 'app:3000', '--idle-timeout', '3s']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.row).toMatchObject({ scenario: 'nginx/your-config', status: 'pass', config: NGINX_CONF });
    const c = checks(r.row);
    expect(Object.values(c).every((x) => x.status === 'pass')).toBe(true);
    expect(c.handshake?.figure).toMatch(/^101 \(server: nginx\/1\.\d+\.\d+, x-echo-server: ws-proxy-bench\//);
    expect(c['handled-by']?.figure).toBe('handled by app (app upgrades +1)');
    expectStatedCut(c['idle-cut'], 3);
    expectSecondsIn(c['client-pings-hold']?.figure, 'open at', 4, 4 + CUT_TOLERANCE_MS / 1000);
    expect(r.stderr).not.toMatch(/warning/);
  });

  it("plain configs for the official haproxy and httpd images run unchanged on the stand-ins, each cut at its stated 3 s", async () => {
    const r = await runWithReport('haproxy-httpd', ['--config', `haproxy=${projectPath('examples/your-config/haproxy.cfg')}`, '--config', `httpd=${projectPath('examples/your-config/httpd.conf')}`,
      '--upstream', 'app:3000', '--idle-timeout', '3s'], 2);
    expect(r.code, r.stderr).toBe(0);
    for (const row of r.report.scenarios) {
      expect(row.status, row.scenario).toBe('pass');
      expectStatedCut(checks(row)['idle-cut'], 3);
    }
    expect(r.report.scenarios.map((row) => row.scenario)).toEqual(['haproxy/your-config', 'httpd/your-config']);
  });

  it('a plain Caddyfile (no idle timeout of its own): not cut within --max-idle, found and said so; the hold after it skipped with the reason', async () => {
    const r = await runWithReport('caddy', ['--config', `caddy=${projectPath('examples/your-config/Caddyfile')}`, '--upstream', 'app:3000', '--max-idle', '4s']);
    expect(r.code, r.stderr).toBe(0);
    const c = checks(r.row);
    expect(c['idle-cut']).toMatchObject({ status: 'pass', figure: 'found: not cut within 4.00 s' });
    expect(c['client-pings-hold']).toMatchObject({ status: 'skip' });
    expect(c['client-pings-hold']?.detail).toContain('no cut was found within 4.00 s');
    expect(c.handshake?.figure).toMatch(/^101 \(server: Caddy/);
  });

  it('with no --idle-timeout the cut is found (up to --max-idle) and the report says it was found', async () => {
    const r = await runWithReport('found', ['--config', `nginx=${NGINX_CONF}`, '--upstream', 'app:3000', '--max-idle', '6s']);
    expect(r.code, r.stderr).toBe(0);
    const c = checks(r.row);
    // Timed from the open, which comes after the front's timer started: up to the handshake's time short of T.
    expectSecondsIn(c['idle-cut']?.figure, 'found: cut after', 2.5, 3 + CUT_TOLERANCE_MS / 1000);
    expect(c['idle-cut']?.detail).toContain('idle timeout not stated');
    expect(c['client-pings-hold']).toMatchObject({ status: 'pass' });
    expect(c['client-pings-hold']?.detail).toContain('the cut found');
  });

  it("a config nginx refuses: the row is red with nginx's own error line", async () => {
    const broken = join(dir, 'nginx.conf');
    writeFileSync(broken, readFileSync(NGINX_CONF, 'utf8').replace('proxy_http_version 1.1;', 'proxy_http_versio 1.1;'));
    const r = await runWithReport('refused', ['--config', `nginx=${broken}`, '--upstream', 'app:3000', '--idle-timeout', '3s']);
    expect(r.code).toBe(1);
    expect(r.row?.status).toBe('fail');
    expect(r.row?.error).toMatch(new RegExp(`^nginx refused ${broken.replace(/[.]/g, '\\.')}: ".*\\[emerg\\].*unknown directive "proxy_http_versio" in /etc/nginx/nginx\\.conf:\\d+"$`));
  });

  it("a user's app image behind nginx, and behind TLS: what it serves is checked, the rest skipped with the reason", async () => {
    const r = await runWithReport('app', ['--app-image', APP_IMAGE, '--app-port', '3000', '--app-env', 'PORT=3000', '--app-path', '/chat/lobby', '--front', 'nginx,nginx-tls'], 2);
    expect(r.code, r.stderr).toBe(0);
    const [plain, tls] = r.report.scenarios;
    expect(plain).toMatchObject({ scenario: 'nginx/your-app', status: 'pass', versions: { appImage: APP_IMAGE } });
    expect(tls).toMatchObject({ scenario: 'nginx-tls/your-app', status: 'pass' });
    for (const row of [plain, tls]) {
      const c = checks(row);
      expect(c.handshake, row?.scenario).toMatchObject({ status: 'pass' });
      expect(c.handshake?.figure).toContain('x-chat-server: own-app-chat/1');
      // The room hands a member's message back to the sender too: an echo, byte for byte.
      expect(['echo-text', 'echo-binary', 'echo-large', 'close-code', 'idle-cut', 'client-pings-hold'].map((id) => c[id]?.status), row?.scenario).toEqual(['pass', 'pass', 'pass', 'pass', 'pass', 'pass']);
      expect(c['handled-by']).toMatchObject({ status: 'skip' });
      expect(c['handled-by']?.detail).toContain("the bench's /stats counters");
    }
    expectStatedCut(checks(plain)['idle-cut'], 2);
    expect(checks(tls).handshake?.figure).toMatch(/^101 over TLS \(/);
  });

  it('an app image that does not exist: a clear error, the row red, nothing left running', async () => {
    const r = await runWithReport('missing', ['--app-image', 'ws-proxy-bench-test/no-such-image:1', '--front', 'nginx']);
    expect(r.code).toBe(1);
    expect(r.row?.error).toMatch(/^your app \(image ws-proxy-bench-test\/no-such-image:1\) \(alias 'echo'.*did not start/);
    expect(r.stderr).not.toMatch(/left behind/);
  });
});
