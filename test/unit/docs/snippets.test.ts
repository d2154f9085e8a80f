/**
 * Every config shown in docs/ (and the README) is the very file the suite runs: a page includes
 * it with `<!-- include: <path>[#region] -->` right before a fenced block (test/support/docs/snippets.ts).
 * To rewrite drifted snippets from their files:
 *   WS_PROXY_BENCH_UPDATE_DOCS=1 npx vitest run --project unit docs
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { docPages } from '../../support/docs/pages.js';
import { checkSnippets, extractSnippet, fencedBlocks, findIncludes } from '../../support/docs/snippets.js';
import { projectPath } from '../../../src/paths.js';
import { updateDocsRequested } from '../../support/docs/update-docs.js';

const UPDATE = 'WS_PROXY_BENCH_UPDATE_DOCS=1 npx vitest run --project unit docs';

function readProjectFile(path: string): string | undefined {
  const full = projectPath(path);
  return existsSync(full) ? readFileSync(full, 'utf8') : undefined;
}

describe('docs snippets: the module', () => {
  const conf = '# top\nhttp {\n    # region: upgrade (shown in the docs)\n    proxy_http_version 1.1;\n    # endregion\n}\n';

  it('extracts a whole file without region markers, and a region dedented', () => {
    expect(extractSnippet(conf, 'a.conf')).toBe('# top\nhttp {\n    proxy_http_version 1.1;\n}\n');
    expect(extractSnippet(conf, 'a.conf', 'upgrade')).toBe('proxy_http_version 1.1;\n');
  });

  it('names the file and its regions when a region is unknown', () => {
    expect(() => extractSnippet(conf, 'a.conf', 'timeouts')).toThrow(/a\.conf has no region 'timeouts'.*regions in it: upgrade/);
  });

  it('finds fenced blocks and the include that precedes one', () => {
    const md = 'x\n<!-- include: a.conf#upgrade -->\n```nginx\nold\n```\n\n```sh\nls\n```\n';
    expect(fencedBlocks(md).map((b) => b.language)).toEqual(['nginx', 'sh']);
    expect(findIncludes(md)).toMatchObject([{ file: 'a.conf', region: 'upgrade', block: { openLine: 2, content: 'old\n' } }]);
  });

  it('reports a drifted snippet and rewrites it from the file', () => {
    const md = '<!-- include: a.conf#upgrade -->\n```nginx\nproxy_http_version 1.0;\n```\n';
    const { problems, updated } = checkSnippets('p.md', md, (p) => (p === 'a.conf' ? conf : undefined));
    expect(problems).toEqual([{ doc: 'p.md', line: 2, message: 'the snippet of a.conf#upgrade differs from the file' }]);
    expect(updated).toBe('<!-- include: a.conf#upgrade -->\n```nginx\nproxy_http_version 1.1;\n```\n');
    expect(checkSnippets('p.md', updated, () => conf).problems).toEqual([]);
  });

  it('refuses a config block with no include, a missing file, and a marker with no block', () => {
    const md = '```haproxy\ntimeout tunnel 1h\n```\n<!-- include: gone.conf -->\n```nginx\n```\n<!-- include: a.conf -->\ntext\n';
    const messages = checkSnippets('p.md', md, (p) => (p === 'a.conf' ? conf : undefined)).problems.map((p) => `${p.line}: ${p.message}`);
    expect(messages).toEqual([
      expect.stringMatching(/^4: includes gone\.conf, which does not exist/),
      expect.stringMatching(/^7: the include of a\.conf is not followed by a fenced code block/),
      expect.stringMatching(/^1: a ```haproxy block with no include marker/),
    ]);
  });

  it('leaves blocks in other languages alone', () => {
    expect(checkSnippets('p.md', '```yaml\nkind: Ingress\n```\n```xml\n<webSocket enabled="false" />\n```\n', () => undefined).problems).toEqual([]);
  });
});

describe('docs snippets: every page', () => {
  for (const page of docPages()) {
    it(`${page}: every config snippet equals the file the suite runs`, () => {
      const text = readFileSync(projectPath(page), 'utf8');
      const { problems, updated } = checkSnippets(page, text, readProjectFile);
      const update = updateDocsRequested();
      const drifted = problems.some((p) => p.message.includes('differs from the file'));
      if (drifted && update) writeFileSync(projectPath(page), updated);
      const fixable = update
        ? problems.filter((p) => !p.message.includes('differs from the file'))
        : problems;
      const report = fixable
        .map((p) => `${p.doc}:${p.line}: ${p.message}${p.message.includes('differs') ? `; run ${UPDATE} to rewrite it` : ''}`)
        .join('\n');
      expect(report, report).toBe('');
    });
  }
});
