/**
 * What a user's suite needs to put its own containers beside the bench's: a network labelled
 * with the run, the run's labels for its own containers, and the images the bench runs. Every
 * container and network of a run carries the label `ws-proxy-bench=<run id>`, so the run's
 * cleanup (and `ws-proxy-bench sweep`) removes exactly them.
 */
import type { StartedNetwork } from 'testcontainers';
import { imageFor, type ImageRole } from '../containers/images.js';
import { currentRunId, runLabels } from '../containers/labels.js';
import { createStartedNetwork } from '../containers/runtime.js';

/** A new network labelled with the run, as testcontainers' StartedNetwork (`GenericContainer.withNetwork(network)`). */
export function startBenchNetwork(): Promise<StartedNetwork> {
  return createStartedNetwork();
}

/** The run's labels, for `GenericContainer.withLabels(benchLabels())` (WS_PROXY_BENCH_RUN_ID names the run, else one per process). */
export function benchLabels(): Record<string, string> {
  return runLabels(currentRunId());
}

/** The image the bench runs for a role (`node`, or a front kind's): WS_PROXY_BENCH_IMAGE_<ROLE>, else the pinned default. */
export function benchImage(role: ImageRole): string {
  return imageFor(role);
}

export type { ImageRole };
