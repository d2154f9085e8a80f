import { describe, expect, it } from 'vitest';
import { renderJunit } from '../../../src/report/junit.js';
import { buildReport, exitCode, reportScenario, type Report } from '../../../src/report/model.js';
import { renderMarkdown, renderTextTable } from '../../../src/report/table.js';
import type { Check, Scenario, ScenarioOutcome } from '../../../src/scenarios/types.js';

const check = (id: string, title = id): Check => ({ id, title, independent: true, run: () => Promise.reject(new Error('not run')) });
const scenario = (id: string, front: string, checks: Check[]): Scenario => ({
  id, front, family: 'upgrade', summary: `${id} <summary> & more`, idleTimeoutSeconds: 2, app: {}, checks,
});
const outcome = (s: Scenario, extra: Partial<ScenarioOutcome>, results: [boolean, string, string?][] = []): ScenarioOutcome => ({
  scenario: s.id, front: s.front, family: s.family, durationMs: 1500,
  checks: results.map(([ok, figure, detail], i) => ({ ok, figure, detail: detail ?? `detail ${i}`, check: s.checks[i]?.id ?? '?', title: s.checks[i]?.title ?? '?', durationMs: 250 })),
  ok: results.every(([ok]) => ok), ...extra,
});

const upgrade = scenario('nginx/upgrade', 'nginx', [check('handshake', 'handshake gets 101'), check('echo-large')]);
const idle = scenario('nginx/keepalive', 'nginx', [check('idle-cut')]);
const broken = scenario('nginx-no-http11/handshake-fails', 'nginx-no-http11', [check('handshake')]);
const skipped = scenario('caddy/upgrade', 'caddy', [check('handshake'), check('echo-large')]);
const noStart = scenario('haproxy/upgrade', 'haproxy', [check('handshake')]);

function fixedReport(): Report {
  return buildReport({
    mode: 'local',
    startedAt: new Date('2026-11-24T12:00:00Z'),
    durationMs: 12_345,
    concurrency: 2,
    scenarios: [
      reportScenario(upgrade, outcome(upgrade, {}, [[true, '101 from app'], [true, '1 MiB ok']])),
      reportScenario(idle, outcome(idle, {}, [[true, 'cut after 2.03 s (1006)']])),
      reportScenario(broken, outcome(broken, {}, [[false, '101 from app', 'expected 400 from app; saw 101 from app']]), '/home/me/nginx.conf'),
      reportScenario(skipped, outcome(skipped, { skipped: 'caddy is not installed on this host' })),
      reportScenario(noStart, outcome(noStart, { error: 'haproxy exited 1' })),
    ],
  });
}

describe('the report', () => {
  it('counts scenarios and checks; a failure fails the run, a skip never passes', () => {
    const report = fixedReport();
    expect(report.counts).toEqual({ scenarios: { pass: 2, fail: 2, skip: 1 }, checks: { pass: 3, fail: 2, skip: 2 } });
    expect(report.ok).toBe(false);
    expect(exitCode(report)).toBe(1);
    const skip = report.scenarios.find((s) => s.scenario === 'caddy/upgrade');
    expect(skip?.checks.map((c) => c.status)).toEqual(['skip', 'skip']);
    const onlyPassAndSkip = buildReport({ ...report, startedAt: new Date(report.startedAt), scenarios: report.scenarios.filter((s) => s.status !== 'fail') });
    expect(exitCode(onlyPassAndSkip)).toBe(0);
  });

  it('renders the table: fronts as rows, checks as columns, figures in cells, notes below', () => {
    expect(renderTextTable(fixedReport())).toBe([
      'front           | handshake      | echo-large    | idle-cut',
      '----------------+----------------+---------------+--------------------------',
      'nginx           | ✓ 101 from app | ✓ 1 MiB ok    | ✓ cut after 2.03 s (1006)',
      'nginx-no-http11 | ✗ 101 from app |               |',
      'caddy           | – skipped [1]  | – skipped [1] |',
      'haproxy         | ✗ not started  |               |',
      '',
      '✗ nginx-no-http11/handshake-fails handshake: expected 400 from app; saw 101 from app',
      '✗ haproxy/upgrade: haproxy exited 1',
      '[1] skipped caddy: caddy is not installed on this host',
      'nginx-no-http11 ran with your config /home/me/nginx.conf',
      '',
      '5 scenarios: 2 passed, 2 failed, 1 skipped; 7 checks: 3 passed, 2 failed, 2 skipped; 12.3 s, local mode (no Docker), concurrency 2',
    ].join('\n'));
  });

  it('writes the same results as Markdown', () => {
    const md = renderMarkdown(fixedReport());
    expect(md).toContain('| front | handshake | echo-large | idle-cut |\n| --- | --- | --- | --- |\n| nginx | ✓ 101 from app | ✓ 1 MiB ok | ✓ cut after 2.03 s (1006) |');
    expect(md).toContain('| caddy | – skipped [1] | – skipped [1] |  |');
    expect(md).toContain('- [1] skipped caddy: caddy is not installed on this host');
    expect(md).toContain('2026-11-24T12:00:00.000Z');
  });

  it('writes JUnit: a testsuite per scenario, a testcase per check, failures with detail, skips with reason', () => {
    const xml = renderJunit(fixedReport());
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="ws-proxy-bench" tests="7" failures="2" skipped="2"')).toBe(true);
    expect(xml.match(/<testsuite /g)).toHaveLength(5);
    expect(xml.match(/<testcase /g)).toHaveLength(7);
    expect(xml).toContain('<testsuite name="nginx-no-http11/handshake-fails" tests="1" failures="1" errors="0" skipped="0"');
    expect(xml).toContain('<failure message="101 from app">expected 400 from app; saw 101 from app</failure>');
    expect(xml).toContain('<skipped message="caddy is not installed on this host"/>');
    expect(xml).toContain('<failure message="not started">the topology did not start: haproxy exited 1</failure>');
    // Special characters are escaped, and every element that opens closes.
    expect(xml).toContain('value="nginx/upgrade &lt;summary&gt; &amp; more"');
    for (const tag of ['testsuites', 'testsuite', 'testcase']) {
      expect((xml.match(new RegExp(`<${tag}[ >]`, 'g')) ?? []).length).toBe((xml.match(new RegExp(`</${tag}>`, 'g')) ?? []).length);
    }
  });

  it('JSON carries the measured figures and raw numbers', () => {
    const json = JSON.parse(JSON.stringify(fixedReport())) as Report;
    expect(json.scenarios[0]?.checks[1]).toMatchObject({ check: 'echo-large', status: 'pass', figure: '1 MiB ok' });
    expect(json.scenarios[3]).toMatchObject({ status: 'skip', skipped: 'caddy is not installed on this host' });
    expect(json.scenarios[2]?.config).toBe('/home/me/nginx.conf');
  });
});
