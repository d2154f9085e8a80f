/**
 * The container plumbing both benches share: prepare the run (images, labels, cleanup on
 * Ctrl-C), one labelled network, and teardown that keeps going past a failure.
 */
import { existsSync } from 'node:fs';
import { createNetwork, type BenchNetwork } from '../containers/runtime.js';
import { OptionError, withCommand } from '../options.js';
import { prepareContainerRun } from '../containers/prepare.js';
import { projectPath } from '../paths.js';

export interface BenchRun {
  network: BenchNetwork;
  /** Registers something to stop at the end (stopped in reverse order). */
  track<T extends { stop(): Promise<void> }>(part: T): T;
  finish(): Promise<void>;
}

export async function startBenchRun(log: (line: string) => void, bundles: string[]): Promise<BenchRun> {
  const missing = bundles.filter((b) => !existsSync(projectPath(b)));
  if (missing.length > 0) throw new Error(`${missing.join(', ')} missing: run \`node scripts/build.mjs --bundles\` first (the npm script does)`);
  const prepared = await prepareContainerRun({ progress: log, bundles: 'check' });
  const network = await createNetwork();
  const parts: { stop(): Promise<void> }[] = [];
  return {
    network,
    track: (part) => { parts.push(part); return part; },
    finish: async () => {
      for (const part of parts.reverse()) await part.stop().catch((e: unknown) => log(`stopping a container failed: ${String(e)}`));
      await network.stop().catch((e: unknown) => log(`removing the network failed: ${String(e)}`));
      const { left } = await prepared.finish();
      if (left.length > 0) log(`left behind: ${left.map((l) => l.name).join(', ')} (ws-proxy-bench sweep removes them)`);
    },
  };
}

/** ws:// to a container's address on the bench network: straight to it, not through docker-proxy. */
export function directWsUrl(handle: { networkIp?: string; wsUrl(path?: string): string }, path = '/ws'): string {
  return handle.networkIp ? `ws://${handle.networkIp}:8080${path}` : handle.wsUrl(path);
}

/** Runs a bench's main with the process's arguments: exit code 2 for bad options, 1 for a failure. */
export function runBench(name: string, main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (err: unknown) => {
      // A usage error names the bench once, as every command's does (withCommand); a failure is a log line.
      console.error(err instanceof OptionError ? withCommand(name, err.message) : `[${name}] failed: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = err instanceof OptionError ? 2 : 1;
    },
  );
}
