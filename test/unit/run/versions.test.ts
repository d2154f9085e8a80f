import { describe, expect, it } from 'vitest';
import { DEBIAN_SUITES } from '../../../src/containers/debian-suites.js';
import { renderJunit } from '../../../src/report/junit.js';
import { buildMatrix, rowLabel } from '../../../src/report/table.js';
import { buildReport, mergeReports, reportScenario } from '../../../src/run/build-report.js';
import { planMatrix } from '../../../src/run/matrix.js';
import { planRun } from '../../../src/run/options.js';
import { catalog, scenario } from '../../../src/scenarios/catalog.js';
import type { ScenarioOutcome } from '../../../src/scenarios/types.js';

const sets = DEBIAN_SUITES.map((name) => ({ name, images: { node: `node:${name}` } }));

describe('the version matrix', () => {
  it('plans every scenario of the catalog on every suite, exactly once, a scenario\'s suites side by side', () => {
    const runs = planMatrix(catalog, sets);
    expect(runs).toHaveLength(catalog.length * DEBIAN_SUITES.length);
    for (const s of catalog) {
      const mine = runs.filter((r) => r.scenario === s);
      expect(mine.map((r) => r.imageSet?.name), s.id).toEqual([...DEBIAN_SUITES]);
      const first = runs.indexOf(mine[0] as (typeof runs)[number]);
      expect(runs.slice(first, first + DEBIAN_SUITES.length), s.id).toEqual(mine);
    }
    expect(planMatrix(catalog)).toEqual(catalog.map((s) => ({ scenario: s })));
  });

  it('takes --versions all or a list; an unknown suite is a usage error naming the known ones; not with --local', () => {
    const all = planRun(['--versions', 'all', '--front', 'nginx']);
    expect(all !== 'help' && all.suites).toEqual([...DEBIAN_SUITES]);
    const two = planRun(['--versions', 'sid,bookworm']);
    expect(two !== 'help' && two.suites).toEqual(['sid', 'bookworm']);
    const none = planRun([]);
    expect(none !== 'help' && none.suites).toEqual([]);
    expect(() => planRun(['--versions', 'buster'])).toThrow(/--versions.*bookworm, trixie, sid/);
    expect(() => planRun(['--versions', 'trixie', '--local'])).toThrow(/--versions picks image sets, which need Docker/);
  });

  it('gives each row the version read from the running front, grouped by front setup and version, and carries it in JUnit', () => {
    const s = scenario('nginx/upgrade');
    const outcome = (front: string): ScenarioOutcome => ({
      scenario: s.id, front: s.front, family: s.family, ok: true, durationMs: 1, versions: { front, appNode: '20.19.2' },
      checks: s.checks.map((c) => ({ check: c.id, title: c.title, ok: true, figure: 'ok', detail: '', durationMs: 1 })),
    });
    const rows = [
      reportScenario(s, outcome('1.22.1'), { imageSet: 'bookworm' }),
      reportScenario(s, outcome('1.26.3'), { imageSet: 'trixie' }),
    ];
    expect(buildMatrix(rows).rows.map((r) => r.front)).toEqual(['nginx 1.22.1 [bookworm]', 'nginx 1.26.3 [trixie]']);
    expect(rowLabel({ front: 'http-front', versions: { front: '22.23.5', frontOf: 'Node.js', appNode: '22.23.5' } })).toBe('http-front (Node.js 22.23.5)');
    const xml = renderJunit(buildReport({ mode: 'containers', startedAt: new Date(0), durationMs: 2, concurrency: 2, scenarios: rows }));
    expect(xml).toContain('<testsuite name="nginx/upgrade [bookworm]"');
    expect(xml).toContain('<property name="frontVersion" value="1.26.3"/><property name="appNodeVersion" value="20.19.2"/>');
  });
});

describe('merging a partial matrix run into the last full one', () => {
  it('replaces the re-run scenarios per image set, keeps the others, drops what left the catalog, in catalog order', () => {
    const s = scenario('nginx/upgrade');
    const t = scenario('nginx/keepalive-server-pings');
    const out = (sc: typeof s, figure: string): ScenarioOutcome => ({
      scenario: sc.id, front: sc.front, family: sc.family, ok: true, durationMs: 1, versions: { front: '1.0.0', appNode: '20.0.0' },
      checks: sc.checks.map((c) => ({ check: c.id, title: c.title, ok: true, figure, detail: '', durationMs: 1 })),
    });
    const at = (sc: typeof s, figure: string, imageSet: string) => reportScenario(sc, out(sc, figure), { imageSet });
    const gone = { ...at(s, 'old', 'sid'), scenario: 'gone/scenario' };
    const full = buildReport({ mode: 'containers', startedAt: new Date(0), durationMs: 9, concurrency: 4, scenarios: [at(t, 'old', 'trixie'), at(s, 'old', 'trixie'), at(s, 'old', 'sid'), gone] });
    const partial = buildReport({ mode: 'containers', startedAt: new Date(1), durationMs: 1, concurrency: 4, scenarios: [at(s, 'new', 'trixie')] });
    const merged = mergeReports(full, partial, catalog.map((c) => c.id));
    expect(merged.scenarios.map((r) => `${r.scenario} ${r.imageSet} ${r.checks[0]?.figure}`)).toEqual([
      'nginx/upgrade sid old', 'nginx/upgrade trixie new', 'nginx/keepalive-server-pings trixie old',
    ]);
    expect(merged.counts.scenarios.pass).toBe(3);
  });
});
