/** The docs-regeneration switch is refused under CI, with a message that says what to do. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectPath, projectRoot } from '../../../src/paths.js';
import { isCi, updateDocsRequested } from '../../support/docs/update-docs.js';

describe('WS_PROXY_BENCH_UPDATE_DOCS', () => {
  it('rewrites the docs only when set to 1 outside CI', () => {
    expect(updateDocsRequested({ WS_PROXY_BENCH_UPDATE_DOCS: '1' })).toBe(true);
    expect(updateDocsRequested({})).toBe(false);
    expect(updateDocsRequested({ CI: 'true' })).toBe(false);
    expect(updateDocsRequested({ WS_PROXY_BENCH_UPDATE_DOCS: '1', CI: 'false' })).toBe(true);
    expect(updateDocsRequested({ WS_PROXY_BENCH_UPDATE_DOCS: '1', CI: '' })).toBe(true);
  });

  it.each(['true', '1', 'TRUE'])('is refused under CI=%s, naming both variables and what to do', (ci) => {
    expect(isCi({ CI: ci })).toBe(true);
    expect(() => updateDocsRequested({ WS_PROXY_BENCH_UPDATE_DOCS: '1', CI: ci })).toThrow(
      `WS_PROXY_BENCH_UPDATE_DOCS=1 is refused under CI (CI=${ci}): a CI run checks the committed docs against the code and must not rewrite them. ` +
        'Unset WS_PROXY_BENCH_UPDATE_DOCS in CI; to regenerate the docs, run it locally and commit the result.',
    );
    // Any value, not only the one that would rewrite: under CI the switch has no business being set.
    expect(() => updateDocsRequested({ WS_PROXY_BENCH_UPDATE_DOCS: 'yes', CI: ci })).toThrow(/refused under CI/);
  });

  it('is read through the guard by every test that honours it', () => {
    const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? (e.name === 'node_modules' ? [] : walk(join(dir, e.name))) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []);
    const files = [...walk(projectPath('test')), ...walk(projectPath('src')), ...walk(projectPath('scripts'))];
    const self = ['test/support/docs/update-docs.ts', 'test/unit/docs/update-docs.test.ts'];
    const readers = files.map((f) => relative(projectRoot, f)).filter((f) => !self.includes(f) && readFileSync(projectPath(f), 'utf8').includes('UPDATE_DOCS')).sort();
    const honouring = readers.filter((f) => /process\.env(\.|\[')WS_PROXY_BENCH_UPDATE_DOCS/.test(readFileSync(projectPath(f), 'utf8')));
    expect(honouring).toEqual([]);
    const guarded = readers.filter((f) => readFileSync(projectPath(f), 'utf8').includes('updateDocsRequested()'));
    expect(guarded).toEqual(['test/unit/docs/readme-compose-ports.test.ts', 'test/unit/docs/readme-options.test.ts', 'test/unit/docs/snippets.test.ts']);
  });
});
