/**
 * `ws-proxy-bench compose up|down`: docker-compose.yml where `docker compose up` cannot pull the
 * official images (no registry answers). `up` makes every role's image available the way the
 * container suites do (present, else pulled, else the offline stand-in, built if need be:
 * src/containers/resolve.ts), renders the configs compose mounts, writes profile h2's certificate
 * when it is missing, then runs `docker compose … up` (or Debian's `docker-compose`) with those
 * images. Exit code: compose's own; 1 when something before it failed (saying what to do), 2 bad
 * usage.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { parseArgs } from 'node:util';
import { checkEngine, engineMissingMessage, type EngineStatus } from '../containers/engine.js';
import { resolveImages } from '../containers/resolve.js';
import { run } from '../exec.js';
import { projectPath, projectRoot } from '../paths.js';
import { renderComposeConfigs } from '../render.js';
import { writeComposeCertificate } from './certificate.js';
import { COMPOSE_TLS_DIR, COMPOSE_TLS_DIR_ENV, COMPOSE_TLS_FILES } from './h2-profile.js';
import { EVERY_PROFILE, type ComposeProfile } from './services.js';

/** The command to use instead of `docker compose up` where no registry answers: named by the README, the compose file and every error here. */
export const COMPOSE_UP_COMMAND = 'npx ws-proxy-bench compose up';

/** `docker compose` (the v2 plugin) where there is one, else Debian's `docker-compose` (v1); undefined when neither runs. */
export async function composeCommand(env: NodeJS.ProcessEnv = process.env): Promise<string[] | undefined> {
  const v2 = await run('docker', ['compose', 'version'], { timeoutMs: 10_000, env });
  if (v2.code === 0) return ['docker', 'compose'];
  const v1 = await run('docker-compose', ['version'], { timeoutMs: 10_000, env });
  return v1.code === 0 ? ['docker-compose'] : undefined;
}

/** The arguments of one compose invocation: every named profile, then the subcommand and its own arguments. */
export function composeArgs(profiles: readonly string[], sub: string, rest: readonly string[] = []): string[] {
  return [...profiles.flatMap((p) => ['--profile', p]), sub, ...rest];
}

/** How `compose up` reaches the outside world, so a test can stand in for each part. */
export interface ComposeUpDeps {
  env: NodeJS.ProcessEnv;
  out(line: string): void;
  err(line: string): void;
  checkEngine(env: NodeJS.ProcessEnv): Promise<EngineStatus>;
  /** Sets WS_PROXY_BENCH_IMAGE_* in `env` to an image that is here; throws saying why it cannot. */
  resolveImages(env: NodeJS.ProcessEnv, progress: (line: string) => void): Promise<void>;
  renderConfigs(): string[];
  writeCertificate(dir: string): Promise<void>;
  composeCommand(env: NodeJS.ProcessEnv): Promise<string[] | undefined>;
  /** Runs compose in the project folder with its output on ours; resolves with its exit code. */
  runCompose(command: readonly string[], args: readonly string[], env: NodeJS.ProcessEnv): Promise<number>;
}

const defaultDeps: ComposeUpDeps = {
  env: process.env,
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  checkEngine: (env) => checkEngine(env),
  resolveImages: async (env, progress) => { await resolveImages({ env, progress }); },
  renderConfigs: () => renderComposeConfigs(),
  writeCertificate: async (dir) => { await writeComposeCertificate(dir, 30); },
  composeCommand: (env) => composeCommand(env),
  runCompose: (command, args, env) => new Promise((resolve) => {
    const [cmd = 'docker', ...pre] = command;
    const child = spawn(cmd, [...pre, ...args], { cwd: projectRoot, env, stdio: 'inherit' });
    // Ctrl-C reaches compose too (same process group), which then stops its services: wait for
    // it to finish that rather than leave it halfway.
    const ignore = (): void => {};
    process.on('SIGINT', ignore);
    const done = (code: number): void => { process.off('SIGINT', ignore); resolve(code); };
    child.on('error', () => done(127));
    child.on('close', (code, signal) => done(code ?? (signal === 'SIGINT' ? 130 : 1)));
  }),
};

const HELP = `Usage: ws-proxy-bench compose up [--profile <name>]... [--all-profiles] [-- <docker compose up options>]
       ws-proxy-bench compose down

Runs docker-compose.yml where \`docker compose up\` cannot pull the official images (no
registry answers). \`up\`:
  1. makes every role's image available: present, else pulled, else the offline stand-in
     (built from Debian's packages when it is missing: root on Debian/Ubuntu; see
     docs/offline-images.md);
  2. renders the configs compose mounts into dist/compose/ (as \`npm run build\` does);
  3. with profile h2, writes its certificate (ws-proxy-bench cert) when ${COMPOSE_TLS_DIR} has none;
  4. runs \`docker compose --profile … up\` (or Debian's docker-compose) with those images.
Options after -- go to \`up\` (e.g. -- --detach). \`down\` stops and removes every service of
every profile.

Profiles: ${EVERY_PROFILE.join(', ')} (the services without a profile always come up; the
README's compose port table lists what each brings up). --profile takes one or a comma list and
repeats; --all-profiles names them all.`;

class UsageError extends Error {}

function parse(argv: string[]): { sub: 'up' | 'down'; profiles: ComposeProfile[]; rest: string[] } | 'help' {
  const dashes = argv.indexOf('--');
  const own = dashes < 0 ? argv : argv.slice(0, dashes);
  const rest = dashes < 0 ? [] : argv.slice(dashes + 1);
  let parsed;
  try {
    parsed = parseArgs({
      args: own,
      allowPositionals: true,
      strict: true,
      options: { profile: { type: 'string', multiple: true }, 'all-profiles': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (e) {
    throw new UsageError(((e as Error).message.split('\n')[0] ?? '').replace(/\. To specify.*$/, ''));
  }
  if (parsed.values.help) return 'help';
  const [sub, ...extra] = parsed.positionals;
  if (sub !== 'up' && sub !== 'down') throw new UsageError(sub === undefined ? 'name a subcommand: up or down' : `unknown subcommand '${sub}'; subcommands: up, down`);
  if (extra.length > 0) throw new UsageError(`unexpected '${extra.join(' ')}' (options for docker compose go after --)`);
  const named = (parsed.values.profile ?? []).flatMap((p) => p.split(',')).map((p) => p.trim()).filter((p) => p !== '');
  for (const p of named) {
    if (!(EVERY_PROFILE as readonly string[]).includes(p)) throw new UsageError(`unknown profile '${p}'; profiles: ${EVERY_PROFILE.join(', ')}`);
  }
  if (sub === 'down' && (named.length > 0 || parsed.values['all-profiles'] || rest.length > 0)) throw new UsageError('down takes no options: it removes every service of every profile');
  const profiles = parsed.values['all-profiles'] ? [...EVERY_PROFILE] : [...new Set(named as ComposeProfile[])];
  return { sub, profiles, rest };
}

/** The folder profile h2's certificate is read from, as compose resolves it (relative to the project). */
function tlsDir(env: NodeJS.ProcessEnv): string {
  const dir = env[COMPOSE_TLS_DIR_ENV]?.trim() || COMPOSE_TLS_DIR;
  return isAbsolute(dir) ? dir : projectPath(dir);
}

export async function runComposeCommand(argv: string[], overrides: Partial<ComposeUpDeps> = {}): Promise<number> {
  const deps = { ...defaultDeps, ...overrides };
  let parsed;
  try {
    parsed = parse(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    deps.err(`compose: ${e.message}. Try ws-proxy-bench compose --help.`);
    return 2;
  }
  if (parsed === 'help') {
    deps.out(HELP);
    return 0;
  }
  const { sub, profiles, rest } = parsed;
  const again = `${COMPOSE_UP_COMMAND}${profiles.map((p) => ` --profile ${p}`).join('')}`;
  const env: NodeJS.ProcessEnv = { ...deps.env };

  const engine = await deps.checkEngine(env);
  if (!engine.ok) {
    deps.err(`compose: ${engineMissingMessage(engine)} Then run ${sub === 'up' ? again : 'ws-proxy-bench compose down'} again.`);
    return 1;
  }
  const compose = await deps.composeCommand(env);
  if (!compose) {
    deps.err('compose: neither `docker compose` nor `docker-compose` runs: install the Compose plugin (docker-compose-plugin), or `apt-get install docker-compose` on Debian/Ubuntu.');
    return 1;
  }
  if (sub === 'down') return deps.runCompose(compose, composeArgs(EVERY_PROFILE, 'down', ['--remove-orphans']), env);

  try {
    await deps.resolveImages(env, (line) => deps.err(`compose: ${line}`));
  } catch (e) {
    deps.err(`compose: ${e instanceof Error ? e.message : String(e)}`);
    deps.err(`compose: once that is fixed, run ${again} again (plain \`docker compose up\` pulls the official images, which cannot be pulled here).`);
    return 1;
  }
  try {
    deps.renderConfigs();
  } catch (e) {
    deps.err(`compose: rendering the configs into dist/compose/ failed: ${e instanceof Error ? e.message : String(e)}. Run npm run build, then ${again}.`);
    return 1;
  }
  if (profiles.includes('h2')) {
    const dir = tlsDir(env);
    if (!existsSync(join(dir, COMPOSE_TLS_FILES.cert)) || !existsSync(join(dir, COMPOSE_TLS_FILES.key))) {
      try {
        await deps.writeCertificate(dir);
        deps.err(`compose: profile h2: wrote its throwaway certificate into ${dir} (trust ${join(dir, COMPOSE_TLS_FILES.cert)} as the CA)`);
      } catch (e) {
        deps.err(`compose: profile h2 needs a certificate in ${dir}, and writing one failed: ${e instanceof Error ? e.message : String(e)}. Fix that (ws-proxy-bench cert), then run ${again}.`);
        return 1;
      }
    }
  }
  deps.err(`compose: ${compose.join(' ')} ${composeArgs(profiles, 'up', rest).join(' ')}   (images: ${Object.keys(env).filter((k) => k.startsWith('WS_PROXY_BENCH_IMAGE_')).sort().map((k) => `${k}=${env[k] ?? ''}`).join(' ')})`);
  const code = await deps.runCompose(compose, composeArgs(profiles, 'up', rest), env);
  if (code !== 0 && code !== 130) deps.err(`compose: ${compose.join(' ')} up exited ${code}; its output above says why. \`ws-proxy-bench compose down\` removes what it left.`);
  return code;
}
