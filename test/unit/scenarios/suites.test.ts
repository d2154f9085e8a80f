/**
 * Every catalog scenario runs in exactly one container suite file, and every suite file runs
 * some: the suites table (test/containers/scenarios/suites.ts) against the folder's files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../../../src/paths.js';
import { catalog } from '../../../src/scenarios/catalog.js';
import { catalogSuites, nonCatalogSuites, suiteSelector } from '../../containers/scenarios/suites.js';

const FOLDER = 'test/containers/scenarios';
const files = readdirSync(projectPath(FOLDER)).filter((f) => f.endsWith('.test.ts')).sort();
const suites = Object.keys(catalogSuites);

describe('container suites: the files', () => {
  for (const file of files) {
    it(`${file} is a catalog suite or marked as not one, not both`, () => {
      const listed = [file in catalogSuites && 'catalogSuites', file in nonCatalogSuites && 'nonCatalogSuites'].filter(Boolean);
      expect(listed, `${FOLDER}/${file} must be in exactly one of catalogSuites and nonCatalogSuites (suites.ts); it is in ${listed.join(' and ') || 'neither'}`)
        .toHaveLength(1);
    });
  }

  for (const file of [...suites, ...Object.keys(nonCatalogSuites)]) {
    it(`${file} (in the suites table) exists`, () => {
      expect(files, `suites.ts names ${file}, but ${FOLDER}/ has no such file`).toContain(file);
    });
  }

  for (const file of suites.filter((f) => files.includes(f))) {
    it(`${file} looks itself up in the table`, () => {
      const text = readFileSync(projectPath(`${FOLDER}/${file}`), 'utf8');
      expect(text, `${FOLDER}/${file} must call describeSuite(import.meta.url), so it runs what the table says`).toContain('describeSuite(import.meta.url)');
    });
  }
});

describe('container suites: the scenarios', () => {
  for (const file of suites) {
    it(`${file} runs at least one catalog scenario`, () => {
      expect(catalog.filter(suiteSelector(file)).map((s) => s.id), `${file} selects no catalog scenario`).not.toHaveLength(0);
    });
  }

  for (const s of catalog) {
    it(`${s.id} runs in exactly one suite file`, () => {
      const runIn = suites.filter((file) => suiteSelector(file)(s));
      expect(runIn, `${s.id} is selected by ${runIn.join(' and ') || 'no suite file'} (test/containers/scenarios/suites.ts)`).toHaveLength(1);
    });
  }

  it('refuses a file the table does not know, naming it', () => {
    expect(() => suiteSelector('nope.test.ts')).toThrow(/nope\.test\.ts is not a catalog suite/);
  });
});
