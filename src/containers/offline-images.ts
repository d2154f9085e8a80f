/**
 * Offline stand-ins for the official images, for machines without a registry: one Debian
 * bookworm root filesystem from debootstrap (Debian's mirror is reachable where a registry is
 * not), imported as a base image, then one thin image per role from images/offline/<role>.Dockerfile.
 * Every image is tagged and labelled with the recipe hash; an image already built from the same
 * recipe is not built again.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { projectPath } from '../paths.js';
import { imageExists, imageLabel } from './docker.js';
import { lastLines, run, runOrThrow, stopwatch } from '../exec.js';
import { IMAGE_ROLES, IMAGE_SPECS, type ImageRole } from './images.js';
import { ROLE_LABEL } from './labels.js';

export const DEBIAN_SUITE = 'bookworm';
/** Everything the roles need (each role's Debian packages, from the front registry), and CA certificates. */
export const BASE_PACKAGES = [...new Set([...IMAGE_ROLES.flatMap((r) => IMAGE_SPECS[r].debianPackages), 'ca-certificates'])];
export const RECIPE_LABEL = 'ws-proxy-bench.recipe';
export const OFFLINE_ENV_FILE = 'build/offline-images.env';
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

/** A short hash of the recipe: suite, package list and every recipe file (name and content). */
export function recipeHash(files = recipeFiles(), packages = BASE_PACKAGES, suite = DEBIAN_SUITE): string {
  const hash = createHash('sha256');
  hash.update(`suite ${suite}\npackages ${[...packages].sort().join(',')}\n`);
  for (const f of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    hash.update(`file ${f.path} ${f.content.length}\n`);
    hash.update(f.content);
  }
  return hash.digest('hex').slice(0, 12);
}

export function baseImageName(hash: string): string {
  return `ws-proxy-bench/debian-base:${hash}`;
}
export function offlineImageName(role: ImageRole, hash: string): string {
  return `ws-proxy-bench/offline-${role}:${hash}`;
}
export function offlineImages(hash = recipeHash()): Record<ImageRole, string> {
  return Object.fromEntries(IMAGE_ROLES.map((r) => [r, offlineImageName(r, hash)])) as Record<ImageRole, string>;
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

/** The first URIs: of a deb822 stanza whose Suites include the plain suite (not -security). */
export function mirrorFromSources(text: string, suite = DEBIAN_SUITE): string | undefined {
  for (const stanza of text.split(/\n\s*\n/)) {
    const uris = /^URIs:\s*(\S+)/m.exec(stanza)?.[1];
    const suites = /^Suites:\s*(.+)$/m.exec(stanza)?.[1]?.split(/\s+/) ?? [];
    if (uris && suites.includes(suite)) return uris;
  }
  return undefined;
}

/** Contents of build/offline-images.env: one WS_PROXY_BENCH_IMAGE_* line per role. */
export function offlineEnvFile(images: Record<ImageRole, string>): string {
  return [
    '# Offline stand-in images built by `ws-proxy-bench images offline` (docs/offline-images.md).',
    '# Use: set -a; . build/offline-images.env; set +a      or: docker-compose --env-file build/offline-images.env up',
    ...IMAGE_ROLES.map((r) => `${IMAGE_SPECS[r].envVar}=${images[r]}`),
    '',
  ].join('\n');
}

export interface OfflineBuildOptions {
  progress?: (line: string) => void;
}

export interface OfflineBuildResult {
  hash: string;
  images: Record<ImageRole, string>;
  built: ImageRole[];
  baseBuilt: boolean;
  envFile: string;
  seconds: number;
}

/** Why this machine cannot build the base (debootstrap needs root), or undefined when it can. */
export async function debootstrapRefusal(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'building the Debian base needs root (debootstrap): run it as root, e.g. `sudo npm run images:offline`';
  const r = await run('sh', ['-c', 'command -v debootstrap'], { timeoutMs: 5_000 });
  if (r.code !== 0) return 'debootstrap is not installed: `apt-get install debootstrap` (Debian/Ubuntu), then `npm run images:offline`';
  return undefined;
}

export async function buildOfflineImages({ progress = () => {} }: OfflineBuildOptions = {}): Promise<OfflineBuildResult> {
  const started = Date.now();
  const elapsed = stopwatch();
  const hash = recipeHash();
  const images = offlineImages(hash);
  const base = baseImageName(hash);
  progress(`${elapsed()} offline images, recipe ${hash} (${RECIPE_DIR}/, packages ${BASE_PACKAGES.join(',')})`);

  const missing: ImageRole[] = [];
  for (const role of IMAGE_ROLES) {
    const present = (await imageLabel(images[role], RECIPE_LABEL)) === hash;
    if (present) progress(`${elapsed()} ${images[role]} present (same recipe): skipped`);
    else missing.push(role);
  }

  let baseBuilt = false;
  if (missing.length > 0) {
    if (!(await imageExists(base))) {
      await buildBaseImage(base, hash, progress, elapsed);
      baseBuilt = true;
    } else {
      progress(`${elapsed()} ${base} present: skipped debootstrap`);
    }
    progress(`${elapsed()} docker build ${missing.join(', ')} (in parallel)`);
    await Promise.all(missing.map(async (role) => {
      await buildRoleImage(role, base, images[role], hash);
      progress(`${elapsed()} built ${images[role]}`);
    }));
  }

  const envFile = projectPath(OFFLINE_ENV_FILE);
  mkdirSync(join(envFile, '..'), { recursive: true });
  writeFileSync(envFile, offlineEnvFile(images));
  progress(`${elapsed()} wrote ${OFFLINE_ENV_FILE}; use it with: set -a; . ${OFFLINE_ENV_FILE}; set +a   or   docker-compose --env-file ${OFFLINE_ENV_FILE} up`);
  return { hash, images, built: missing, baseBuilt, envFile, seconds: (Date.now() - started) / 1000 };
}

async function buildBaseImage(base: string, hash: string, progress: (l: string) => void, elapsed: () => string): Promise<void> {
  const refusal = await debootstrapRefusal();
  if (refusal) throw new Error(`cannot build ${base}: ${refusal}`);
  const mirror = debianMirror();
  const work = mkdtempSync(join(tmpdir(), 'ws-proxy-bench-rootfs-'));
  const rootfs = join(work, 'rootfs');
  try {
    progress(`${elapsed()} debootstrap --variant=minbase ${DEBIAN_SUITE} from ${mirror} into ${rootfs} (about 40-60 s)`);
    let lastLine = '';
    const heartbeat = setInterval(() => progress(`${elapsed()}   debootstrap: ${lastLine}`), 10_000);
    let result;
    try {
      result = await run('debootstrap', [
        '--variant=minbase', `--include=${BASE_PACKAGES.join(',')}`, DEBIAN_SUITE, rootfs, mirror,
      ], { timeoutMs: 15 * 60_000, onLine: (l) => { lastLine = l.trim(); } });
    } finally {
      clearInterval(heartbeat);
    }
    if (result.code !== 0) {
      const logFile = join(rootfs, 'debootstrap', 'debootstrap.log');
      const log = existsSync(logFile) ? `\n${logFile}:\n${lastLines(readFileSync(logFile, 'utf8'), 15)}` : '';
      throw new Error(`debootstrap failed (${result.timedOut ? 'timed out' : `exit ${result.code}`}):\n${lastLines(result.stdout + result.stderr, 10)}${log}`);
    }
    // What an image does not need: downloaded packages and package lists.
    for (const dir of ['var/cache/apt/archives', 'var/lib/apt/lists']) {
      for (const name of readdirSync(join(rootfs, dir))) {
        if (name.endsWith('.deb') || (dir.endsWith('lists') && name !== 'partial' && name !== 'lock')) rmSync(join(rootfs, dir, name), { force: true });
      }
    }
    progress(`${elapsed()} docker import ${base}`);
    await importRootfs(rootfs, base, hash);
    progress(`${elapsed()} imported ${base}`);
  } finally {
    await removeRootfs(work);
  }
}

/** `tar -C rootfs -c . | docker import - NAME`, labelled with the recipe hash. */
function importRootfs(rootfs: string, image: string, hash: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const tar = spawn('tar', ['-C', rootfs, '--numeric-owner', '-c', '.'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const imp = spawn('docker', [
      'import',
      '--change', `LABEL ${RECIPE_LABEL}=${hash}`,
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

async function buildRoleImage(role: ImageRole, base: string, image: string, hash: string): Promise<void> {
  const dir = projectPath(RECIPE_DIR);
  // The classic builder: works with every engine, including Debian's 20.10 without buildx.
  await runOrThrow('docker', [
    'build', '--quiet',
    '-f', join(dir, `${role}.Dockerfile`),
    '--build-arg', `BASE=${base}`,
    '--label', `${RECIPE_LABEL}=${hash}`,
    '--label', `${ROLE_LABEL}=${role}`,
    '-t', image,
    dir,
  ], { timeoutMs: 10 * 60_000, env: { ...process.env, DOCKER_BUILDKIT: '0' } });
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
