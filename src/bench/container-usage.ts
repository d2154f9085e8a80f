/**
 * CPU time and memory of one of the run's containers, read from its cgroup (v1, as on the
 * project's machines: /sys/fs/cgroup/<controller>/docker/<id>/), or through `docker exec` when
 * the host's cgroup tree is not where Docker's cgroupfs driver puts it.
 */
import { readFile } from 'node:fs/promises';
import { runOrThrow } from '../exec.js';
import { ALIAS_LABEL } from '../containers/labels.js';

const docker = (args: string[]) => runOrThrow('docker', args, { timeoutMs: 30_000 });

export interface ContainerUsage {
  id: string;
  /** CPU time the container has used, in ns. */
  cpuNs(): Promise<number>;
  /** Memory the container uses now, in bytes (memory.usage_in_bytes: includes page cache). */
  memoryBytes(): Promise<number>;
  /** Resident memory of its processes, in bytes (cgroup memory.stat rss). */
  rssBytes(): Promise<number>;
}

/** The container on `network` with this network alias (the harness labels each with its alias). */
export async function containerOn(network: string, alias: string): Promise<ContainerUsage> {
  const all = await containersOn(network, alias);
  if (all.length !== 1) throw new Error(`expected one container '${alias}' on ${network}, found ${all.length}`);
  return all[0] as ContainerUsage;
}

/** Every container on `network` with this network alias (several share one when a front balances over its addresses). */
export async function containersOn(network: string, alias: string): Promise<ContainerUsage[]> {
  const { stdout } = await docker(['ps', '-q', '--no-trunc', '--filter', `network=${network}`, '--filter', `label=${ALIAS_LABEL}=${alias}`]);
  return stdout.split('\n').filter(Boolean).map(usageOf);
}

function usageOf(id: string): ContainerUsage {
  const read = async (controller: string, file: string): Promise<string> => {
    try {
      return await readFile(`/sys/fs/cgroup/${controller}/docker/${id}/${file}`, 'utf8');
    } catch {
      return (await docker(['exec', id, 'cat', `/sys/fs/cgroup/${controller}/${file}`])).stdout;
    }
  };
  return {
    id,
    cpuNs: async () => Number((await read('cpuacct', 'cpuacct.usage')).trim()),
    memoryBytes: async () => Number((await read('memory', 'memory.usage_in_bytes')).trim()),
    rssBytes: async () => {
      const stat = await read('memory', 'memory.stat');
      const line = stat.split('\n').find((l) => l.startsWith('total_rss ')) ?? stat.split('\n').find((l) => l.startsWith('rss '));
      return Number(line?.split(' ')[1] ?? NaN);
    },
  };
}

/** The sum of one reading over several containers. */
export async function summed(usages: readonly ContainerUsage[], read: (u: ContainerUsage) => Promise<number>): Promise<number> {
  return (await Promise.all(usages.map(read))).reduce((a, b) => a + b, 0);
}
