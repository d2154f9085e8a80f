/**
 * `ws-proxy-bench run`'s options, validated by the shared resolver (src/options.ts), then
 * checked against the catalog: every --front, --scenario and --config must name something.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { boolean, integer, list, option, OptionError, resolveOptions, text, type OptionValues } from '../options.js';
import { DEBIAN_SUITES, isDebianSuite, parseSuites, SUITE_RECIPES, type DebianSuite } from '../containers/debian-suites.js';
import { catalog } from '../scenarios/catalog.js';
import { frontSetups } from '../fronts/index.js';
import type { Scenario } from '../scenarios/types.js';

const frontNames = (): string[] => [...new Set([...frontSetups.keys(), ...[...frontSetups.values()].map((s) => s.kind)])];
const CONFIG_PAIR = /^([a-z0-9-]+)=(.+)$/;
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
  versions: option<string[]>({
    flag: '--versions',
    default: [],
    repeatable: true,
    ...list(`Debian suites (${DEBIAN_SUITES.join(', ')}) or all`, (v) => v === 'all' || isDebianSuite(v)),
    help: `run every selected scenario on each suite's offline image set (${DEBIAN_SUITES.map((s) => `${s}: ${SUITE_RECIPES[s].release}`).join(', ')}), built if need be; default: the configured images`,
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
  for (const pattern of options.scenario) {
    if (selectScenarios(catalog, [], [pattern]).length === 0) {
      throw new OptionError(`run: --scenario '${pattern}' matches no scenario; known: ${catalog.map((s) => s.id).join(', ')}`);
    }
  }
  const scenarios = selectScenarios(catalog, options.front, options.scenario);
  if (scenarios.length === 0) {
    throw new OptionError(`run: no scenario is selected by --front ${options.front.join(',')} together with --scenario ${options.scenario.join(',')}`);
  }
  const configs = new Map<string, string>();
  for (const pair of options.config) {
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
  const suites = options.versions.length === 0 ? [] : parseSuites(options.versions.join(','));
  if (suites.length > 0 && options.local) {
    throw new OptionError("run: --versions picks image sets, which need Docker; --local runs this host's binaries (drop one of the two)");
  }
  return { options, scenarios, configs, suites };
}
