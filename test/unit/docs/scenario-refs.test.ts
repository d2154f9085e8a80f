/** Every scenario id the docs name is in the catalog (src/scenarios/catalog.ts). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { docPages } from '../../support/docs/pages.js';
import { scenarioRefs } from '../../support/docs/scenario-refs.js';
import { projectPath } from '../../../src/paths.js';
import { catalog } from '../../../src/scenarios/catalog.js';
import { frontSetups } from '../../../src/fronts/index.js';

const setups = new Set(frontSetups.keys());
const ids = new Set(catalog.map((s) => s.id));

describe('docs scenario ids: the module', () => {
  it('finds `<setup>/<name>` in inline code for known setups only, outside code blocks', () => {
    const md = 'Run `nginx/upgrade` or `<front>/upgrade` or `nginx/keepalive-*`, see `src/docs`.\n```sh\n`nginx/x`\n```\n`http-front/websocket-handled-by-app`\n';
    expect(scenarioRefs(md, new Set(['nginx', 'http-front']))).toEqual([
      { id: 'nginx/upgrade', line: 1 },
      { id: 'http-front/websocket-handled-by-app', line: 5 },
    ]);
  });
});

describe('docs scenario ids: every page', () => {
  for (const page of docPages()) {
    it(`${page}: every scenario it names is in the catalog`, () => {
      const unknown = scenarioRefs(readFileSync(projectPath(page), 'utf8'), setups)
        .filter((r) => !ids.has(r.id))
        .map((r) => `${page}:${r.line}: names scenario ${r.id}, which the catalog does not have (src/scenarios/catalog.ts; fix the name in the page)`);
      expect(unknown.join('\n'), unknown.join('\n')).toBe('');
    });
  }
});
