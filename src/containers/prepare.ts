/**
 * What a run that starts containers does first, shared by `ws-proxy-bench run` and the container
 * suites' global setup: the bundles the containers run are there, every role has an image
 * (official, else the offline stand-in), Ryuk is used only where its image is available, the run
 * has one id every container and network is labelled with, dead runs are swept, and Ctrl-C
 * removes the run's resources. `finish()` removes them at the end and lists what is left.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { installSignalCleanup, listLabelled, removeRun, sweepDeadRuns, type LabelledResource, type RemovalReport } from './cleanup.js';
import { imageExists, tryPull } from './docker.js';
import { newRunId, RUN_ID_ENV, RUNNER_PID_ENV } from './labels.js';
import { resolveImages } from './resolve.js';
import { projectPath } from '../paths.js';

const RYUK_IMAGE = process.env.RYUK_CONTAINER_IMAGE ?? 'testcontainers/ryuk:0.14.0';
/** A run's start-up sweep removes dead runs that started at least this long ago; `sweep` removes them at once. */
export const START_UP_SWEEP_MIN_AGE_SECONDS = 60;

/** The bundles the harness copies into containers (scripts/build-options.mjs builds them). */
export const CONTAINER_BUNDLES = ['dist/echo-server.mjs', 'dist/http-front.mjs', 'dist/socketio-server.mjs'];

export interface PrepareOptions {
  progress: (line: string) => void;
  /** 'build': rebuild them (tests); 'check': they must exist (the installed CLI; `npm run bench` builds first). */
  bundles: 'build' | 'check';
}

export interface PreparedRun {
  runId: string;
  /** Takes the signal handlers off, removes the run's containers and networks, lists any left. */
  finish(): Promise<{ removed: RemovalReport; left: LabelledResource[] }>;
}

export async function prepareContainerRun({ progress, bundles }: PrepareOptions): Promise<PreparedRun> {
  if (bundles === 'build') {
    progress('building the bundles (node scripts/build.mjs --bundles --quiet)');
    execFileSync(process.execPath, [projectPath('scripts/build.mjs'), '--bundles', '--quiet'], { stdio: 'inherit' });
  } else {
    const missing = CONTAINER_BUNDLES.filter((b) => !existsSync(projectPath(b)));
    if (missing.length > 0) throw new Error(`${missing.join(', ')} missing: run \`npm run build\` first (\`npm run bench\` does)`);
  }

  for (const r of await resolveImages({ progress })) progress(`${r.role}: ${r.image} (${r.how})`);

  if (process.env.TESTCONTAINERS_RYUK_DISABLED === undefined) {
    const ryukHere = (await imageExists(RYUK_IMAGE)) || (await tryPull(RYUK_IMAGE, 20_000)).ok;
    if (!ryukHere) {
      process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
      progress(`Ryuk (${RYUK_IMAGE}) is not available: TESTCONTAINERS_RYUK_DISABLED=true; the run's own cleanup and \`ws-proxy-bench sweep\` remove what runs leave`);
    } else {
      progress(`Ryuk (${RYUK_IMAGE}) available: testcontainers' reaper stays on`);
    }
  }

  const runId = process.env[RUN_ID_ENV]?.trim() || newRunId();
  process.env[RUN_ID_ENV] = runId;
  process.env[RUNNER_PID_ENV] = String(process.pid);
  progress(`run id ${runId} (label ws-proxy-bench=${runId}, owner pid ${process.pid})`);

  const swept = await sweepDeadRuns({ minAgeSeconds: START_UP_SWEEP_MIN_AGE_SECONDS });
  if (swept.containers + swept.networks > 0) {
    progress(`swept ${swept.containers} containers and ${swept.networks} networks of dead runs: ${swept.runs.map((r) => `${r.runId} (${r.reason})`).join(', ')}`);
  }
  const uninstall = installSignalCleanup(runId);

  return {
    runId,
    finish: async () => {
      uninstall();
      const removed = await removeRun(runId);
      return { removed, left: await listLabelled(runId) };
    },
  };
}
