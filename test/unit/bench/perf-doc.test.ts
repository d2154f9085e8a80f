/**
 * The benches' shared pieces that need no Docker: docs/perf.md sections (each bench rewrites its
 * own and keeps the other's, and only from a run of its defaults), the tables, and the latency
 * percentile.
 */
import { describe, expect, it } from 'vitest';
import { percentile } from '../../../src/bench/load.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { changedFlags, markdownTable, textTable, withSection, writeSectionIfDefaults } from '../../../src/bench/perf-doc.js';

describe('a bench run writes the docs only with its defaults', () => {
  const specs = { front: { flag: '--front', default: ['nginx', 'haproxy'] }, duration: { flag: '--duration', default: 60_000 } };

  it('names the flags that differ from their defaults', () => {
    expect(changedFlags(specs, { front: ['nginx', 'haproxy'], duration: 60_000 })).toEqual([]);
    expect(changedFlags(specs, { front: ['nginx'], duration: 5_000 })).toEqual(['--front', '--duration']);
  });

  it('writes the section for a run of the defaults, and leaves the file as it is for any other, saying why', () => {
    const dir = mkdtempSync(join(tmpdir(), 'perf-doc-'));
    try {
      const file = join(dir, 'perf.md');
      writeFileSync(file, withSection(undefined, 'scale', 'the full run'));
      const before = readFileSync(file, 'utf8');
      expect(writeSectionIfDefaults(['--front'], 'scale', () => 'one front', file)).toMatch(/perf\.md left as it is \(it shows a run of the defaults; --front differs from its\)$/);
      expect(readFileSync(file, 'utf8')).toBe(before);
      expect(writeSectionIfDefaults([], 'scale', () => 'the next full run', file)).toMatch(/^wrote .*perf\.md \(its scale section\)$/);
      expect(readFileSync(file, 'utf8')).toContain('the next full run');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('docs/perf.md sections', () => {
  it('a new document gets both sections, the other one as "Not run yet"', () => {
    const doc = withSection(undefined, 'perf', '## Throughput\n\nfigures A');
    expect(doc).toMatch(/^# Performance/);
    expect(doc).toContain('figures A');
    expect(doc).toMatch(/<!-- scale:begin[^\n]*-->\n## Idle connections at scale[^\n]*\n\nNot run yet\.\n<!-- scale:end -->/);
  });

  it('rewriting one section keeps the other one and everything around it', () => {
    const first = withSection(undefined, 'perf', 'perf run 1');
    const second = withSection(first, 'scale', 'scale run 1');
    const third = withSection(second, 'perf', 'perf run 2');
    expect(third).toContain('perf run 2');
    expect(third).not.toContain('perf run 1');
    expect(third).toContain('scale run 1');
    expect(third.indexOf('perf run 2')).toBeLessThan(third.indexOf('scale run 1'));
    expect(withSection(third, 'perf', 'perf run 2')).toBe(third);
  });

  it('a document without the markers gets the section appended', () => {
    const doc = withSection('# Hand-written\n\ntext\n', 'scale', 'scale figures');
    expect(doc).toMatch(/^# Hand-written\n\ntext\n\n<!-- scale:begin[^\n]*-->\nscale figures\n<!-- scale:end -->\n$/);
  });

  it('tables: Markdown rows and padded terminal columns', () => {
    expect(markdownTable(['a', 'b'], [['1', '22']])).toBe('| a | b |\n| --- | --- |\n| 1 | 22 |');
    expect(textTable(['a', 'b'], [['111', '2']]).split('\n')).toEqual(['a    b', '---  -', '111  2']);
  });
});

describe('percentile', () => {
  it('is the nearest-rank value of sorted samples', () => {
    const samples = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile(samples, 100)).toBe(100);
    expect(percentile(Float64Array.from([7]), 99)).toBe(7);
    expect(percentile(new Float64Array(0), 50)).toBeNaN();
  });
});
