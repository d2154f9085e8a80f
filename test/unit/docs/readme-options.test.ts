/**
 * The options tables of the README (and of docs/socket-io.md) are generated from the option
 * specs the code validates with, so they cannot drift. To refresh them:
 * WS_PROXY_BENCH_UPDATE_DOCS=1 npx vitest run --project unit readme
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { frontOptionSpecs } from '../../../proxy/options.js';
import { echoOptionSpecs } from '../../../src/echo/options.js';
import { optionsMarkdown, type OptionSpecs } from '../../../src/options.js';
import { projectPath } from '../../../src/paths.js';
import { socketioOptionSpecs } from '../../../src/socketio/options.js';
import { updateDocsRequested } from '../../support/docs/update-docs.js';

/** Which page holds each table, by the table's marker name. */
const tables: Record<string, { page: string; specs: OptionSpecs }> = {
  echo: { page: 'README.md', specs: echoOptionSpecs },
  front: { page: 'README.md', specs: frontOptionSpecs },
  socketio: { page: 'docs/socket-io.md', specs: socketioOptionSpecs },
};

function section(text: string, name: string): { start: number; end: number } {
  const open = `<!-- options:${name} (generated from the code; see test/unit/docs/readme-options.test.ts) -->\n`;
  const close = `<!-- /options:${name} -->`;
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  if (start < 0 || end < start) throw new Error(`the page lacks the markers:\n${open}${close}`);
  return { start: start + open.length, end };
}

describe('README options tables', () => {
  for (const [name, { page, specs }] of Object.entries(tables)) {
    it(`the ${name} table in ${page} matches the code's option specs`, () => {
      const file = projectPath(page);
      let text = readFileSync(file, 'utf8');
      const { start, end } = section(text, name);
      const want = `${optionsMarkdown(specs)}\n`;
      if (updateDocsRequested()) {
        text = text.slice(0, start) + want + text.slice(end);
        writeFileSync(file, text);
      }
      expect(text.slice(start, end), `${page}: options table drifted; run WS_PROXY_BENCH_UPDATE_DOCS=1 npx vitest run --project unit readme`).toBe(want);
    });
  }
});
