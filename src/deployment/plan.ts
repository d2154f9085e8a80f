/**
 * `run`'s user-deployment mode, planned from its flags: your config unchanged with --upstream
 * (the app gets that name and port, the front is published on the port the file listens on),
 * your app image with --app-image, or both. Refuses flags that mean nothing without the one they
 * go with, naming it; warns when the config never names the --upstream host.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { frontDescriptor, frontSetups, primarySetups } from '../fronts/index.js';
import { OptionError } from '../options.js';
import type { Deployment, Scenario } from '../scenarios/types.js';
import { APP_ALIAS, APP_PORT, FRONT_PORT } from '../topology/values.js';
import type { RunOptions } from '../run/options.js';
import { targetHost, type ConfigScan } from '../fronts/config-scan.js';
import { deploymentScenario, userApp } from './scenarios.js';
import { catalog, KEEPALIVE_IDLE_TIMEOUT_SECONDS } from '../scenarios/catalog.js';
import { HOLD_FACTOR } from '../scenarios/checks/idle.js';

export interface DeploymentPlan {
  scenarios: Scenario[];
  warnings: string[];
}

const DEFAULT_MAX_IDLE_MS = 120_000;

/** Flags that only mean something with another one. */
function requireWith(options: RunOptions): void {
  const needUpstream = [
    options.listenPort !== 0 && '--listen-port',
    options.idleTimeout !== 0 && '--idle-timeout',
    options.maxIdle !== DEFAULT_MAX_IDLE_MS && '--max-idle',
  ].filter((f): f is string => typeof f === 'string');
  if (needUpstream.length > 0 && !options.upstream) {
    throw new OptionError(`run: ${needUpstream.join(', ')} ${needUpstream.length > 1 ? 'describe' : 'describes'} your config run unchanged: give --config <setup>=<file> --upstream <host>:<port> with ${needUpstream.length > 1 ? 'them' : 'it'}`);
  }
  const needImage = [
    options.appPort !== 0 && '--app-port',
    options.appPath !== '/ws' && '--app-path',
    options.appEnv.length > 0 && '--app-env',
    options.appCommand !== '' && '--app-command',
  ].filter((f): f is string => typeof f === 'string');
  if (needImage.length > 0 && !options.appImage) {
    throw new OptionError(`run: ${needImage.join(', ')} ${needImage.length > 1 ? 'describe' : 'describes'} your app: give --app-image <image> with ${needImage.length > 1 ? 'them' : 'it'}`);
  }
}

/** Each kind's first setup that terminates TLS (wss:// outside), so the app is checked behind TLS too. */
function tlsSetups(): string[] {
  return primarySetups.flatMap((p) => {
    const kind = frontSetups.get(p)?.kind;
    const tls = [...frontSetups.values()].find((s) => s.kind === kind && s.tls !== undefined);
    return tls ? [tls.name] : [];
  });
}

/** The setups --app-image runs behind: those --front names (a kind: its own setup), else every kind's own and its TLS one. */
function appSetups(fronts: readonly string[]): string[] {
  if (fronts.length === 0) return [...primarySetups, ...tlsSetups()];
  return [...new Set(fronts.map((f) => (frontSetups.has(f) ? f : primarySetups.find((p) => frontSetups.get(p)?.kind === f) ?? f)))];
}

export function planDeployment(options: RunOptions, configs: ReadonlyMap<string, string>): DeploymentPlan | undefined {
  requireWith(options);
  if (!options.upstream && !options.appImage) return undefined;
  if (options.scenario.length > 0) {
    throw new OptionError('run: --scenario picks catalog scenarios; with --upstream or --app-image the run is your deployment\'s checks (pick the fronts with --front)');
  }
  if (options.local) throw new OptionError('run: your config or your app runs in containers, as your deployment does: drop --local (a Docker engine is needed: `ws-proxy-bench engine ensure`)');
  const warnings: string[] = [];
  const maxIdleMs = options.maxIdle;
  const idleTimeoutMs = options.idleTimeout === 0 ? undefined : options.idleTimeout;
  if (options.upstream) {
    if (configs.size === 0) throw new OptionError('run: --upstream names what your config proxies to: give the config with --config <setup>=<file>');
    const [host = '', portText = ''] = options.upstream.split(/:(?=\d+$)/);
    const port = Number(portText);
    if (options.appImage && options.appPort !== 0 && options.appPort !== port) {
      throw new OptionError(`run: --upstream ${options.upstream} says your config proxies to port ${port}, --app-port says your app listens on ${options.appPort}: they must agree (drop --app-port)`);
    }
    const app = options.appImage ? userApp({ image: options.appImage, port, env: options.appEnv, command: options.appCommand }) : undefined;
    if (options.front.length > 0) throw new OptionError('run: with --upstream the fronts are the --config setups; drop --front');
    const scenarios = [...configs].map(([setup, file]) => {
      const text = readFileSync(file, 'utf8');
      const scan = frontDescriptor(frontSetups.get(setup)?.kind ?? setup).configScan;
      const listenPort = options.listenPort !== 0 ? options.listenPort : listenPortOf(scan, file, text, warnings);
      const targets = scan?.proxiedTo(text) ?? [];
      if (!new RegExp(`(^|[^\\w.-])${host.replace(/[.]/g, '\\.')}([^\\w.-]|$)`).test(text)) {
        warnings.push(`--upstream ${options.upstream}: ${basename(file)} never names '${host}'; it proxies to ${targets.length > 0 ? targets.join(', ') : 'nothing the bench recognises'}${targets[0] ? ` (try --upstream ${targets.find((t) => t.includes(':')) ?? `${targetHost(targets[0])}:<port>`})` : ''}`);
      }
      const deployment: Deployment = { upstream: { host, port }, listenPort, wsPath: options.appPath, userConfig: file, ...(app ? { app } : {}) };
      return deploymentScenario({ setup, deployment, maxIdleMs, ...(idleTimeoutMs !== undefined ? { idleTimeoutMs } : {}) });
    });
    return { scenarios, warnings };
  }
  if (configs.size > 0) throw new OptionError('run: --config with --app-image runs your config unchanged, which needs --upstream <host>:<port> (the name and port it proxies to)');
  if (idleTimeoutMs !== undefined) throw new OptionError("run: --idle-timeout states what your config sets; with the bench's configs the bench knows it");
  const app = userApp({ image: options.appImage, port: options.appPort || APP_PORT, env: options.appEnv, command: options.appCommand });
  const scenarios = appSetups(options.front).map((setup) => {
    if (!frontSetups.has(setup)) throw new OptionError(`run: --front ${setup}: unknown front setup or kind`);
    const deployment: Deployment = { upstream: { host: APP_ALIAS, port: app.port }, listenPort: FRONT_PORT, wsPath: options.appPath, app };
    // The template's idle timeout where the catalog proves it cuts (its idle-cut check); Caddy's sets none: looked for as long as the catalog holds one.
    return templateCutsIdle(setup)
      ? deploymentScenario({ setup, deployment, maxIdleMs, idleTimeoutMs: KEEPALIVE_IDLE_TIMEOUT_SECONDS * 1000 })
      : deploymentScenario({ setup, deployment, maxIdleMs: HOLD_FACTOR * KEEPALIVE_IDLE_TIMEOUT_SECONDS * 1000 });
  });
  return { scenarios, warnings };
}

/** Whether the bench's template of a setup cuts an idle connection at its timeout (a catalog scenario of it checks the cut). */
function templateCutsIdle(setup: string): boolean {
  return catalog.some((s) => s.front === setup && s.checks.some((c) => c.id === 'idle-cut'));
}

/** The port a user's config listens on, read from it; several: the first, with a warning; none: an error asking for --listen-port. */
function listenPortOf(scan: ConfigScan | undefined, file: string, text: string, warnings: string[]): number {
  const ports = scan?.listenPorts(text) ?? [];
  const [first] = ports;
  if (first === undefined) {
    throw new OptionError(`run: could not read the port ${basename(file)} listens on (no ${scan?.listenDirective ?? 'listen'} line the bench recognises): give it with --listen-port <n>`);
  }
  if (ports.length > 1) warnings.push(`${basename(file)} listens on ${ports.join(', ')}: the bench publishes ${first} (give another with --listen-port)`);
  return first;
}
