/**
 * Global setup of the container suites: a Docker engine must answer (CI never skips), the
 * bundles are rebuilt, every role gets an image (official, else the offline stand-in), Ryuk is
 * used only where its image is available, and the run gets one id that every container and
 * network is labelled with. Teardown removes the run's resources and fails if any is left.
 */
import { execFileSync } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import { installSignalCleanup, listLabelled, removeRun, sweepDeadRuns } from '../../src/containers/cleanup.js';
import { imageExists, tryPull } from '../../src/containers/docker.js';
import { checkEngine, engineMissingMessage } from '../../src/containers/engine.js';
import { newRunId, RUN_ID_ENV, RUNNER_PID_ENV } from '../../src/containers/labels.js';
import { resolveImages } from '../../src/containers/resolve.js';
import { projectPath } from '../../src/paths.js';

/** The env switch that lets a machine without Docker run the rest (never honoured under CI). */
export const SKIP_ENV = 'WS_PROXY_BENCH_SKIP_CONTAINERS';
const RYUK_IMAGE = process.env.RYUK_CONTAINER_IMAGE ?? 'testcontainers/ryuk:0.14.0';

const say = (line: string): void => { console.log(`[containers] ${line}`); };

declare module 'vitest' {
  export interface ProvidedContext {
    wsProxyBenchRunId: string;
  }
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

  say('building the bundles (node scripts/build.mjs --bundles --quiet)');
  execFileSync(process.execPath, [projectPath('scripts/build.mjs'), '--bundles', '--quiet'], { stdio: 'inherit' });

  for (const r of await resolveImages({ progress: say })) say(`${r.role}: ${r.image} (${r.how})`);

  if (process.env.TESTCONTAINERS_RYUK_DISABLED === undefined) {
    const ryukHere = (await imageExists(RYUK_IMAGE)) || (await tryPull(RYUK_IMAGE, 20_000)).ok;
    if (!ryukHere) {
      process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
      say(`Ryuk (${RYUK_IMAGE}) is not available: TESTCONTAINERS_RYUK_DISABLED=true; this setup's teardown and \`ws-proxy-bench sweep\` remove what runs leave`);
    } else {
      say(`Ryuk (${RYUK_IMAGE}) available: testcontainers' reaper stays on`);
    }
  }

  const runId = process.env[RUN_ID_ENV]?.trim() || newRunId();
  process.env[RUN_ID_ENV] = runId;
  process.env[RUNNER_PID_ENV] = String(process.pid);
  project.provide('wsProxyBenchRunId', runId);
  say(`run id ${runId} (label ws-proxy-bench=${runId}, owner pid ${process.pid})`);

  const swept = await sweepDeadRuns();
  if (swept.containers + swept.networks > 0) {
    say(`swept ${swept.containers} containers and ${swept.networks} networks of dead runs: ${swept.runs.map((r) => `${r.runId} (${r.reason})`).join(', ')}`);
  }
  const uninstall = installSignalCleanup(runId);

  return async () => {
    uninstall();
    const removed = await removeRun(runId);
    if (removed.containers + removed.networks > 0) say(`teardown removed ${removed.containers} containers and ${removed.networks} networks the suites left`);
    const left = await listLabelled(runId);
    if (left.length > 0) {
      throw new Error(`teardown: still labelled ws-proxy-bench=${runId}: ${left.map((r) => `${r.kind} ${r.name}`).join(', ')}`);
    }
    say(`teardown: nothing labelled ws-proxy-bench=${runId} is left`);
  };
}
