/**
 * `ws-proxy-bench engine|images|sweep`: the command lines of the containers part. Each returns
 * its exit code: 0 done, 1 failed (message on stderr), 2 wrong usage.
 */
import { parseArgs } from 'node:util';
import { imageExists } from './docker.js';
import { checkEngine, ENGINE_LOG_FILE, engineMissingMessage, ensureEngine, stopEngine } from './engine.js';
import { imageCatalog, IMAGE_SPECS } from './images.js';
import { DEBIAN_SUITES, DEFAULT_SUITE, parseSuites, SUITE_RECIPES, type DebianSuite } from './debian-suites.js';
import { buildOfflineImages, offlineImages } from './offline-images.js';
import { resolveImages } from './resolve.js';
import { sweepDeadRuns } from './cleanup.js';

const progress = (line: string): void => { console.error(line); };

export class UsageError extends Error {}

interface Parsed { sub: string; flags: Record<string, string | boolean | undefined> }

/** Parses `<sub> [flags]`: exactly one known subcommand (or the default), only known flags. */
export function parseSubcommand(
  command: string,
  argv: string[],
  subcommands: readonly string[],
  defaultSub: string,
  options: Record<string, { type: 'boolean' | 'string' }> = {},
): Parsed | 'help' {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { ...options, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    throw new UsageError(`${command}: ${((err as Error).message.split('\n')[0] ?? '').replace(/\. To specify.*$/, '')}`);
  }
  if (parsed.values.help) return 'help';
  if (subcommands.length === 0 && parsed.positionals.length > 0) throw new UsageError(`${command}: takes no arguments, got '${parsed.positionals.join(' ')}'`);
  if (parsed.positionals.length > 1) throw new UsageError(`${command}: one subcommand at a time (got ${parsed.positionals.join(' ')}); subcommands: ${subcommands.join(', ')}`);
  const sub = parsed.positionals[0] ?? defaultSub;
  if (subcommands.length > 0 && !subcommands.includes(sub)) throw new UsageError(`${command}: unknown subcommand '${sub}'; subcommands: ${subcommands.join(', ')}`);
  return { sub, flags: parsed.values as Parsed['flags'] };
}

async function withUsage(body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`ws-proxy-bench ${err.message}. Try --help.`);
      return 2;
    }
    throw err;
  }
}

const ENGINE_HELP = `Usage: ws-proxy-bench engine [check|ensure|stop]

  check   (default) print the Docker engine's version, or say what is missing (exit 1).
          Honours DOCKER_HOST.
  ensure  make an engine answer: if none does and this is root on Debian/Ubuntu with no other
          DOCKER_HOST, install docker.io (apt-get) if needed, start dockerd (log in
          ${ENGINE_LOG_FILE}) and record that ws-proxy-bench started it.
  stop    stop the dockerd that \`engine ensure\` started, and only that one.`;

export function runEngineCommand(argv: string[]): Promise<number> {
  return withUsage(async () => {
    const parsed = parseSubcommand('engine', argv, ['check', 'ensure', 'stop'], 'check');
    if (parsed === 'help') { console.log(ENGINE_HELP); return 0; }
    if (parsed.sub === 'check') {
      const status = await checkEngine();
      if (!status.ok) { console.error(`ws-proxy-bench engine: ${engineMissingMessage(status)}`); return 1; }
      console.log(`Docker engine ${status.version}${status.dockerHost ? ` at ${status.dockerHost}` : ''}`);
      return 0;
    }
    if (parsed.sub === 'ensure') {
      const r = await ensureEngine({ progress });
      console.log(`Docker engine ${r.version}${r.startedByUs ? ' (started by ws-proxy-bench; `ws-proxy-bench engine stop` stops it)' : ''}`);
      return 0;
    }
    const r = await stopEngine({ progress });
    console.log(r.detail);
    return 0;
  });
}

const IMAGES_HELP = `Usage: ws-proxy-bench images [list|offline|resolve] [--suite <suite,...|all>]

  list     (default) each role's image (WS_PROXY_BENCH_IMAGE_<ROLE>, else .env) and whether it is here.
  offline  build the offline stand-ins from Debian packages (debootstrap; root; ~1 min cold per
           suite, suites side by side), then write build/offline-images-<suite>.env (and, for the
           default suite, build/offline-images.env). Mirror: WS_PROXY_BENCH_DEBIAN_MIRROR.
           --suite: ${DEBIAN_SUITES.map((s) => `${s} (${SUITE_RECIPES[s].release})`).join(', ')} or all;
           default ${DEFAULT_SUITE}.
  resolve  make every role's image available: present, else pulled, else the offline stand-in.`;

export function runImagesCommand(argv: string[]): Promise<number> {
  return withUsage(async () => {
    const parsed = parseSubcommand('images', argv, ['list', 'offline', 'resolve'], 'list', { suite: { type: 'string' } });
    if (parsed === 'help') { console.log(IMAGES_HELP); return 0; }
    const rawSuite = parsed.flags.suite;
    if (rawSuite !== undefined && parsed.sub !== 'offline') throw new UsageError(`images: --suite goes with \`images offline\` (${parsed.sub} uses the configured images)`);
    let suites: DebianSuite[];
    try {
      suites = rawSuite === undefined ? [DEFAULT_SUITE] : parseSuites(String(rawSuite));
    } catch (err) {
      throw new UsageError(`images offline --suite ${String(rawSuite)}: ${(err as Error).message}`);
    }
    if (parsed.sub === 'list') {
      const offline = offlineImages();
      for (const c of imageCatalog()) {
        const standIn = await imageExists(offline[c.role]);
        const standInText = `offline stand-in ${offline[c.role]} ${standIn ? 'present' : 'absent'}`;
        if (c.image === undefined) {
          console.log(`${c.role.padEnd(8)} ${'(no official image)'.padEnd(44)} ${standIn ? 'present' : 'absent '}  (the default is the ${standInText})`);
          continue;
        }
        const here = await imageExists(c.image);
        console.log(`${c.role.padEnd(8)} ${c.image.padEnd(44)} ${here ? 'present' : 'absent '}  (${c.source === '.env' ? 'default from .env' : `set by ${IMAGE_SPECS[c.role].envVar}`}; ${standInText})`);
      }
      return 0;
    }
    if (parsed.sub === 'offline') {
      const r = await buildOfflineImages({ suites, progress });
      for (const s of r.suites) {
        console.log(`${s.suite}: offline images (recipe ${s.hash}) ready; built: ${s.built.join(', ') || 'nothing (all present)'}; use them: set -a; . ${s.envFile}; set +a`);
      }
      console.log(`done in ${r.seconds.toFixed(1)} s`);
      return 0;
    }
    const resolved = await resolveImages({ progress });
    for (const r of resolved) console.log(`${IMAGE_SPECS[r.role].envVar}=${r.image}    # ${r.how}`);
    return 0;
  });
}

const SWEEP_HELP = `Usage: ws-proxy-bench sweep [--all] [--max-age-hours N]

Removes containers and networks (label ws-proxy-bench=<run id>) of runs that died: their
owning process on this host is gone, or they are older than --max-age-hours (default 24).
--all removes every ws-proxy-bench container and network, live runs included.`;

export function runSweepCommand(argv: string[]): Promise<number> {
  return withUsage(async () => {
    const parsed = parseSubcommand('sweep', argv, [], '', { all: { type: 'boolean' }, 'max-age-hours': { type: 'string' } });
    if (parsed === 'help') { console.log(SWEEP_HELP); return 0; }
    const rawAge = parsed.flags['max-age-hours'];
    const maxAgeHours = rawAge === undefined ? 24 : Number(rawAge);
    if (!Number.isFinite(maxAgeHours) || maxAgeHours <= 0) throw new UsageError(`sweep: --max-age-hours wants a positive number of hours, got '${String(rawAge)}'`);
    const r = await sweepDeadRuns({ all: parsed.flags.all === true, maxAgeHours });
    for (const run of r.runs) console.log(`removed run ${run.runId} (${run.reason})`);
    console.log(`sweep: removed ${r.containers} containers and ${r.networks} networks`);
    return 0;
  });
}
