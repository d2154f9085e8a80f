/**
 * Which container suite file runs which catalog scenarios, as data: file name → selector. A
 * scenario runs in the file of its front's kind (`<kind>.test.ts`), except the faults and
 * security families, which run in `faults-<kind>.test.ts` beside it, the reload family in
 * `reload-<kind>.test.ts`, the h2 family in `h2-<kind>.test.ts`, and the socketio and replicas
 * families in `socketio-<kind>.test.ts`. Each suite file looks itself
 * up here (describeSuite in describe-scenarios.ts), and test/unit/scenarios/suites.test.ts proves
 * every catalog scenario runs in exactly one file and every file runs some.
 *
 * This module imports only the front registry and the catalog: a unit test reads it without
 * starting Docker or loading the container suites' helpers.
 */
import { FRONT_KINDS, frontSetup, type FrontKind } from '../../../src/fronts/index.js';
import { catalog } from '../../../src/scenarios/catalog.js';
import type { Scenario } from '../../../src/scenarios/types.js';

type Selector = (scenario: Scenario) => boolean;

/** Which file of its kind a scenario runs in: faults and security together, reloads apart, the rest in the kind's own file. */
type Group = 'faults' | 'reload' | 'h2' | 'socketio' | 'the rest';
const GROUP_PREFIX: Readonly<Record<Group, string>> = { faults: 'faults-', reload: 'reload-', h2: 'h2-', socketio: 'socketio-', 'the rest': '' };

export function groupOf(s: Scenario): Group {
  if (s.family === 'faults' || s.family === 'security') return 'faults';
  if (s.family === 'reload' || s.family === 'h2') return s.family;
  if (s.family === 'socketio' || s.family === 'replicas') return 'socketio';
  return 'the rest';
}

/** The scenarios of one front kind in one group. */
function ofKind(kind: FrontKind, group: Group): Selector {
  return (s) => frontSetup(s.front).kind === kind && groupOf(s) === group;
}

/** The catalog suites: file name (in test/containers/scenarios/) → the scenarios it runs; a kind's group with no scenario has no file. */
export const catalogSuites: Readonly<Record<string, Selector>> = Object.fromEntries(
  FRONT_KINDS.flatMap((kind) => (Object.keys(GROUP_PREFIX) as Group[])
    .filter((group) => catalog.some(ofKind(kind, group)))
    .map((group): [string, Selector] => [`${GROUP_PREFIX[group]}${kind}.test.ts`, ofKind(kind, group)])),
);

/**
 * Container test files in the same folder that are not catalog suites, and what they test
 * instead. (The browser tests live in test/containers/browser/: they run after these, alone.)
 */
export const nonCatalogSuites: Readonly<Record<string, string>> = {};

/** The selector of a catalog suite, by its file name; throws for a file the table does not know. */
export function suiteSelector(file: string): Selector {
  const select = catalogSuites[file];
  if (!select) {
    throw new Error(`${file} is not a catalog suite in test/containers/scenarios/suites.ts; known: ${Object.keys(catalogSuites).join(', ')}`);
  }
  return select;
}
