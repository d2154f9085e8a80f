/**
 * The order test files start in: each group's files longest first, whichever project of the
 * group they belong to (vitest runs a group's projects in one pool), so that the long files do not
 * start last and leave the other workers idle while they finish (files of a minute's waiting run
 * side by side in the container suites).
 *
 * A file's cost is its duration in vitest's own cache of the last run on this machine, else the
 * committed table (test/support/suite-costs.json, which `npm run test:costs` writes from a run
 * with cost-reporter.ts), else unknown, and unknown files start first, as vitest's own order has
 * them. A fresh clone (CI) has no cache, and vitest's fallback there, the larger file first, says
 * nothing of a 3-line suite file that runs 9 scenarios.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** The committed table: file (relative to the project root) → seconds, from one run of the whole suite. */
export const SUITE_COSTS_FILE = new URL('./suite-costs.json', import.meta.url);

export function readSuiteCosts(): Readonly<Record<string, number>> {
  return (JSON.parse(readFileSync(SUITE_COSTS_FILE, 'utf8')) as { seconds: Record<string, number> }).seconds;
}

/** What a file is known to cost, in ms: the cache's last duration, else the table's, else undefined. */
export type CostOf = (file: TestSpecification) => { failed: boolean; ms: number | undefined };

/** Sorts as vitest does across groups; within a group, whatever the project, failed first, then the costliest first, unknown ones before both. */
export function sortByCost(files: readonly TestSpecification[], costOf: CostOf): TestSpecification[] {
  const known = new Map(files.map((f) => [f, costOf(f)]));
  return [...files].sort((a, b) => {
    const group = a.project.config.sequence.groupOrder - b.project.config.sequence.groupOrder;
    if (group !== 0) return group;
    const ca = known.get(a) as ReturnType<CostOf>;
    const cb = known.get(b) as ReturnType<CostOf>;
    if ((ca.ms === undefined) !== (cb.ms === undefined)) return ca.ms === undefined ? -1 : 1;
    if (ca.failed !== cb.failed) return ca.failed ? -1 : 1;
    return (cb.ms ?? 0) - (ca.ms ?? 0);
  });
}

export class CostSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const table = readSuiteCosts();
    const root = this.ctx.config.root;
    return sortByCost(files, (f) => {
      const path = relative(root, f.moduleId);
      const cached = this.ctx.cache.getFileTestResults(`${f.project.name}:${path}`);
      const seconds = table[path];
      return { failed: cached?.failed ?? false, ms: cached?.duration ?? (seconds === undefined ? undefined : seconds * 1000) };
    });
  }
}
