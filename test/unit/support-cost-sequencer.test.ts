/**
 * The order test files start in (test/support/cost-sequencer.ts): vitest's groups and projects
 * in vitest's order, each group's files longest first whatever their project, unknown ones first; and the
 * committed table names only files that exist.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { TestSpecification } from 'vitest/node';
import { projectPath } from '../../src/paths.js';
import { readSuiteCosts, sortByCost, type CostOf } from '../support/cost-sequencer.js';

/** A stand-in file of a project: what sortByCost reads of a TestSpecification. */
function file(project: string, groupOrder: number, moduleId: string): TestSpecification {
  return { moduleId, project: { name: project, config: { sequence: { groupOrder } } } } as unknown as TestSpecification;
}

const costs = (table: Record<string, { ms?: number; failed?: boolean }>): CostOf => (f) => ({
  failed: table[f.moduleId]?.failed ?? false,
  ms: table[f.moduleId]?.ms,
});
const ids = (files: TestSpecification[]): string[] => files.map((f) => f.moduleId);

describe('sortByCost', () => {
  it('starts the costliest file of a project first, whatever order they came in', () => {
    const files = [file('containers', 1, 'short'), file('containers', 1, 'long'), file('containers', 1, 'middle')];
    expect(ids(sortByCost(files, costs({ short: { ms: 2_000 }, long: { ms: 60_000 }, middle: { ms: 30_000 } })))).toEqual(['long', 'middle', 'short']);
  });

  it('keeps the groups in vitest\'s order, and within a group starts the costliest file first whatever its project', () => {
    const files = [
      file('containers-browser', 0, 'page'), file('containers', 1, 'short suite'), file('examples', 1, 'example'),
      file('containers', 1, 'long suite'), file('unit', 0, 'unit'),
    ];
    const table = { page: { ms: 20_000 }, 'short suite': { ms: 5_000 }, example: { ms: 11_000 }, 'long suite': { ms: 70_000 }, unit: { ms: 30_000 } };
    expect(ids(sortByCost(files, costs(table)))).toEqual(['unit', 'page', 'long suite', 'example', 'short suite']);
  });

  it('starts an unknown file (new, in no cache and not in the table) before the known ones, and a failed one before the passed', () => {
    const files = [file('unit', 0, 'known'), file('unit', 0, 'failed'), file('unit', 0, 'new')];
    expect(ids(sortByCost(files, costs({ known: { ms: 9_000 }, failed: { ms: 100, failed: true } })))).toEqual(['new', 'failed', 'known']);
  });
});

describe('the committed table (test/support/suite-costs.json)', () => {
  const table = readSuiteCosts();

  it('names only test files that exist (npm run test:costs writes it anew)', () => {
    const missing = Object.keys(table).filter((path) => !existsSync(projectPath(path)));
    expect(missing, 'files in test/support/suite-costs.json that are gone: run npm run test:costs').toEqual([]);
  });

  it('gives each file a cost in seconds', () => {
    expect(Object.keys(table).length).toBeGreaterThan(0);
    for (const [path, seconds] of Object.entries(table)) expect(seconds, path).toBeGreaterThanOrEqual(0);
  });
});
