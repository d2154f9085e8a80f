/** What a bench ran on, for docs/perf.md: date, cores, RAM, OS, Node, Docker and the images. */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { promisify } from 'node:util';
import { imageFor, type ImageRole } from '../containers/images.js';

const run = promisify(execFile);

export interface Machine {
  date: string;
  cores: number;
  cpuModel: string;
  ramGiB: number;
  os: string;
  node: string;
  docker: string;
  images: Partial<Record<ImageRole, string>>;
}

function osName(): string {
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1];
    return `${pretty ?? 'Linux'}, kernel ${release()}`;
  } catch {
    return `${process.platform} ${release()}`;
  }
}

export async function describeMachine(roles: ImageRole[]): Promise<Machine> {
  const docker = await run('docker', ['version', '--format', '{{.Server.Version}}']).then((r) => r.stdout.trim(), () => 'unknown');
  return {
    date: new Date().toISOString(),
    cores: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    ramGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: osName(),
    node: process.version,
    docker: `Docker Engine ${docker}`,
    images: Object.fromEntries(roles.map((r) => [r, imageFor(r)])),
  };
}

/** `generator`: where the bench's load comes from (default: this Node.js process on the host). */
export function machineLines(m: Machine, generator = `Node.js ${m.node} on the host`): string[] {
  return [
    `- date: ${m.date}`,
    `- machine: ${m.cores} cores (${m.cpuModel}), ${m.ramGiB} GiB RAM, ${m.os}`,
    `- load generator: ${generator}; ${m.docker}`,
    ...(Object.keys(m.images).length > 0 ? [`- images: ${Object.entries(m.images).map(([role, image]) => `${role} \`${image}\``).join(', ')}`] : []),
  ];
}
