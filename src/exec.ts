/**
 * Runs an external program (docker, apt-get, debootstrap) with a time limit, so nothing this
 * project starts can hang a run: past the limit the program is killed and the result says so.
 */
import { spawn } from 'node:child_process';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** True when the time limit ran out and the program was killed. */
  timedOut: boolean;
  /** Set when the program could not be started at all (e.g. ENOENT: not installed). */
  spawnError?: NodeJS.ErrnoException;
}

export interface RunOptions {
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  /** Called with each line of output as it arrives (long steps show progress). */
  onLine?: (line: string) => void;
}

export function run(command: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let spawnError: NodeJS.ErrnoException | undefined;
    const lineBuffer = { out: '', err: '' };
    const feed = (key: 'out' | 'err', chunk: string): void => {
      if (!opts.onLine) return;
      const text = lineBuffer[key] + chunk;
      const lines = text.split('\n');
      lineBuffer[key] = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) opts.onLine(line);
    };
    child.stdout?.setEncoding('utf8').on('data', (c: string) => { stdout += c; feed('out', c); });
    child.stderr?.setEncoding('utf8').on('data', (c: string) => { stderr += c; feed('err', c); });
    const timer = opts.timeoutMs === undefined ? undefined : setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs);
    child.on('error', (err: NodeJS.ErrnoException) => { spawnError = err; });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut, ...(spawnError ? { spawnError } : {}) });
    });
  });
}

/** Runs a program and throws (naming it, its exit and its last output) unless it exits 0. */
export async function runOrThrow(command: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const result = await run(command, args, opts);
  if (result.code !== 0) throw new Error(describeFailure(command, args, result, opts.timeoutMs));
  return result;
}

export function describeFailure(command: string, args: string[], result: RunResult, timeoutMs?: number): string {
  const what = `${command} ${args.join(' ')}`.slice(0, 200);
  if (result.spawnError) return `${what}: could not start (${result.spawnError.code ?? result.spawnError.message})`;
  if (result.timedOut) return `${what}: no answer within ${timeoutMs} ms (killed)`;
  const tail = lastLines(`${result.stderr}\n${result.stdout}`, 12);
  return `${what}: exit ${result.code}${tail ? `\n${tail}` : ''}`;
}

/** The last n non-empty lines of a text (error messages quote a tail, not a whole log). */
export function lastLines(text: string, n: number): string {
  return text.split('\n').filter((l) => l.trim() !== '').slice(-n).join('\n');
}

/** Elapsed-seconds stamp for progress lines: `[+12.3s]`. */
export function stopwatch(): () => string {
  const started = Date.now();
  return () => `[+${((Date.now() - started) / 1000).toFixed(1)}s]`;
}
