/**
 * Which container suite file runs which catalog scenarios, as data: file name → selector. A
 * scenario runs in the file of its front's kind (`<kind>.test.ts`), except the faults and
 * security families, which run in `faults-<kind>.test.ts` beside it. Each suite file looks itself
 * up here (describeSuite in describe-scenarios.ts), and test/unit/scenarios/suites.test.ts proves
 * every catalog scenario runs in exactly one file and every file runs some.
 *
 * This module imports only the front setups (and the catalog's types): a unit test reads it
 * without starting Docker or loading the container suites' helpers.
 */
import { FRONT_KINDS, frontSetup, type FrontKind } from '../../../src/fronts/index.js';
import type { Scenario } from '../../../src/scenarios/types.js';

type Selector = (scenario: Scenario) => boolean;

/** The faults and security families run in their own files (faults-<kind>.test.ts), beside the per-front suites. */
export function isFaultOrSecurity(s: Scenario): boolean {
  return s.family === 'faults' || s.family === 'security';
}

/** The scenarios of one front kind: its faults and security families, or everything else. */
function ofKind(kind: FrontKind, families: 'faults' | 'the rest'): Selector {
  return (s) => frontSetup(s.front).kind === kind && isFaultOrSecurity(s) === (families === 'faults');
}

/** The catalog suites: file name (in test/containers/scenarios/) → the scenarios it runs. */
export const catalogSuites: Readonly<Record<string, Selector>> = Object.fromEntries(
  FRONT_KINDS.flatMap((kind) => [[`${kind}.test.ts`, ofKind(kind, 'the rest')], [`faults-${kind}.test.ts`, ofKind(kind, 'faults')]]),
);

/** Container test files in the same folder that are not catalog suites, and what they test instead. */
export const nonCatalogSuites: Readonly<Record<string, string>> = {
  'nginx-tls-page.test.ts': 'the echo page over https in a real browser, through nginx-tls',
};

/** The selector of a catalog suite, by its file name; throws for a file the table does not know. */
export function suiteSelector(file: string): Selector {
  const select = catalogSuites[file];
  if (!select) {
    throw new Error(`${file} is not a catalog suite in test/containers/scenarios/suites.ts; known: ${Object.keys(catalogSuites).join(', ')}`);
  }
  return select;
}
