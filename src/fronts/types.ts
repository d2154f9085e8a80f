/**
 * What the bench knows about one kind of front, in one place: its image, where that image reads
 * its config, how to run, reload and ask its version, how to run it on this host without Docker,
 * what its offline stand-in needs, and its setups (config variants). The registry
 * (src/fronts/index.ts) lists the kinds; everything that lists kinds derives from it.
 */
import type { FrontOptions } from '../../proxy/options.js';
import type { FrontVars } from './vars.js';
import type { ConfigScan } from './config-scan.js';

/** The image a front kind (or the app) runs, named by an environment variable / .env key. */
export interface ImageSpec<R extends string = string> {
  /** The role's name: `node` (the app and the http-front), or the front kind's own. */
  role: R;
  /** WS_PROXY_BENCH_IMAGE_<ROLE>: the environment variable (and .env key) naming the image. */
  envVar: string;
  summary: string;
  /** The Debian packages the offline stand-in (images/offline/<role>.Dockerfile) installs. */
  debianPackages: readonly string[];
  /** False when no official image exists: the offline stand-in is the default everywhere, and .env names none. */
  official?: false;
}

/** How to read a front's version from inside its container: a command and what to take from its output. */
export interface VersionProbe {
  command: readonly string[];
  /** Whose version it is, when not the front's own (the http-front reports the Node.js it runs on). */
  of?: string;
  /** The version in the command's output (stdout and stderr together), e.g. "1.22.1". */
  parse(output: string): string | undefined;
}

/** A front run from its binary on this host (local mode). */
export interface LocalBinary {
  /** Names to look for, in order. */
  names: readonly string[];
  /** The Debian package that installs it, for the skip reason. */
  debianPackage: string;
  /** Foreground flags to run it on a config file; `dir` is a private temp dir. */
  args(config: string, dir: string): string[];
  /**
   * The rendered config (written for the image's layout) made to fit this host's, where paths
   * in it differ (httpd's ServerRoot); `dir` is the run's private temp dir. Throws a reason the
   * report shows when this host has no such layout.
   */
  hostConfig?(config: string, dir: string): string;
}

/** A config variant of a front kind, as a descriptor declares it. */
export interface SetupSpec {
  name: string;
  summary: string;
  /** Config template, relative to the project root, rendered with FrontVars. */
  template?: string;
  /** The http-front's options (the container's command and local mode both derive from them). */
  httpFront?(vars: FrontVars): Partial<FrontOptions>;
  /** Other front setups this one needs on the same network, by the alias it reaches them at. */
  companions?: Readonly<Record<string, string>>;
  /**
   * The front terminates TLS: the bench makes a throwaway certificate and copies it and its key
   * to these paths in the container; clients then use https:// and wss:// and trust it.
   */
  tls?: { certPath: string; keyPath: string };
  /**
   * The oldest version of the front that takes this config: below it the front refuses the file
   * at start (its error line matching `refusal`), and the scenario reports that refusal.
   */
  needs?: { version: string; refusal: RegExp; feature: string };
}

export interface FrontDescriptor<K extends string = string, R extends string = string> {
  kind: K;
  /** How people name it: "nginx", "HAProxy", "Apache httpd". */
  title: string;
  image: ImageSpec<R>;
  /** Where its image reads the config file (absent: configured by flags). */
  configPath?: string;
  /** A bundle from dist/ the front runs (copied under /app; it then runs as the node user, never root). */
  bundle?: string;
  /** The container's command, for a front that reads its config file. */
  command?: readonly string[];
  /** The container's command derived from a setup, for a front configured by flags (the http-front). */
  setupCommand?(setup: SetupSpec, vars: FrontVars): string[];
  /** The command that makes a running front reload its config (absent: it has none here). */
  reloadCommand?: readonly string[];
  version: VersionProbe;
  /** Its processes' command lines (/proc/<pid>/cmdline), to count workers and old generations after reloads. */
  processes: RegExp;
  /** How local mode runs it: in this process (the http-front) or from an installed binary. */
  local: 'in-process' | LocalBinary;
  /** The docs page about it. */
  docsPage: string;
  /** How a user's own config file of this kind is read (run --config … --upstream): the ports it listens on, what it proxies to. */
  configScan?: ConfigScan;
  /**
   * How the scale benches put many connections through it, each process being capped by the
   * open files the engine gives a container: 'workers', one container whose worker processes
   * share them (nginx's worker_processes); 'threads', containers whose child processes hold one
   * connection per thread (httpd's event MPM, sized by its scale setup); 'containers', as many
   * containers as the cap needs, each holding its share in one process (HAProxy, Caddy,
   * nghttpx, the http-front).
   */
  scaleOut: 'workers' | 'threads' | 'containers';
  /** The setup the scale benches run (default: the kind's own, named like the kind). */
  scaleSetup?: string;
  setups: readonly SetupSpec[];
}

/** Declares a front kind (keeps its kind and role as literal types). */
export function defineFront<K extends string, R extends string>(descriptor: FrontDescriptor<K, R>): FrontDescriptor<K, R> {
  return descriptor;
}

/** The first version-looking token (digits and dots) after `prefix` in a command's output. */
export function versionAfter(prefix: RegExp): (output: string) => string | undefined {
  return (output) => new RegExp(`${prefix.source}\\s*v?(\\d+(?:\\.\\d+)+)`, prefix.flags).exec(output)?.[1];
}

/** The version a version command printed (`what`: whose, for the error); throws with the output when it names none. */
export function versionFromOutput(probe: VersionProbe, what: string, output: string): string {
  const version = probe.parse(output);
  if (!version) throw new Error(`${what}'s version command (${probe.command.join(' ')}) printed no version: ${output.trim().slice(0, 200)}`);
  return version;
}

/** Compares dotted versions numerically: negative when a < b, 0 when equal, positive when a > b. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
