/**
 * One report with every kind of row (passed, failed, skipped, not started, a user config), built
 * the way a run builds it, for the tests of the builder and of the renderers.
 */
import type { Report } from '../../../src/report/model.js';
import { buildReport, reportScenario } from '../../../src/run/build-report.js';
import { catalog } from '../../../src/scenarios/catalog.js';
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

export function fixedReport(): Report {
  return buildReport({
    mode: 'local',
    startedAt: new Date('2026-11-24T12:00:00Z'),
    durationMs: 12_345,
    concurrency: 2,
    scenarios: [
      reportScenario(upgrade, outcome(upgrade, {}, [[true, '101 from app'], [true, '1 MiB ok']])),
      reportScenario(idle, outcome(idle, {}, [[true, 'cut after 2.03 s (1006)']])),
      reportScenario(broken, outcome(broken, {}, [[false, '101 from app', 'expected 400 from app; saw 101 from app']]), { config: '/home/me/nginx.conf' }),
      reportScenario(skipped, outcome(skipped, { skipped: 'caddy is not installed on this host' })),
      reportScenario(noStart, outcome(noStart, { error: 'haproxy exited 1' })),
    ],
  });
}

/**
 * Every scenario of the real catalog, run on an image set (the widest labels a run prints): every check passed, but one of every seventh scenario failed and one
 * skipped, so the table shows each kind of cell.
 */
export function catalogReport(frontVersion = '2.4.62'): Report {
  const scenarios = catalog.map((s, n) => {
    const versions = { front: s.front.startsWith('http-front') ? '20.19.2' : frontVersion, frontOf: s.front.startsWith('http-front') ? 'Node.js' : undefined, appNode: '20.19.2' };
    const results = s.checks.map((c, i): [boolean, string, string?] => (n % 7 === 3 && i === 0 ? [false, 'saw a cheese', 'expected the moon; saw a cheese'] : [true, `${c.id} ok, measured 12.34 s`]));
    const o = outcome(s, n % 11 === 5 ? { skipped: `${s.front} is not installed on this host` } : { versions: versions.frontOf ? versions as { front: string; frontOf: string } : { front: versions.front } }, results);
    return reportScenario(s, o, { imageSet: 'bookworm' });
  });
  return buildReport({ mode: 'containers', startedAt: new Date('2026-11-24T12:00:00Z'), durationMs: 798_123, concurrency: 8, scenarios });
}
