/**
 * The report's results: one entry per scenario with the outcome of each of its checks, as the
 * table, the JSON, the Markdown and the JUnit files all show them. The run builds it
 * (src/run/build-report.ts); this folder only renders it.
 */
import type { Family, RunVersions } from '../scenarios/types.js';

export type Status = 'pass' | 'fail' | 'skip';

export interface ReportCheck {
  check: string;
  title: string;
  status: Status;
  /** The measured figure a cell shows: "cut after 2.03 s (1006)", "1 MiB ok". */
  figure: string;
  /** Expected versus seen, or why it did not run. */
  detail: string;
  durationMs: number;
  measured?: Record<string, number>;
}

export interface ReportScenario {
  scenario: string;
  front: string;
  kind: string;
  family: Family;
  summary: string;
  status: Status;
  durationMs: number;
  /** The user's config file the front ran with (run --config). */
  config?: string;
  /** The image set it ran on (run --versions: a Debian suite); absent: the configured images. */
  imageSet?: string;
  /** The front's version and the app's Node.js, read from the running binaries. */
  versions?: RunVersions;
  /** The topology did not come up: every check failed with this. */
  error?: string;
  /** Why it could not run here. */
  skipped?: string;
  checks: ReportCheck[];
}

export interface Counts { pass: number; fail: number; skip: number }

export interface Report {
  tool: 'ws-proxy-bench';
  version: string;
  /** Where the topologies ran. */
  mode: 'containers' | 'local';
  startedAt: string;
  durationMs: number;
  concurrency: number;
  ok: boolean;
  counts: { scenarios: Counts; checks: Counts };
  scenarios: ReportScenario[];
}
