/**
 * Is there a Docker engine, and if not, can we start one? `checkEngine` asks the engine the
 * docker CLI points at (DOCKER_HOST honoured). `ensureEngine` installs and starts Debian's
 * engine when we are root on Debian/Ubuntu and nothing else was asked for, recording that we
 * started it so `stopEngine` stops only that one.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastLines, run, runOrThrow, stopwatch } from '../exec.js';

export type EngineStatus =
  | { ok: true; version: string; dockerHost: string | undefined }
  | { ok: false; reason: string; dockerHost: string | undefined };

/** Where `ensureEngine` records the dockerd it started, and where that dockerd logs. */
export const ENGINE_STATE_FILE = join(tmpdir(), 'ws-proxy-bench-dockerd.pid');
export const ENGINE_LOG_FILE = join(tmpdir(), 'ws-proxy-bench-dockerd.log');
const DEFAULT_SOCKET = 'unix:///var/run/docker.sock';
const CHECK_TIMEOUT_MS = 8_000;
const START_TIMEOUT_MS = 30_000;

export async function checkEngine(env: NodeJS.ProcessEnv = process.env): Promise<EngineStatus> {
  const dockerHost = env.DOCKER_HOST?.trim() || undefined;
  const r = await run('docker', ['info', '--format', '{{.ServerVersion}}'], { timeoutMs: CHECK_TIMEOUT_MS, env });
  if (r.spawnError) {
    return { ok: false, dockerHost, reason: r.spawnError.code === 'ENOENT' ? 'the docker command is not installed' : `docker could not run (${r.spawnError.message})` };
  }
  if (r.timedOut) return { ok: false, dockerHost, reason: `docker info gave no answer within ${CHECK_TIMEOUT_MS / 1000} s` };
  const version = r.stdout.trim();
  if (r.code === 0 && version !== '' && !version.includes('<no value>')) return { ok: true, version, dockerHost };
  const said = lastLines(r.stderr, 2).replace(/\s+/g, ' ').trim().replace(/[.\s]+$/, '');
  return { ok: false, dockerHost, reason: said || `docker info exited ${r.code}` };
}

/** The message for "no engine": what is missing and every way to fix it. */
export function engineMissingMessage(status: { reason: string; dockerHost: string | undefined }): string {
  const where = status.dockerHost ? `DOCKER_HOST=${status.dockerHost}` : `DOCKER_HOST is not set, so ${DEFAULT_SOCKET}`;
  return [
    `No Docker engine answers (${where}): ${status.reason}${/[.?!]$/.test(status.reason) ? '' : '.'}`,
    'Fix: install Docker (Docker Desktop on macOS/Windows, `apt-get install docker.io` on Debian/Ubuntu) and start it',
    '(`dockerd &` or `systemctl start docker`), or set DOCKER_HOST to an engine that runs.',
    'As root on Debian/Ubuntu, `ws-proxy-bench engine ensure` installs and starts one for you.',
  ].join(' ');
}

/** Debian or a derivative (Ubuntu), from /etc/os-release's ID and ID_LIKE. */
export function isDebianLike(osRelease: string): boolean {
  const field = (name: string): string => (new RegExp(`^${name}=("?)([^"\\n]*)\\1$`, 'm').exec(osRelease)?.[2] ?? '').toLowerCase();
  return [field('ID'), ...field('ID_LIKE').split(/\s+/)].some((id) => id === 'debian' || id === 'ubuntu');
}

/** Why ensureEngine may not start an engine itself here, or undefined when it may. */
export function bootstrapRefusal(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dockerHost = env.DOCKER_HOST?.trim();
  if (dockerHost && dockerHost !== DEFAULT_SOCKET) return `DOCKER_HOST points elsewhere (${dockerHost}); start that engine`;
  if (process.platform !== 'linux') return `this is ${process.platform}, not Linux`;
  if (process.getuid?.() !== 0) return 'not running as root';
  const osRelease = existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8') : '';
  if (!isDebianLike(osRelease)) return 'this is not Debian or Ubuntu (/etc/os-release)';
  return undefined;
}

interface EngineState { pid: number; startedAt: string; log: string }

function readState(): EngineState | undefined {
  try {
    const state = JSON.parse(readFileSync(ENGINE_STATE_FILE, 'utf8')) as EngineState;
    return Number.isInteger(state.pid) ? state : undefined;
  } catch {
    return undefined;
  }
}

/** True when pid is a live (not zombie) dockerd: guards against a recycled pid. */
function isDockerd(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const match = /^\d+ \((.*)\) (\S)/.exec(stat);
    return match?.[1] === 'dockerd' && match[2] !== 'Z';
  } catch {
    return false;
  }
}

async function commandExists(name: string): Promise<boolean> {
  const r = await run('sh', ['-c', `command -v ${name}`], { timeoutMs: 5_000 });
  return r.code === 0;
}

export interface EnsureOptions { progress?: (line: string) => void }
export interface EnsureResult { version: string; startedByUs: boolean }

export async function ensureEngine({ progress = () => {} }: EnsureOptions = {}): Promise<EnsureResult> {
  const first = await checkEngine();
  if (first.ok) {
    progress(`Docker engine ${first.version} answers${first.dockerHost ? ` at ${first.dockerHost}` : ''}`);
    return { version: first.version, startedByUs: false };
  }
  const refusal = bootstrapRefusal();
  if (refusal) throw new Error(`${engineMissingMessage(first)} (Not starting one here: ${refusal}.)`);

  const elapsed = stopwatch();
  if (!(await commandExists('dockerd')) || !(await commandExists('docker'))) {
    progress(`${elapsed()} installing Debian's Docker engine: apt-get update`);
    await runOrThrow('apt-get', ['update', '-qq'], { timeoutMs: 180_000 });
    progress(`${elapsed()} apt-get install -y docker.io docker-compose`);
    await runOrThrow('apt-get', ['install', '-y', '-qq', 'docker.io', 'docker-compose'], {
      timeoutMs: 600_000,
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    progress(`${elapsed()} installed`);
  }

  const existing = readPidFile('/var/run/docker.pid');
  let ours = false;
  let pid: number;
  if (existing !== undefined && isDockerd(existing)) {
    progress(`${elapsed()} a dockerd (pid ${existing}) runs but does not answer yet; waiting for it`);
    pid = existing;
  } else {
    const log = openSync(ENGINE_LOG_FILE, 'a');
    const child = spawn('dockerd', [], { detached: true, stdio: ['ignore', log, log] });
    closeSync(log);
    if (child.pid === undefined) throw new Error(`dockerd did not start; see ${ENGINE_LOG_FILE}`);
    child.unref();
    pid = child.pid;
    ours = true;
    writeFileSync(ENGINE_STATE_FILE, JSON.stringify({ pid, startedAt: new Date().toISOString(), log: ENGINE_LOG_FILE } satisfies EngineState));
    progress(`${elapsed()} started dockerd (pid ${pid}, log ${ENGINE_LOG_FILE}); waiting for it to answer`);
  }

  const deadline = Date.now() + START_TIMEOUT_MS;
  let last: EngineStatus = first;
  while (Date.now() < deadline) {
    last = await checkEngine();
    if (last.ok) {
      progress(`${elapsed()} Docker engine ${last.version} answers`);
      return { version: last.version, startedByUs: ours };
    }
    if (!isDockerd(pid)) break;
    await new Promise((r) => setTimeout(r, 300));
  }
  const logTail = ours && existsSync(ENGINE_LOG_FILE) ? lastLines(readFileSync(ENGINE_LOG_FILE, 'utf8'), 8) : '';
  throw new Error(
    `dockerd (pid ${pid}) ${isDockerd(pid) ? `did not answer within ${START_TIMEOUT_MS / 1000} s` : 'exited'}: ${last.ok ? '' : last.reason}` +
      (logTail ? `\nlast lines of ${ENGINE_LOG_FILE}:\n${logTail}` : ''),
  );
}

function readPidFile(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export interface StopResult { stopped: boolean; detail: string }

/** Stops the dockerd `ensureEngine` started (per its state file), and only that one. */
export async function stopEngine({ progress = () => {} }: EnsureOptions = {}): Promise<StopResult> {
  const state = readState();
  if (!state) return { stopped: false, detail: `no dockerd started by ws-proxy-bench (no ${ENGINE_STATE_FILE}); leaving any engine alone` };
  if (!isDockerd(state.pid)) {
    rmSync(ENGINE_STATE_FILE, { force: true });
    return { stopped: false, detail: `the dockerd ws-proxy-bench started (pid ${state.pid}) is no longer running` };
  }
  const elapsed = stopwatch();
  progress(`stopping dockerd (pid ${state.pid}, started by ws-proxy-bench at ${state.startedAt})`);
  process.kill(state.pid, 'SIGTERM');
  const deadline = Date.now() + 20_000;
  while (isDockerd(state.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  if (isDockerd(state.pid)) {
    progress(`${elapsed()} dockerd did not exit within 20 s of SIGTERM; sending SIGKILL`);
    process.kill(state.pid, 'SIGKILL');
    while (isDockerd(state.pid)) await new Promise((r) => setTimeout(r, 100));
  }
  rmSync(ENGINE_STATE_FILE, { force: true });
  return { stopped: true, detail: `${elapsed()} stopped dockerd (pid ${state.pid})` };
}
