/**
 * Turns catalog entries into Vitest suites: one describe per scenario, one test per check, one
 * topology for each group of scenarios that may share it, and one app for each group of
 * topologies that may share one (src/scenarios/shared-topology.ts). Independent checks run side
 * by side, as `runChecks` does for the report. A suite file calls `describeSuite(import.meta.url)`;
 * which scenarios it runs is in suites.ts.
 */
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '../../../src/scenarios/catalog.js';
import { runCheck } from '../../../src/scenarios/run.js';
import { appGroups, undisturbingContext } from '../../../src/scenarios/shared-topology.js';
import { startAppBase, startFrontOn, startTopology, type AppBase } from '../../../src/containers/topology.js';
import { compareVersions } from '../../../src/fronts/types.js';
import { ConfigRefusedByVersion } from '../../../src/topology/refused.js';
import type { Topology } from '../../../src/topology/topology.js';
import type { Scenario } from '../../../src/scenarios/types.js';
import { containersSkipped } from '../skip.js';
import { suiteSelector } from './suites.js';

/** The scenarios of the calling suite file, looked up by its own name in the suites table (suites.ts). */
export function describeSuite(fileUrl: string): void {
  describeScenarios(suiteSelector(basename(fileURLToPath(fileUrl))));
}

function scenarioTitle(scenario: Scenario): string {
  return `${scenario.id}: ${scenario.summary}`;
}

export function describeScenarios(select: (scenario: Scenario) => boolean): void {
  if (containersSkipped) {
    it.skip('container suites skipped on purpose (WS_PROXY_BENCH_SKIP_CONTAINERS=1)', () => {});
    return;
  }
  const scenarios = catalog.filter(select);
  it('selects scenarios from the catalog', () => {
    expect(scenarios.length).toBeGreaterThan(0);
  });
  // Scenarios with the same topology run one after another on one, and topologies with the same
  // app start their fronts one after another on one app (src/scenarios/shared-topology.ts): each
  // container a suite starts costs the machine about a third of a CPU-second in the engine alone.
  // One scenario of a file at a time. Two side by side took the suites from about 410 s to 310 s,
  // but the fault scenarios (restarts, pauses) of one front then overlapped, and a run saw a pause
  // that was not in force at its unpause and httpd answer 500 during an app restart.
  for (const appGroup of appGroups(scenarios)) {
    const all = appGroup.flat();
    const last = all[all.length - 1] as Scenario;
    if (appGroup.length === 1) {
      describeTopology(appGroup[0] as Scenario[], last, undefined);
      continue;
    }
    describe(`one app for ${all.map((s) => s.id).join(', ')}`, () => {
      let base: AppBase | undefined;
      beforeAll(async () => {
        base = await startAppBase(all[0] as Scenario);
      });
      afterAll(async () => {
        await base?.stop();
      });
      for (const group of appGroup) describeTopology(group, last, () => base);
    });
  }
}

/**
 * One topology's scenarios: the front (on the app group's base, or with an app of its own) starts
 * before the first and stops after the last. Every scenario but `lastOnApp`, the last to use the
 * app, runs its checks in a context that refuses to disturb it.
 */
function describeTopology(group: Scenario[], lastOnApp: Scenario, base: (() => AppBase | undefined) | undefined): void {
  const [first] = group as [Scenario, ...Scenario[]];
  const title = group.length === 1 ? scenarioTitle(first) : `one topology for ${group.map((s) => s.id).join(', ')}`;
  describe(title, () => {
    let topology: Topology | undefined;
    let refused: ConfigRefusedByVersion | undefined;
    beforeAll(async () => {
      try {
        if (!base) {
          topology = await startTopology(first);
        } else {
          const started = base();
          if (!started) throw new Error(`${first.id}: the app it shares did not start`);
          topology = await startFrontOn(started, first);
        }
      } catch (err) {
        // Too old a front for this setup's config (its `needs`): the refusal is the verdict.
        if (!(err instanceof ConfigRefusedByVersion)) throw err;
        refused = err;
      }
    });
    afterAll(async () => {
      await topology?.stop();
    });
    for (const scenario of group) {
      const checks = (): void => {
        for (const check of scenario.checks) {
          it(check.title, { concurrent: check.independent }, async () => {
            if (refused) {
              console.log(`  ✓ ${scenario.id} ${check.id}: not run: ${refused.message}`);
              expect(compareVersions(refused.version, refused.needs.version)).toBeLessThan(0);
              return;
            }
            if (!topology) throw new Error(`${scenario.id}: the topology did not start`);
            const ctx = topology.context((line) => console.log(`  … ${scenario.id}: ${line}`));
            const outcome = await runCheck(check, scenario === lastOnApp ? ctx : undisturbingContext(ctx, scenario));
            console.log(`  ${outcome.ok ? '✓' : '✗'} ${scenario.id} ${outcome.check}: ${outcome.figure}`);
            expect(outcome.ok, `${scenario.id} ${check.id}: ${outcome.detail}`).toBe(true);
          });
        }
      };
      if (group.length === 1) checks();
      else describe(scenarioTitle(scenario), checks);
    }
  });
}
