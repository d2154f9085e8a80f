import { describe, expect, it } from 'vitest';
import { figureShape, findDifferences, renderCompatibility } from '../../../src/bench/compatibility-doc.js';
import type { Machine } from '../../../src/bench/machine.js';
import type { Report, ReportScenario } from '../../../src/report/model.js';

const sets = ['bookworm', 'trixie'];
const machine: Machine = { date: '2026-12-01T00:00:00.000Z', cores: 2, cpuModel: 'cpu', ramGiB: 24, os: 'Debian', node: 'v20.20.2', docker: 'Docker Engine 20.10', images: {} };

function row(imageSet: string, front: string, figure: string, status: 'pass' | 'fail' = 'pass'): ReportScenario {
  return {
    scenario: 'caddy/reload-drops-websockets', front: 'caddy', kind: 'caddy', family: 'misconfiguration', summary: 's', status, durationMs: 1, imageSet,
    versions: { front, appNode: '20.19.2' },
    checks: [
      { check: 'reload', title: 't', status, figure, detail: '', durationMs: 1 },
      { check: 'idle-cut', title: 't', status: 'pass', figure: imageSet === 'bookworm' ? 'cut after 2.00 s (1006)' : 'cut after 2.01 s (1006)', detail: '', durationMs: 1 },
    ],
  };
}

function report(scenarios: ReportScenario[]): Report {
  return { tool: 'ws-proxy-bench', version: '0', mode: 'containers', startedAt: '', durationMs: 1000, concurrency: 3, ok: true, counts: { scenarios: { pass: 2, fail: 0, skip: 0 }, checks: { pass: 4, fail: 0, skip: 0 } }, scenarios };
}

describe('docs/compatibility.md', () => {
  it('blurs timings but not codes when comparing figures', () => {
    expect(figureShape('cut after 2.00 s (1006)')).toBe(figureShape('cut after 2.47 s (1006)'));
    expect(figureShape('cut after 2.00 s (1006)')).not.toBe(figureShape('cut after 2.00 s (1001)'));
    expect(figureShape('502 for 400 ms')).toBe(figureShape('502 for 12 ms'));
    expect(figureShape('sent 309, received 309; client 172.28.0.3')).toBe(figureShape('sent 303, received 303; client 172.29.0.3'));
    expect(figureShape('2000/2000 in 3.13 s; heap 11.4 MiB')).toBe(figureShape('2000/2000 in 6.56 s; heap 8.2 MiB'));
    expect(figureShape('400 from app')).not.toBe(figureShape('101 from app'));
    expect(figureShape('answer "HTTP/1.1 408 Request Timeout"')).not.toBe(figureShape('answer "HTTP/1.1 400 Bad Request"'));
    expect(figureShape('dropped, close 1001')).not.toBe(figureShape('dropped, close 1006'));
  });

  it('lists a check whose verdict or figure differs between versions, with its note or as unexplained', () => {
    const r = report([row('bookworm', '2.6.2', 'dropped, close 1001'), row('trixie', '2.6.2', 'dropped, close 1006')]);
    const diffs = findDifferences(r, sets);
    expect(diffs.map((d) => d.check)).toEqual(['reload']);
    expect(diffs[0]?.cells).toEqual({ bookworm: '✓ dropped, close 1001', trixie: '✓ dropped, close 1006' });
    expect(diffs[0]?.explanation).toBeUndefined();
    const noted = findDifferences(r, sets, { 'caddy/reload-drops-websockets reload': 'Caddy X sends 1006' });
    expect(noted[0]?.explanation).toBe('Caddy X sends 1006');
    const doc = renderCompatibility(r, sets, machine);
    expect(doc).toContain('**Unexplained**');
    expect(doc).toContain('| caddy | 2.6.2 | 2.6.2 |');
    expect(doc).toContain('| app (Node.js) | 20.19.2 | 20.19.2 |');
    expect(doc).toContain('| scenario | check | bookworm (2.6.2) | trixie (2.6.2) |');
    expect(doc).toContain('- date: 2026-12-01T00:00:00.000Z');
  });

  it('says so when every version behaved the same', () => {
    const same = report([row('bookworm', '2.6.2', 'dropped'), row('trixie', '2.6.2', 'dropped')]);
    expect(findDifferences(same, sets)).toEqual([]);
    expect(renderCompatibility(same, sets, machine)).toContain('Every check gave the same verdict and the same figure');
  });
});
