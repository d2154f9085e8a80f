/**
 * Offline stand-ins for the official images, for machines without a registry: per Debian suite
 * (src/containers/debian-suites.ts), one root filesystem from debootstrap (Debian's mirror is
 * reachable where a registry is not), imported as a base image, then one thin image per role
 * from images/offline/<role>.Dockerfile. Every image is tagged `<suite>-<recipe hash>` and
 * labelled with the hash; an image already built from the same recipe is not built again.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { projectPath } from '../paths.js';
import { imageExists, imageLabel } from './docker.js';
import { lastLines, run, runOrThrow, stopwatch } from '../exec.js';
import { DEFAULT_SUITE, SUITE_RECIPES, type DebianSuite, type NodeSource } from './debian-suites.js';
import { IMAGE_ROLES, IMAGE_SPECS, type ImageRole } from './images.js';
import { ROLE_LABEL } from './labels.js';

/** Everything the roles need (each role's Debian packages, from the front registry), and CA certificates. */
export const BASE_PACKAGES = [...new Set([...IMAGE_ROLES.flatMap((r) => IMAGE_SPECS[r].debianPackages), 'ca-certificates'])];
export const RECIPE_LABEL = 'ws-proxy-bench.recipe';
export const SUITE_LABEL = 'ws-proxy-bench.suite';
/** The default suite's image names (compose's offline env file); each suite also gets build/offline-images-<suite>.env. */
export const OFFLINE_ENV_FILE = 'build/offline-images.env';
export function suiteEnvFile(suite: DebianSuite): string {
  return `build/offline-images-${suite}.env`;
}
/** Where the node role's Node.js binary is unpacked in its build context (empty when Debian's nodejs is used). */
const NODE_DIST_DIR = 'node-dist';
const RECIPE_DIR = 'images/offline';
const DEFAULT_MIRROR = 'http://deb.debian.org/debian';

/** The files that make up the recipe: every file under images/offline/ except docs. */
export function recipeFiles(dir = projectPath(RECIPE_DIR)): { path: string; content: Buffer }[] {
  const files: { path: string; content: Buffer }[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (!name.endsWith('.md')) files.push({ path: relative(dir, full).split('\\').join('/'), content: readFileSync(full) });
    }
  };
  walk(dir);
  return files;
}

/** The Debian packages a suite's base installs: Debian's nodejs only where the suite's node image uses it. */
export function suitePackages(suite: DebianSuite): string[] {
  return SUITE_RECIPES[suite].node.from === 'debian' ? [...BASE_PACKAGES] : BASE_PACKAGES.filter((p) => p !== 'nodejs');
}

function nodeSourceText(node: NodeSource): string {
  return node.from === 'debian' ? 'debian nodejs' : `npm ${node.package}`;
}

/** A short hash of the recipe: suite, package list, Node.js source and every recipe file (name and content). */
export function recipeHash(files = recipeFiles(), packages = BASE_PACKAGES, suite: DebianSuite = DEFAULT_SUITE, node: NodeSource = SUITE_RECIPES[suite].node): string {
  const hash = createHash('sha256');
  hash.update(`suite ${suite}\npackages ${[...packages].sort().join(',')}\nnode ${nodeSourceText(node)}\n`);
  for (const f of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    hash.update(`file ${f.path} ${f.content.length}\n`);
    hash.update(f.content);
  }
  return hash.digest('hex').slice(0, 12);
}

/** A suite's recipe hash, from the files in images/offline/ today. */
export function suiteRecipeHash(suite: DebianSuite): string {
  return recipeHash(recipeFiles(), suitePackages(suite), suite);
}

export function baseImageName(suite: DebianSuite, hash: string): string {
  return `ws-proxy-bench/debian-base:${suite}-${hash}`;
}
export function offlineImageName(role: ImageRole, suite: DebianSuite, hash: string): string {
  return `ws-proxy-bench/offline-${role}:${suite}-${hash}`;
}
/** The stand-in of every role for a suite (default: the current stable), tagged with its recipe hash. */
export function offlineImages(suite: DebianSuite = DEFAULT_SUITE, hash = suiteRecipeHash(suite)): Record<ImageRole, string> {
  return Object.fromEntries(IMAGE_ROLES.map((r) => [r, offlineImageName(r, suite, hash)])) as Record<ImageRole, string>;
}

/** Debian mirror: WS_PROXY_BENCH_DEBIAN_MIRROR, else the machine's apt source, else deb.debian.org. */
export function debianMirror(env: NodeJS.ProcessEnv = process.env, sourcesFile = '/etc/apt/sources.list.d/debian.sources'): string {
  const fromEnv = env.WS_PROXY_BENCH_DEBIAN_MIRROR?.trim();
  if (fromEnv) return fromEnv;
  if (existsSync(sourcesFile)) {
    const fromSources = mirrorFromSources(readFileSync(sourcesFile, 'utf8'));
    if (fromSources) return fromSources;
  }
  return DEFAULT_MIRROR;
}

/**
 * The machine's Debian mirror: the first URIs: of a deb822 stanza that serves a plain suite (not
 * -security or -updates). The same mirror serves every suite (bookworm, trixie, sid).
 */
export function mirrorFromSources(text: string): string | undefined {
  for (const stanza of text.split(/\n\s*\n/)) {
    const uris = /^URIs:\s*(\S+)/m.exec(stanza)?.[1];
    const suites = /^Suites:\s*(.+)$/m.exec(stanza)?.[1]?.split(/\s+/) ?? [];
    if (uris && suites.some((s) => !s.includes('-'))) return uris;
  }
  return undefined;
}

/** Contents of an offline env file: one WS_PROXY_BENCH_IMAGE_* line per role. */
export function offlineEnvFile(images: Record<ImageRole, string>, suite: DebianSuite = DEFAULT_SUITE, file = OFFLINE_ENV_FILE): string {
  return [
    `# Offline stand-in images (Debian ${suite}) built by \`ws-proxy-bench images offline\` (docs/offline-images.md).`,
    `# Use: set -a; . ${file}; set +a      or: docker-compose --env-file ${file} up`,
    ...IMAGE_ROLES.map((r) => `${IMAGE_SPECS[r].envVar}=${images[r]}`),
    '',
  ].join('\n');
}

export interface OfflineBuildOptions {
  /** The suites to build (default: the default suite). */
  suites?: readonly DebianSuite[];
  progress?: (line: string) => void;
}

export interface SuiteBuildResult {
  suite: DebianSuite;
  hash: string;
  images: Record<ImageRole, string>;
  built: ImageRole[];
  baseBuilt: boolean;
  envFile: string;
}

export interface OfflineBuildResult {
  suites: SuiteBuildResult[];
  seconds: number;
}

/** Why this machine cannot build the base (debootstrap needs root), or undefined when it can. */
export async function debootstrapRefusal(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'building the Debian base needs root (debootstrap): run `npm run images:offline` as root (e.g. in a root shell or a root CI job)';
  const r = await run('sh', ['-c', 'command -v debootstrap'], { timeoutMs: 5_000 });
  if (r.code !== 0) return 'debootstrap is not installed: `apt-get install debootstrap` (Debian/Ubuntu), then `npm run images:offline`';
  return undefined;
}

/** Builds the stand-ins of every given suite (side by side), skipping what the same recipe already built. */
export async function buildOfflineImages({ suites = [DEFAULT_SUITE], progress = () => {} }: OfflineBuildOptions = {}): Promise<OfflineBuildResult> {
  const started = Date.now();
  const elapsed = stopwatch();
  const results = await Promise.all(suites.map((suite) => buildSuite(suite, (line) => progress(`${elapsed()} [${suite}] ${line}`))));
  return { suites: results, seconds: (Date.now() - started) / 1000 };
}

async function buildSuite(suite: DebianSuite, progress: (line: string) => void): Promise<SuiteBuildResult> {
  const packages = suitePackages(suite);
  const hash = suiteRecipeHash(suite);
  const images = offlineImages(suite, hash);
  const base = baseImageName(suite, hash);
  const recipe = SUITE_RECIPES[suite];
  progress(`recipe ${hash} (${RECIPE_DIR}/, Debian ${suite} (${recipe.release}), packages ${packages.join(',')}, Node.js from ${nodeSourceText(recipe.node)})`);

  const missing: ImageRole[] = [];
  for (const role of IMAGE_ROLES) {
    const present = (await imageLabel(images[role], RECIPE_LABEL)) === hash;
    if (present) progress(`${images[role]} present (same recipe): skipped`);
    else missing.push(role);
  }

  let baseBuilt = false;
  if (missing.length > 0) {
    if (!(await imageExists(base))) {
      await buildBaseImage(suite, packages, base, hash, progress);
      baseBuilt = true;
    } else {
      progress(`${base} present: skipped debootstrap`);
    }
    progress(`docker build ${missing.join(', ')} (in parallel)`);
    await Promise.all(missing.map(async (role) => {
      await buildRoleImage(role, suite, base, images[role], hash);
      progress(`built ${images[role]}`);
    }));
  }

  const files = suite === DEFAULT_SUITE ? [OFFLINE_ENV_FILE, suiteEnvFile(suite)] : [suiteEnvFile(suite)];
  for (const file of files) {
    const path = projectPath(file);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, offlineEnvFile(images, suite, file));
  }
  progress(`wrote ${files.join(' and ')}; use it with: set -a; . ${files[0]}; set +a   or   docker-compose --env-file ${files[0]} up`);
  return { suite, hash, images, built: missing, baseBuilt, envFile: projectPath(files[0] as string) };
}

/** debootstrap's complaint about packages the suite's mirror does not have, as a clear line (or undefined). */
export function missingPackagesLine(output: string, suite: DebianSuite): string | undefined {
  const found = /Couldn't find these debs:\s*(.+)/.exec(output)?.[1]?.trim();
  return found ? `Debian ${suite}'s mirror has no package ${found.split(/\s+/).map((p) => `'${p}'`).join(', ')}: change that role's debianPackages in src/fronts/ for this suite, or use another suite` : undefined;
}

async function buildBaseImage(suite: DebianSuite, packages: readonly string[], base: string, hash: string, progress: (l: string) => void): Promise<void> {
  const refusal = await debootstrapRefusal();
  if (refusal) throw new Error(`cannot build ${base}: ${refusal}`);
  const mirror = debianMirror();
  const work = mkdtempSync(join(tmpdir(), 'ws-proxy-bench-rootfs-'));
  const rootfs = join(work, 'rootfs');
  try {
    progress(`debootstrap --variant=minbase ${suite} from ${mirror} into ${rootfs} (about 40-60 s)`);
    let lastLine = '';
    const heartbeat = setInterval(() => progress(`  debootstrap: ${lastLine}`), 10_000);
    let result;
    try {
      result = await run('debootstrap', [
        '--variant=minbase', `--include=${packages.join(',')}`, suite, rootfs, mirror,
      ], { timeoutMs: 15 * 60_000, onLine: (l) => { lastLine = l.trim(); } });
    } finally {
      clearInterval(heartbeat);
    }
    if (result.code !== 0) {
      const output = result.stdout + result.stderr;
      const missing = missingPackagesLine(output, suite);
      if (missing) throw new Error(`debootstrap ${suite} failed: ${missing}`);
      const logFile = join(rootfs, 'debootstrap', 'debootstrap.log');
      const log = existsSync(logFile) ? `\n${logFile}:\n${lastLines(readFileSync(logFile, 'utf8'), 15)}` : '';
      throw new Error(`debootstrap ${suite} failed (${result.timedOut ? 'timed out' : `exit ${result.code}`}):\n${lastLines(output, 10)}${log}`);
    }
    // What an image does not need: downloaded packages and package lists.
    for (const dir of ['var/cache/apt/archives', 'var/lib/apt/lists']) {
      for (const name of readdirSync(join(rootfs, dir))) {
        if (name.endsWith('.deb') || (dir.endsWith('lists') && name !== 'partial' && name !== 'lock')) rmSync(join(rootfs, dir, name), { force: true });
      }
    }
    progress(`docker import ${base}`);
    await importRootfs(rootfs, base, hash, suite);
    progress(`imported ${base}`);
  } finally {
    await removeRootfs(work);
  }
}

/** `tar -C rootfs -c . | docker import - NAME`, labelled with the recipe hash and suite. Only a complete import is tagged. */
function importRootfs(rootfs: string, image: string, hash: string, suite: DebianSuite): Promise<void> {
  return new Promise((resolve, reject) => {
    const tar = spawn('tar', ['-C', rootfs, '--numeric-owner', '-c', '.'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const imp = spawn('docker', [
      'import',
      '--change', `LABEL ${RECIPE_LABEL}=${hash}`,
      '--change', `LABEL ${SUITE_LABEL}=${suite}`,
      '--change', 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      '-', image,
    ], { stdio: ['pipe', 'pipe', 'pipe'] });
    let errors = '';
    tar.stderr.on('data', (c: Buffer) => { errors += c.toString(); });
    imp.stderr.on('data', (c: Buffer) => { errors += c.toString(); });
    tar.stdout.pipe(imp.stdin);
    let tarCode: number | null = null;
    tar.on('close', (code) => { tarCode = code; });
    tar.on('error', reject);
    imp.on('error', reject);
    imp.on('close', (code) => {
      if (code === 0 && tarCode === 0) resolve();
      else reject(new Error(`tar | docker import ${image} failed (tar exit ${tarCode}, import exit ${code}): ${lastLines(errors, 8)}`));
    });
  });
}

/**
 * One role's image FROM the suite's base. The node role's build context gets node-dist/: the
 * Node.js binary from the npm registry where the suite's own is too old, else nothing (Debian's
 * nodejs is in the base).
 */
async function buildRoleImage(role: ImageRole, suite: DebianSuite, base: string, image: string, hash: string): Promise<void> {
  const recipeDir = projectPath(RECIPE_DIR);
  const context = role === 'node' ? await nodeBuildContext(SUITE_RECIPES[suite].node) : undefined;
  try {
    // The classic builder: works with every engine, including Debian's 20.10 without buildx.
    await runOrThrow('docker', [
      'build', '--quiet',
      '-f', join(recipeDir, `${role}.Dockerfile`),
      '--build-arg', `BASE=${base}`,
      '--label', `${RECIPE_LABEL}=${hash}`,
      '--label', `${SUITE_LABEL}=${suite}`,
      '--label', `${ROLE_LABEL}=${role}`,
      '-t', image,
      context ?? recipeDir,
    ], { timeoutMs: 10 * 60_000, env: { ...process.env, DOCKER_BUILDKIT: '0' } });
  } finally {
    if (context) rmSync(context, { recursive: true, force: true });
  }
}

/** A temporary copy of the recipe with node-dist/ filled from the node source. */
async function nodeBuildContext(node: NodeSource): Promise<string> {
  const context = mkdtempSync(join(tmpdir(), 'ws-proxy-bench-node-context-'));
  try {
    cpSync(projectPath(RECIPE_DIR), context, { recursive: true });
    const dist = join(context, NODE_DIST_DIR);
    mkdirSync(join(dist, 'bin'), { recursive: true });
    writeFileSync(join(dist, '.keep'), '');
    if (node.from === 'npm') {
      // `npm pack` fetches the package the way npm install would (registry, cache), without installing it.
      const packed = await runOrThrow('npm', ['pack', node.package, '--pack-destination', context, '--silent'], { timeoutMs: 5 * 60_000 });
      const tarball = join(context, packed.stdout.trim().split('\n').pop() ?? '');
      await runOrThrow('tar', ['-xzf', tarball, '-C', dist, '--strip-components=1', 'package/bin/node'], { timeoutMs: 60_000 });
      rmSync(tarball, { force: true });
    }
    return context;
  } catch (err) {
    rmSync(context, { recursive: true, force: true });
    throw err;
  }
}

/** Removes the temporary rootfs, unmounting first anything debootstrap left mounted in it. */
async function removeRootfs(work: string): Promise<void> {
  const mounts = readFileSync('/proc/mounts', 'utf8').split('\n')
    .map((l) => l.split(' ')[1] ?? '')
    .filter((m) => m.startsWith(`${work}/`))
    .sort((a, b) => b.length - a.length);
  for (const m of mounts) await run('umount', ['-l', m], { timeoutMs: 10_000 });
  const stillMounted = readFileSync('/proc/mounts', 'utf8').includes(` ${work}/`);
  if (stillMounted) throw new Error(`could not unmount everything under ${work}; remove it by hand after unmounting`);
  rmSync(work, { recursive: true, force: true });
}
