/**
 * What this machine and its engine allow a scale run: the open files a container's process
 * gets (measured in a throwaway container, labelled with the run), the memory available, and
 * the kernel's connection-tracking table.
 */
import { readFileSync } from 'node:fs';
import { runOrThrow } from '../exec.js';
import { imageFor } from '../containers/images.js';
import { throwawayRunArgs } from '../containers/docker.js';
import type { MachineLimits } from './scale-plan.js';

function safeRead(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function readNumber(file: string): number | undefined {
  const text = safeRead(file);
  const n = text === undefined ? Number.NaN : Number(text.trim());
  return Number.isFinite(n) ? n : undefined;
}

export function memAvailableBytes(meminfo = readFileSync('/proc/meminfo', 'utf8')): number {
  const kib = /^MemAvailable:\s+(\d+) kB$/m.exec(meminfo)?.[1];
  if (kib === undefined) throw new Error('no MemAvailable line in /proc/meminfo');
  return Number(kib) * 1024;
}

/** The hard open-files limit a process in a container of the node image gets (the engine's own). */
export async function containerFilesLimit(): Promise<number> {
  const { stdout } = await runOrThrow('docker', throwawayRunArgs(imageFor('node'), 'sh', ['-c', 'ulimit -Hn']), { timeoutMs: 60_000 });
  const n = stdout.trim() === 'unlimited' ? 1_048_576 : Number(stdout.trim());
  if (!Number.isInteger(n) || n <= 0) throw new Error(`a container's \`ulimit -Hn\` printed ${JSON.stringify(stdout.trim())}`);
  return n;
}

export async function readMachineLimits(): Promise<MachineLimits> {
  const max = readNumber('/proc/sys/net/netfilter/nf_conntrack_max');
  const count = readNumber('/proc/sys/net/netfilter/nf_conntrack_count');
  return {
    filesPerProcess: await containerFilesLimit(),
    memAvailableBytes: memAvailableBytes(),
    ...(max !== undefined && count !== undefined ? { conntrack: { max, count } } : {}),
  };
}
