import { describe, expect, it } from 'vitest';
import { renderJson } from '../../../src/report/json.js';
import { renderJunit } from '../../../src/report/junit.js';
import type { Report } from '../../../src/report/model.js';
import { renderMarkdown, renderTextTable, rowLabel, TERMINAL_WIDTH } from '../../../src/report/table.js';
import { catalog } from '../../../src/scenarios/catalog.js';
import { catalogReport, fixedReport } from './sample-report.js';

describe('the report', () => {
  it('renders the summary by default: front setups as rows, families as columns, checks passed in cells, notes below', () => {
    expect(renderTextTable(fixedReport())).toBe([
      'front           | upgrade',
      '----------------+---------',
      'nginx           | pass 3/3',
      'nginx-no-http11 | FAIL 0/1',
      'caddy           | skip [1]',
      'haproxy         | FAIL 0/1',
      '',
      '✗ nginx-no-http11/handshake-fails handshake: expected 400 from app; saw 101 from app',
      '✗ haproxy/upgrade: haproxy exited 1',
      '[1] skipped caddy: caddy is not installed on this host',
      'nginx-no-http11 ran with your config /home/me/nginx.conf',
      '',
      '5 scenarios: 2 passed, 2 failed, 1 skipped; 7 checks: 3 passed, 2 failed, 2 skipped; 12.3 s, local mode (no Docker),',
      '  concurrency 2',
    ].join('\n'));
  });

  it('fits 120 columns for the whole catalog with long names, and --wide keeps every check', () => {
    const report = catalogReport();
    const text = renderTextTable(report);
    const long = text.split('\n').filter((l) => l.length > TERMINAL_WIDTH);
    expect(long).toEqual([]);
    // Every front setup has a row, a red one is explained under the table, and every family shows.
    for (const s of report.scenarios) expect(text).toContain(rowLabel(s));
    for (const family of new Set(catalog.map((s) => s.family))) expect(text).toMatch(new RegExp(`\\| ${family}\\b`));
    expect(text).toMatch(/FAIL \d+\/\d+/);
    const failed = report.scenarios.find((s) => s.status === 'fail');
    expect(text).toContain(`✗ ${failed?.scenario} ${failed?.checks.find((c) => c.status === 'fail')?.check}: expected the moon`);
    const wide = renderTextTable(report, { wide: true });
    const header = wide.split('\n')[0] ?? '';
    for (const id of new Set(catalog.flatMap((s) => s.checks.map((c) => c.id)))) expect(header).toMatch(new RegExp(`\\| ${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( |$)`));
    expect(wide).toContain('✗ saw a cheese');
    expect(wide.split('\n').some((l) => l.length > TERMINAL_WIDTH)).toBe(true);
    // A label longer than any real one is shortened rather than widening the table.
    const absurd = catalogReport('a'.repeat(150));
    expect(renderTextTable(absurd).split('\n').filter((l) => l.length > TERMINAL_WIDTH)).toEqual([]);
  });

  it('renders the full table with wide: fronts as rows, checks as columns, figures in cells, notes below', () => {
    expect(renderTextTable(fixedReport(), { wide: true })).toBe([
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
    const json = JSON.parse(renderJson(fixedReport())) as Report;
    expect(json.scenarios[0]?.checks[1]).toMatchObject({ check: 'echo-large', status: 'pass', figure: '1 MiB ok' });
    expect(json.scenarios[3]).toMatchObject({ status: 'skip', skipped: 'caddy is not installed on this host' });
    expect(json.scenarios[2]?.config).toBe('/home/me/nginx.conf');
  });
});
