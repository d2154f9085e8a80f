/**
 * Global setup of the container suites: a Docker engine must answer (CI never skips), the
 * bundles are rebuilt, every role gets an image (official, else the offline stand-in), Ryuk is
 * used only where its image is available, and the run gets one id that every container and
 * network is labelled with. Teardown removes the run's resources and fails if any is left.
 *
 * Two projects list this file (the container suites, then the browser tests after them); vitest
 * runs it once per project in one process, so the first call prepares the run, the second shares
 * it, and the last teardown finishes it.
 */
import type { TestProject } from 'vitest/node';
import type { LabelledResource } from '../../src/containers/cleanup.js';
import { checkEngine, engineMissingMessage } from '../../src/containers/engine.js';
import { ALIAS_LABEL } from '../../src/containers/labels.js';
import { prepareContainerRun, type PreparedRun } from '../../src/containers/prepare.js';
import { SKIP_ENV } from './skip.js';


const say = (line: string): void => { console.log(`[containers] ${line}`); };

/** A resource the suites left, as the teardown names it: its kind, its name, and the alias it served under. */
const describeResource = (r: LabelledResource): string => `${r.kind} ${r.name}${r.labels[ALIAS_LABEL] ? ` (alias ${r.labels[ALIAS_LABEL]})` : ''}`;

declare module 'vitest' {
  export interface ProvidedContext {
    wsProxyBenchRunId: string;
  }
}

/** The run the projects of this process share, and how many of them still use it. */
interface SharedRun { prepared: Promise<PreparedRun> | undefined; users: number }
const SHARED = Symbol.for('ws-proxy-bench:container-run');

function sharedRun(): SharedRun {
  const holder = globalThis as { [SHARED]?: SharedRun };
  holder[SHARED] ??= { prepared: undefined, users: 0 };
  return holder[SHARED];
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (process.env[SKIP_ENV] === '1') {
    if (process.env.CI) throw new Error(`${SKIP_ENV}=1 is set under CI: CI never skips the container suites; unset it.`);
    console.log(`\n${'!'.repeat(100)}\n!!! CONTAINER SUITES SKIPPED: ${SKIP_ENV}=1 is set. Nothing about proxies was tested.\n${'!'.repeat(100)}\n`);
    return undefined;
  }
  const engine = await checkEngine();
  if (!engine.ok) {
    const message = engineMissingMessage(engine);
    throw new Error(process.env.CI
      ? `${message} (CI never skips the container suites.)`
      : `${message} (To run without the container suites on purpose: ${SKIP_ENV}=1.)`);
  }
  say(`Docker engine ${engine.version}${engine.dockerHost ? ` at ${engine.dockerHost}` : ''}`);

  const shared = sharedRun();
  shared.prepared ??= prepareContainerRun({ progress: say, bundles: 'build' });
  shared.users += 1;
  const run = await shared.prepared;
  const runId = run.runId;
  project.provide('wsProxyBenchRunId', runId);

  return async () => {
    shared.users -= 1;
    if (shared.users > 0) return;
    shared.prepared = undefined;
    const { removed, left } = await run.finish();
    if (removed.containers + removed.networks > 0) {
      say(`teardown removed ${removed.containers} containers and ${removed.networks} networks the suites left: ${removed.resources.map(describeResource).join('; ')}`);
    }
    if (left.length > 0) {
      throw new Error(`teardown: still labelled ws-proxy-bench=${runId}: ${left.map(describeResource).join(', ')}`);
    }
    say(`teardown: nothing labelled ws-proxy-bench=${runId} is left`);
  };
}
