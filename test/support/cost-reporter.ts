/**
 * Writes test/support/suite-costs.json, the order the test files start in on a machine with no
 * vitest cache (a fresh clone, CI; cost-sequencer.ts), from a whole run:
 *   npm run test:costs    (vitest run --reporter=default --reporter=./test/support/cost-reporter.ts)
 * A file's cost is how long it ran, its hooks (a suite's beforeAll starts its containers) and its
 * tests, in seconds: the measure vitest's own cache keeps (its file result's duration).
 * A run where a file did not run writes nothing (its figures would be a partial run's); a file that
 * failed still ran, and the table names it (the table's own drift test fails until it is written anew).
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Reporter, TestModule } from 'vitest/node';
import { SUITE_COSTS_FILE } from './cost-sequencer.js';

/** One file's cost in seconds, to a tenth. */
function moduleSeconds(diagnostic: { duration: number }): number {
  return Math.round(diagnostic.duration / 100) / 10;
}

export default class CostReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const notRun = testModules.filter((m) => m.state() !== 'passed' && m.state() !== 'failed').map((m) => `${m.relativeModuleId} (${m.state()})`);
    if (notRun.length > 0) {
      console.error(`cost-reporter: ${fileURLToPath(SUITE_COSTS_FILE)} left as it was: not every file ran: ${notRun.join(', ')}`);
      return;
    }
    const failed = testModules.filter((m) => m.state() === 'failed').map((m) => m.relativeModuleId);
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const seconds = Object.fromEntries(
      testModules.map((m) => [relative(root, m.moduleId), moduleSeconds(m.diagnostic())] as const).sort(([a], [b]) => (a < b ? -1 : 1)),
    );
    const table = {
      generated: {
        by: 'npm run test:costs',
        date: new Date().toISOString(),
        machine: `${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node.js ${process.version}`,
        files: Object.keys(seconds).length,
        failed,
      },
      seconds,
    };
    writeFileSync(SUITE_COSTS_FILE, `${JSON.stringify(table, null, 2)}\n`);
    console.log(`cost-reporter: wrote ${fileURLToPath(SUITE_COSTS_FILE)} (${table.generated.files} files${failed.length ? `; failed in this run: ${failed.join(', ')}` : ''})`);
  }
}
