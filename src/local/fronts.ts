/**
 * Fronts on this host, for local mode (no Docker): the http-proxy front in this process, the
 * others from their binaries when installed (nginx, HAProxy, Apache httpd, Caddy), each with
 * its setup's config rendered with local values. A front whose binary is missing is
 * unavailable (the report skips it with the reason), never faked.
 */
import { accessSync, constants, writeFileSync } from 'node:fs';
import { basename, delimiter, join } from 'node:path';
import { startHttpFront, type HttpFrontHandle } from '../../proxy/front.js';
import { resolveFrontOptions } from '../../proxy/options.js';
import { run } from '../exec.js';
import { httpFrontOptions } from '../fronts/http-front.js';
import { frontDescriptor, type FrontKind, type FrontSetup } from '../fronts/index.js';
import { versionFromOutput, type LocalBinary } from '../fronts/types.js';
import type { FrontVars } from '../fronts/vars.js';
import { renderFrontConfig } from '../topology/front-config.js';
import type { FrontHandle } from '../topology/handles.js';
import { TopologyUnavailable } from '../topology/unavailable.js';
import { startLocalProcess, type LocalProcess } from './process.js';

/** Where binaries are looked for: PATH, plus the sbin folders a non-root PATH often lacks. */
export function findBinary(names: readonly string[], path = process.env.PATH ?? ''): string | undefined {
  const dirs = [...path.split(delimiter).filter(Boolean), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** Finds a front's binary on this host (tests pass one that finds nothing). */
export type BinaryFinder = (names: readonly string[]) => string | undefined;

/** The binary a front kind runs from on this host (undefined: it runs in this process). */
function localBinary(kind: FrontKind): LocalBinary | undefined {
  const { local } = frontDescriptor(kind);
  return local === 'in-process' ? undefined : local;
}

/** Why a front setup cannot run on this host, or undefined when it can. */
export function localUnavailability(setup: FrontSetup, find: BinaryFinder = findBinary): string | undefined {
  const binary = localBinary(setup.kind);
  if (!binary) return undefined;
  if (setup.tls) return `front setup '${setup.name}' terminates TLS with a certificate copied into its container; run it with Docker`;
  if (!find(binary.names)) {
    return `${binary.names.join('/')} is not installed on this host (install it, e.g. \`apt-get install ${binary.debianPackage}\`, or run with Docker)`;
  }
  if (!setup.template) return `front setup '${setup.name}' is configured by a container command, which local mode cannot run`;
  return undefined;
}

function frontHandle(kind: FrontKind, alias: string, port: number, parts: Pick<FrontHandle, 'logs' | 'stop' | 'restart' | 'pause' | 'unpause' | 'version'>): FrontHandle {
  const httpUrl = `http://127.0.0.1:${port}`;
  const processes = (): Promise<never> => Promise.reject(new Error("local mode does not count a front's processes (they are this host's); run with Docker"));
  return { kind, alias, httpUrl, wsUrl: (path = '/ws') => `ws://127.0.0.1:${port}${path.startsWith('/') ? path : `/${path}`}`, processes, ...parts };
}

/** The http-proxy front in this process, with the options its setup gives the container. */
async function startInProcessFront(setup: FrontSetup, alias: string, vars: FrontVars): Promise<FrontHandle> {
  const options = resolveFrontOptions({ env: {}, command: setup.name, overrides: { ...httpFrontOptions(setup, vars), host: '127.0.0.1' } });
  let lines = '';
  const log = (line: string): void => { lines += `${line}\n`; };
  let front: HttpFrontHandle = await startHttpFront({ ...options, log });
  return frontHandle(setup.kind, alias, front.port, {
    logs: async () => lines,
    stop: () => front.close(),
    restart: async () => {
      await front.close();
      front = await startHttpFront({ ...options, port: front.port, log });
    },
    version: async () => process.versions.node,
    pause: () => Promise.reject(new Error('an in-process http-proxy front cannot be paused (local mode); run with Docker')),
    unpause: () => Promise.reject(new Error('an in-process http-proxy front cannot be paused (local mode); run with Docker')),
  });
}

async function startBinaryFront(setup: FrontSetup, alias: string, vars: FrontVars, dir: string, find: BinaryFinder): Promise<FrontHandle> {
  const why = localUnavailability(setup, find);
  if (why) throw new TopologyUnavailable(why);
  const binary = localBinary(setup.kind) as LocalBinary;
  const path = find(binary.names) as string;
  const file = join(dir, `${alias}-${basename(setup.template as string).replace(/\.template$/, '')}`);
  const rendered = renderFrontConfig(setup, vars) as string;
  let config = rendered;
  try {
    config = binary.hostConfig ? binary.hostConfig(rendered, dir) : rendered;
  } catch (err) {
    throw new TopologyUnavailable(err instanceof Error ? err.message : String(err));
  }
  writeFileSync(file, config);
  const args = binary.args(file, dir);
  const start = (): Promise<LocalProcess> => startLocalProcess(`the ${setup.kind} front '${setup.name}'`, path, args, vars.LISTEN_PORT, `${file}.log`);
  let proc = await start();
  return frontHandle(setup.kind, alias, vars.LISTEN_PORT, {
    logs: async () => proc.logs(),
    stop: () => proc.stop(),
    restart: async () => {
      await proc.stop();
      proc = await start();
    },
    version: async () => {
      const front = frontDescriptor(setup.kind);
      const r = await run(path, front.version.command.slice(1), { timeoutMs: 5_000 });
      return versionFromOutput(front.version, `the ${setup.kind} front`, r.stdout + r.stderr);
    },
    pause: async () => proc.pause(),
    unpause: async () => proc.unpause(),
  });
}

/** Starts a front setup on 127.0.0.1:vars.LISTEN_PORT (the http-proxy front in-process). */
export function startLocalFront(setup: FrontSetup, alias: string, vars: FrontVars, dir: string, find: BinaryFinder = findBinary): Promise<FrontHandle> {
  return localBinary(setup.kind) ? startBinaryFront(setup, alias, vars, dir, find) : startInProcessFront(setup, alias, vars);
}
