/** Every relative link in README.md and docs/ points to a file that exists. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { relativeLinks } from '../../support/docs/links.js';
import { docPages } from '../../support/docs/pages.js';
import { projectPath } from '../../../src/paths.js';

describe('docs links: the module', () => {
  it('finds relative links outside code, and leaves URLs and anchors alone', () => {
    const md = 'See [a](nginx.md#timeouts), [b](https://nginx.org/), [c](#here), `[d](code.md)`\n[ref]: ../README.md\n```\n[e](in-block.md)\n```\n';
    expect(relativeLinks(md)).toEqual([
      { target: 'nginx.md#timeouts', path: 'nginx.md', line: 1 },
      { target: '../README.md', path: '../README.md', line: 2 },
    ]);
  });
});

describe('docs links: every page', () => {
  for (const page of docPages()) {
    it(`${page}: every relative link points to an existing file`, () => {
      const broken = relativeLinks(readFileSync(projectPath(page), 'utf8'))
        .filter((l) => !existsSync(projectPath(join(dirname(page), l.path))))
        .map((l) => `${page}:${l.line}: link to ${l.target}, which does not exist (fix the path or add the file)`);
      expect(broken.join('\n'), broken.join('\n')).toBe('');
    });
  }
});
