/**
 * `ws-proxy-bench run`'s options, validated by the shared resolver (src/options.ts), then
 * checked against the catalog: every --front, --scenario and --config must name something.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { boolean, duration, integer, list, option, OptionError, repeated, resolveOptions, text, type OptionValues } from '../options.js';
import { DEBIAN_SUITES, isDebianSuite, parseSuites, SUITE_RECIPES, type DebianSuite } from '../containers/debian-suites.js';
import { catalog } from '../scenarios/catalog.js';
import { frontSetups } from '../fronts/index.js';
import type { Scenario } from '../scenarios/types.js';
import { planDeployment } from '../deployment/plan.js';

const frontNames = (): string[] => [...new Set([...frontSetups.keys(), ...[...frontSetups.values()].map((s) => s.kind)])];
const CONFIG_PAIR = /^([a-z0-9-]+)=(.+)$/;
const UPSTREAM = /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?:\d{1,5}$/;
const PATH_ALLOWED = 'a file path';
const showPath = (v: string): string => v || '(none)';

export const runOptionSpecs = {
  front: option<string[]>({
    flag: '--front',
    default: [],
    repeatable: true,
    ...list(`front setup names or kinds (${frontNames().join(', ')})`, (v) => frontNames().includes(v)),
    help: 'run only the scenarios of these front setups (a kind such as nginx selects all its setups)',
  }),
  scenario: option<string[]>({
    flag: '--scenario',
    default: [],
    repeatable: true,
    ...list("scenario ids or globs such as 'nginx/*' or '*/upgrade'", (v) => /^[\w*?./-]+$/.test(v)),
    help: 'run only these scenarios',
  }),
  concurrency: option({
    flag: '--concurrency',
    default: 2,
    ...integer(1, 8),
    help: 'how many scenarios run at the same time (each has its own topology)',
  }),
  local: option({
    flag: '--local',
    default: false,
    bare: true,
    ...boolean,
    help: 'run on this host without Docker: the app and the http-proxy front in-process, other fronts from their installed binaries',
  }),
  config: option<string[]>({
    flag: '--config',
    default: [],
    repeatable: true,
    ...list('<front setup>=<config file> pairs, e.g. nginx=./my-nginx.conf.template', (v) => CONFIG_PAIR.test(v)),
    help: "run that front setup's scenarios against your own config file (its ${NAME} placeholders are rendered like the templates')",
  }),
  upstream: option({
    flag: '--upstream',
    default: '',
    ...text('<host>:<port>, the name and port your config proxies to', (v) => UPSTREAM.test(v)),
    show: showPath,
    help: 'run your --config file unchanged: the app gets this network name and port, so the file\'s own proxy_pass/server/ProxyPass/reverse_proxy reaches it',
  }),
  listenPort: option({ flag: '--listen-port', default: 0, ...integer(0, 65_535), show: (v) => (v === 0 ? 'read from the file' : String(v)), help: 'with --upstream: the port your config listens on (default: read from its listen/bind/Listen/site line)' }),
  idleTimeout: option({ flag: '--idle-timeout', default: 0, ...duration('s', 3_600_000), show: (v) => (v === 0 ? 'not stated' : `${v / 1000}s`), help: 'with --upstream: the idle timeout your config sets, checked (cut within the usual window); not stated: it is found by holding a connection up to --max-idle' }),
  maxIdle: option({ flag: '--max-idle', default: 120_000, ...duration('s', 3_600_000, 1_000), help: 'with --upstream and no --idle-timeout: how long to hold an idle connection to find the cut' }),
  appImage: option({ flag: '--app-image', default: '', ...text('an image name, e.g. my-app:1.4', (v) => /^[\w./:@-]+$/.test(v)), show: showPath, help: "run the checks against your app's image behind each front (by --front; default: each kind's own setup) instead of the bench's echo app" }),
  appPort: option({ flag: '--app-port', default: 0, ...integer(0, 65_535), show: (v) => (v === 0 ? '8080, or the --upstream port' : String(v)), help: 'with --app-image: the port your app listens on in its container' }),
  appPath: option({ flag: '--app-path', default: '/ws', ...text('a path starting with /', (v) => /^\/\S*$/.test(v)), help: 'with --app-image: the path your app answers WebSockets at' }),
  appEnv: option<string[]>({ flag: '--app-env', default: [], ...repeated('K=V', (v) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(v)), help: "with --app-image: an environment variable for your app's container (repeat the flag)" }),
  appCommand: option({ flag: '--app-command', default: '', ...text('a command, its words split on spaces', (v) => v.trim() !== ''), show: (v) => v || "the image's own", help: "with --app-image: the container's command instead of the image's own" }),
  versions: option<string[]>({
    flag: '--versions',
    default: [],
    repeatable: true,
    ...list(`Debian suites (${DEBIAN_SUITES.join(', ')}) or all`, (v) => v === 'all' || isDebianSuite(v)),
    help: `run every selected scenario on each suite's offline image set (${DEBIAN_SUITES.map((s) => `${s}: ${SUITE_RECIPES[s].release}`).join(', ')}), built if need be; default: the configured images`,
  }),
  wide: option({
    flag: '--wide',
    default: false,
    bare: true,
    ...boolean,
    help: 'print every check as a column with its figure (the full table, wider than a terminal); default: a summary of front setups by scenario family that fits 120 columns',
  }),
  json: option({ flag: '--json', default: '', ...text(PATH_ALLOWED, (v) => v.trim() !== ''), show: showPath, help: 'also write the results as JSON to this file' }),
  markdown: option({ flag: '--markdown', default: '', ...text(PATH_ALLOWED, (v) => v.trim() !== ''), show: showPath, help: 'also write the report as a Markdown table to this file' }),
  junit: option({ flag: '--junit', default: '', ...text(PATH_ALLOWED, (v) => v.trim() !== ''), show: showPath, help: 'also write the results as JUnit XML to this file (a testsuite per scenario, a testcase per check)' }),
};

export type RunOptions = OptionValues<typeof runOptionSpecs>;

export interface RunPlan {
  options: RunOptions;
  scenarios: Scenario[];
  /** Front setup name → the user's config file (absolute). */
  configs: Map<string, string>;
  /** The Debian suites whose image sets the run covers (empty: the configured images). */
  suites: DebianSuite[];
  /** What the user should know before it runs (an --upstream the config never names). */
  warnings: string[];
}

/** A scenario glob: '*' matches any run of characters (slashes too), '?' one character. */
export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** The catalog scenarios the filters select, in catalog order. */
export function selectScenarios(all: readonly Scenario[], fronts: readonly string[], patterns: readonly string[]): Scenario[] {
  const kindOf = (name: string): string | undefined => frontSetups.get(name)?.kind;
  const regexps = patterns.map(globToRegExp);
  return all.filter((s) =>
    (fronts.length === 0 || fronts.includes(s.front) || fronts.includes(kindOf(s.front) ?? '')) &&
    (regexps.length === 0 || regexps.some((r) => r.test(s.id))));
}

/** Parses and checks `run`'s arguments; an OptionError names the problem and the fix. */
export function planRun(argv: readonly string[], cwd = process.cwd()): RunPlan | 'help' {
  if (argv.includes('--help') || argv.includes('-h')) return 'help';
  const options = resolveOptions(runOptionSpecs, { argv, command: 'run' });
  const configs = userConfigs(options.config, cwd);
  const suites = options.versions.length === 0 ? [] : parseSuites(options.versions.join(','));
  if (suites.length > 0 && options.local) {
    throw new OptionError("run: --versions picks image sets, which need Docker; --local runs this host's binaries (drop one of the two)");
  }
  const deployment = planDeployment(options, configs);
  if (deployment) return { options, scenarios: deployment.scenarios, configs, suites, warnings: deployment.warnings };
  for (const pattern of options.scenario) {
    if (selectScenarios(catalog, [], [pattern]).length === 0) {
      throw new OptionError(`run: --scenario '${pattern}' matches no scenario; known: ${catalog.map((s) => s.id).join(', ')}`);
    }
  }
  const scenarios = selectScenarios(catalog, options.front, options.scenario);
  if (scenarios.length === 0) {
    throw new OptionError(`run: no scenario is selected by --front ${options.front.join(',')} together with --scenario ${options.scenario.join(',')}`);
  }
  return { options, scenarios, configs, suites, warnings: [] };
}

/** `--config <setup>=<file>` pairs: each setup known and configured by a file, each file there, each setup once. */
function userConfigs(pairs: readonly string[], cwd: string): Map<string, string> {
  const configs = new Map<string, string>();
  for (const pair of pairs) {
    const [, name = '', file = ''] = CONFIG_PAIR.exec(pair) ?? [];
    if (!frontSetups.has(name)) {
      throw new OptionError(`run: --config ${pair}: unknown front setup '${name}'; known: ${[...frontSetups.keys()].join(', ')}`);
    }
    if (!frontSetups.get(name)?.template) {
      throw new OptionError(`run: --config ${pair}: front setup '${name}' is configured by flags, not a config file`);
    }
    const path = resolve(cwd, file);
    if (!existsSync(path)) throw new OptionError(`run: --config ${pair}: no file at ${path}`);
    if (configs.has(name)) throw new OptionError(`run: --config names front setup '${name}' twice`);
    configs.set(name, path);
  }
  return configs;
}
