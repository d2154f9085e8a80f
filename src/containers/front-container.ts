/**
 * A front in its kind's image (src/fronts/<kind>.ts): its config copied where the image reads
 * it, its kind's command, reload and version commands, pause/unpause; as a handle.
 */
import { frontDescriptor, type FrontKind } from '../fronts/index.js';
import { versionFromOutput } from '../fronts/types.js';
import type { FrontHandle, FrontProcess } from '../topology/handles.js';
import { bundle, CONTAINER_PORT, execOrThrow, NODE_USER, startContainer, STOP_TIMEOUT_MS } from './container.js';
import { frontReady } from './ready.js';
import { imageFor } from './images.js';
import { runtimeClient, type BenchNetwork } from './runtime.js';

/** Every process in the container: its VmRSS (KiB) and command line, one per line (POSIX sh, coreutils or busybox). */
const LIST_PROCESSES = "for d in /proc/[0-9]*; do c=$(tr '\\0' ' ' < $d/cmdline 2>/dev/null); [ -n \"$c\" ] || continue; " +
  "r=$(sed -n 's/^VmRSS:[[:space:]]*\\([0-9]*\\).*/\\1/p' $d/status 2>/dev/null); echo \"${r:-0} $c\"; done";

/** The lines LIST_PROCESSES printed, as processes, keeping those matching `pattern`. */
export function parseProcessList(output: string, pattern: RegExp): FrontProcess[] {
  return output.split('\n').flatMap((line) => {
    const m = /^(\d+) (.+?)\s*$/.exec(line);
    return m && pattern.test(m[2] as string) ? [{ command: m[2] as string, rssBytes: Number(m[1]) * 1024 }] : [];
  });
}

/** How often a pause the engine could not complete ("unable to freeze") is tried. */
export const PAUSE_ATTEMPTS = 5;

/**
 * Freezes a container (docker pause). On a loaded machine the runtime may give up freezing one
 * whose tasks do not settle within its own tries: it thaws the container again and the engine
 * answers "OCI runtime pause failed: unable to freeze" (seen with Caddy in a full suite run). The
 * container is then running as before, so the pause is tried again, a few times, 100 ms apart.
 * Any other refusal fails at once.
 */
export async function pauseContainer(container: { pause(): Promise<unknown> }, what: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await container.pause();
      return;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (!/unable to freeze/.test(message) || attempt >= PAUSE_ATTEMPTS) {
        throw new Error(`pausing ${what} failed${attempt > 1 ? ` after ${attempt} attempts` : ''}: ${message}`, { cause: err });
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export interface FrontContainerOptions {
  network: BenchNetwork;
  kind: FrontKind;
  alias?: string;
  config?: { content: string };
  /** The container's command (default: the kind's own, for a front that reads a config file). */
  command?: readonly string[];
  env?: Record<string, string>;
  files?: { content: string; target: string }[];
  nofile?: number;
  /** Kernel settings of its network namespace (the scale bench widens its local ports). */
  sysctls?: Readonly<Record<string, string>>;
  /** The front terminates TLS with a certificate this CA (PEM) issued: its URLs are https/wss. */
  tls?: { ca: string };
  /** The image to run (default: the configured one for the kind's role). */
  image?: string;
  /** The port the front listens on inside its container (default CONTAINER_PORT, where the bench's configs listen). */
  port?: number;
}

export async function startFront(opts: FrontContainerOptions): Promise<FrontHandle> {
  const alias = opts.alias ?? 'front';
  const front = frontDescriptor(opts.kind);
  const contents = [...(opts.files ?? [])];
  if (opts.config) {
    if (!front.configPath) throw new Error(`a ${opts.kind} front takes no config file; give its flags as command`);
    contents.push({ content: opts.config.content, target: front.configPath });
  } else if (front.configPath && !opts.files?.some((f) => f.target === front.configPath)) {
    throw new Error(`a ${opts.kind} front needs its config (config: { content }), copied to ${front.configPath}`);
  }
  const command = opts.command ?? front.command;
  if (!command) throw new Error(`a ${opts.kind} front needs a command (e.g. node /app/http-front.mjs --target http://echo:8080 …)`);
  const started = await startContainer({
    what: `the ${opts.kind} front`,
    image: opts.image ?? imageFor(front.image.role),
    network: opts.network,
    alias,
    command: [...command],
    ...(opts.env ? { env: opts.env } : {}),
    ...(front.bundle ? { files: bundle(front.bundle), user: NODE_USER } : {}),
    contents,
    wait: frontReady(opts.port ?? CONTAINER_PORT, opts.tls !== undefined),
    ...(opts.nofile !== undefined ? { nofile: opts.nofile } : {}),
    ...(opts.sysctls ? { sysctls: opts.sysctls } : {}),
    ...(opts.port !== undefined ? { port: opts.port } : {}),
  });
  const client = await runtimeClient();
  const docker = client.container.getById(started.container.getId());
  const { reloadCommand } = front;
  return {
    kind: opts.kind,
    alias,
    networkIp: started.networkIp,
    get httpUrl() { return started.url(opts.tls ? 'https' : 'http', '/').replace(/\/$/, ''); },
    wsUrl: (path = '/ws') => started.url(opts.tls ? 'wss' : 'ws', path),
    ...(opts.tls ? { ca: opts.tls.ca } : {}),
    logs: async () => started.logs.all(),
    stop: started.stop,
    restart: async () => { await started.container.restart({ timeout: STOP_TIMEOUT_MS }); },
    ...(reloadCommand ? { reload: async () => { await execOrThrow(started.container, reloadCommand, `reloading the ${opts.kind} front`); } } : {}),
    version: async () => versionFromOutput(front.version, `the ${opts.kind} front`, await execOrThrow(started.container, front.version.command, `reading the ${opts.kind} front's version`)),
    pause: () => pauseContainer(docker, `the ${opts.kind} front`),
    unpause: async () => { await docker.unpause(); },
    processes: async () => parseProcessList(await execOrThrow(started.container, ['sh', '-c', LIST_PROCESSES], `listing the ${opts.kind} front's processes`), front.processes),
  };
}
