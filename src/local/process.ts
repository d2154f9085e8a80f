/**
 * A front run from its binary on this host (local mode): started in its own process group so
 * stop/pause reach its workers too, its output kept for logs(), ready when its port accepts.
 * Every group still running when this process exits is killed, so nothing is left behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { lastLines } from '../exec.js';

const READY_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 2_000;

const running = new Set<number>();
let exitHookInstalled = false;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => { for (const pid of running) killGroup(pid, 'SIGKILL'); });
}

export interface LocalProcess {
  pid: number;
  logs(): string;
  stop(): Promise<void>;
  pause(): void;
  unpause(): void;
}

function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => { socket.destroy(); resolve(false); });
  });
}

/**
 * Starts `binary args…` and resolves once 127.0.0.1:`port` accepts connections. Its output goes
 * to `logFile`, a real file: configs that log to /dev/stdout (nginx's) cannot open it when
 * stdout is the socket pair Node's pipes are.
 */
export async function startLocalProcess(what: string, binary: string, args: string[], port: number, logFile: string): Promise<LocalProcess> {
  installExitHook();
  const fd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(binary, args, { detached: true, stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd);
  }
  const output = (): string => {
    try {
      return readFileSync(logFile, 'utf8').slice(-1_000_000);
    } catch {
      return '';
    }
  };
  const exited = new Promise<string>((resolve) => {
    child.once('error', (err) => resolve(`could not start: ${err.message}`));
    child.once('exit', (code, signal) => resolve(`exited ${signal ?? code}`));
  });
  let gone: string | undefined;
  void exited.then((how) => { gone = how; if (child.pid) running.delete(child.pid); });
  if (child.pid) running.add(child.pid);
  const describe = `${what} (${binary} ${args.join(' ')})`;

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await portAccepts(port))) {
    if (gone !== undefined || Date.now() > deadline) {
      if (child.pid) killGroup(child.pid, 'SIGKILL');
      const why = gone ?? `did not listen on 127.0.0.1:${port} within ${READY_TIMEOUT_MS / 1000} s`;
      const tail = lastLines(output(), 20);
      throw new Error(`${describe} ${why}${tail ? `\nits last output lines:\n${tail}` : ' (it wrote nothing)'}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const pid = child.pid as number;
  return {
    pid,
    logs: output,
    async stop() {
      if (gone !== undefined) return;
      killGroup(pid, 'SIGCONT');
      killGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
      killGroup(pid, 'SIGKILL'); // workers that outlived their master
    },
    pause: () => killGroup(pid, 'SIGSTOP'),
    unpause: () => killGroup(pid, 'SIGCONT'),
  };
}
