/**
 * The command lines in the docs' shell blocks (```sh, ```bash, ```shell, ```console), each
 * checked as a new user would meet it after the README's setup (`npm ci && npm run build`):
 *
 * - a CLI line (`node dist/cli.mjs <command> …`, `npm start`, `npm run bench -- …`,
 *   `node dist/socketio-server.mjs …`) is parsed by that command's own option specs, through the
 *   functions the CLI resolves them with, without running it; a quick one with no side effects
 *   (any `--help`, `render` of a shipped template to standard output) is run in-process;
 * - a setup line (`npm ci`, `npm run build`, `cp`, `git checkout`, `npx vitest run --project
 *   unit …`) is taken as it is (an `npm run` script must exist in package.json);
 * - any other line (Docker, root, a network endpoint, the container suites) cannot run in a unit
 *   test, and must say why in the doc: a trailing comment with the word "needs", e.g.
 *   `docker compose up   # needs Docker`.
 * `npx ws-proxy-bench` is refused: npm links no bin for a package inside its own checkout.
 * docs/architecture.md states the convention; test/unit/docs/doc-commands.test.ts applies it.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { vi } from 'vitest';
import { projectPath } from '../../../src/paths.js';
import { fencedBlocks } from './snippets.js';

const SHELL_LANGUAGES: ReadonlySet<string> = new Set(['sh', 'bash', 'shell', 'console', 'shell-session', 'zsh']);

export interface DocCommand {
  /** 1-based line of the command's first physical line in the page. */
  line: number;
  /** The simple command as written (one of a `&&`, `;` or `|` chain), continuations joined. */
  text: string;
  /** Its words, quotes removed, leading NAME=value assignments taken out into `env`. */
  words: string[];
  env: Record<string, string>;
  /** The line's trailing shell comment, '' if none. */
  note: string;
}

interface Lexed { segments: { words: string[]; text: string }[]; note: string }

/** Splits one (joined) shell line into simple commands and its trailing comment: quotes, escapes, && || ; | &. */
export function lexShellLine(line: string): Lexed {
  const segments: { words: string[]; text: string }[] = [];
  let words: string[] = [];
  let word: string | undefined;
  let start = 0;
  let note = '';
  const endWord = (): void => {
    if (word !== undefined) words.push(word);
    word = undefined;
  };
  const endSegment = (at: number): void => {
    endWord();
    if (words.length > 0) segments.push({ words, text: line.slice(start, at).trim() });
    words = [];
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (c === "'") {
      const close = line.indexOf("'", i + 1);
      if (close < 0) throw new Error(`unclosed ' in: ${line}`);
      word = (word ?? '') + line.slice(i + 1, close);
      i = close;
    } else if (c === '"') {
      let j = i + 1;
      let value = '';
      while (j < line.length && line[j] !== '"') {
        if (line[j] === '\\' && j + 1 < line.length && '"\\$`'.includes(line[j + 1] as string)) j++;
        value += line[j];
        j++;
      }
      if (j >= line.length) throw new Error(`unclosed " in: ${line}`);
      word = (word ?? '') + value;
      i = j;
    } else if (c === '\\' && i + 1 < line.length) {
      word = (word ?? '') + line[i + 1];
      i++;
    } else if (c === '#' && word === undefined) {
      note = line.slice(i + 1).trim();
      endSegment(i);
      return { segments, note };
    } else if (c === ' ' || c === '\t') {
      endWord();
    } else if (c === ';' || c === '|' || c === '&') {
      endSegment(i);
      if ((c === '|' || c === '&') && line[i + 1] === c) i++;
      start = i + 1;
    } else {
      word = (word ?? '') + c;
    }
  }
  endSegment(line.length);
  return { segments, note };
}

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** Every command of a page's shell blocks, in order. */
export function docCommands(markdown: string): DocCommand[] {
  const out: DocCommand[] = [];
  for (const block of fencedBlocks(markdown)) {
    if (!SHELL_LANGUAGES.has(block.language)) continue;
    const console = block.language === 'console' || block.language === 'shell-session';
    const lines = block.content.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const first = i;
      let text = lines[i] as string;
      if (console) {
        if (!/^\s*\$ /.test(text)) continue; // output, not a command
        text = text.replace(/^\s*\$ /, '');
      }
      while (/\\\s*$/.test(text) && i + 1 < lines.length) {
        i++;
        text = `${text.replace(/\s*\\\s*$/, '')} ${(lines[i] as string).trim()}`;
      }
      if (text.trim() === '' || text.trim().startsWith('#')) continue;
      const { segments, note } = lexShellLine(text);
      for (const s of segments) {
        const env: Record<string, string> = {};
        let n = 0;
        while (n < s.words.length && ASSIGNMENT.test(s.words[n] as string)) {
          const [name, ...value] = (s.words[n] as string).split('=');
          env[name as string] = value.join('=');
          n++;
        }
        if (n < s.words.length) out.push({ line: block.openLine + 2 + first, text: s.text, words: s.words.slice(n), env, note });
      }
    }
  }
  return out;
}

// ---- what a command is -----------------------------------------------------------------------

export type Invocation =
  | { kind: 'cli'; command: string; argv: string[] }
  | { kind: 'socketio'; argv: string[] }
  | { kind: 'setup' }
  | { kind: 'needs-note'; what: string }
  | { kind: 'wrong'; why: string };

const SETUP_SCRIPTS: ReadonlySet<string> = new Set(['build', 'typecheck', 'test:unit']);
const SETUP_COMMANDS: ReadonlySet<string> = new Set(['cp', 'mkdir', 'cd', 'ls', 'cat', 'head', 'tail', 'grep', 'less', 'jq']);

const afterDashes = (words: readonly string[]): string[] => {
  const at = words.indexOf('--');
  return at < 0 ? [] : words.slice(at + 1);
};

export function classify(words: readonly string[], scripts: Readonly<Record<string, string>>): Invocation {
  const [w0 = '', w1 = '', w2 = '', ...rest] = words;
  if (w0 === 'npx' && w1 === 'ws-proxy-bench') {
    return { kind: 'wrong', why: 'npx finds no ws-proxy-bench bin inside its own checkout (sh: not found); write node dist/cli.mjs …' };
  }
  if (w0 === 'ws-proxy-bench') return { kind: 'wrong', why: 'no ws-proxy-bench on PATH in a fresh clone; write node dist/cli.mjs …' };
  if (w0 === 'node' && (w1 === 'dist/cli.mjs' || w1 === './dist/cli.mjs')) return { kind: 'cli', command: w2, argv: rest };
  if (w0 === 'node' && w1 === 'dist/socketio-server.mjs') return { kind: 'socketio', argv: words.slice(2) };
  if (w0 === 'node' && w1 === 'scripts/build.mjs') return { kind: 'setup' };
  if (w0 === 'npm' && (w1 === 'ci' || w1 === 'install')) return { kind: 'setup' };
  if (w0 === 'npm' && (w1 === 'start' || w1 === 'test' || w1 === 'run')) {
    const script = w1 === 'run' ? w2 : w1;
    if (scripts[script] === undefined) return { kind: 'wrong', why: `package.json has no script '${script}'` };
    if (script === 'start') return { kind: 'cli', command: 'serve', argv: afterDashes(words) };
    if (script === 'bench') return { kind: 'cli', command: 'run', argv: afterDashes(words) };
    if (SETUP_SCRIPTS.has(script)) return { kind: 'setup' };
    return { kind: 'needs-note', what: `npm ${w1 === 'run' ? `run ${script}` : script}` };
  }
  if (w0 === 'npx' && w1 === 'vitest') {
    const project = words[words.indexOf('--project') + 1];
    return words.includes('--project') && project === 'unit' ? { kind: 'setup' } : { kind: 'needs-note', what: 'the container suites' };
  }
  if (w0 === 'git' && w1 === 'checkout') return { kind: 'setup' };
  if (SETUP_COMMANDS.has(w0)) return { kind: 'setup' };
  return { kind: 'needs-note', what: w0 };
}

// ---- checking one ----------------------------------------------------------------------------

/** Runs a CLI command in-process (the dispatch of src/cli.ts), capturing what it prints. */
export async function runInProcess(command: string, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const spies = [
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => { out += `${a.join(' ')}\n`; }),
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => { err += `${a.join(' ')}\n`; }),
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { out += String(chunk); return true; }),
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => { err += String(chunk); return true; }),
  ];
  try {
    const code = await CLI_COMMANDS[command]?.(argv);
    if (code === undefined) return { code: 2, out, err: `${err}unknown command '${command}'` };
    return { code, out, err };
  } catch (e) {
    return { code: 1, out, err: `${err}${e instanceof Error ? e.message : String(e)}` };
  } finally {
    for (const s of spies) s.mockRestore();
  }
}

/** src/cli.ts's commands (a unit test holds the two lists equal). */
export const CLI_COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  serve: async (argv) => (await import('../../../src/echo/cli.js')).runServeCommand(argv, { env: {} }),
  front: async (argv) => (await import('../../../proxy/cli.js')).runFrontCommand(argv),
  run: async (argv) => (await import('../../../src/run/cli.js')).runRunCommand(argv),
  probe: async (argv) => (await import('../../../src/probe/cli.js')).runProbeCommand(argv, { env: {} }),
  engine: async (argv) => (await import('../../../src/containers/cli.js')).runEngineCommand(argv),
  images: async (argv) => (await import('../../../src/containers/cli.js')).runImagesCommand(argv),
  render: async (argv) => (await import('../../../src/render.js')).runRenderCommand(argv),
  cert: async (argv) => (await import('../../../src/compose/cli.js')).runCertCommand(argv),
  compose: async (argv) => (await import('../../../src/compose/up.js')).runComposeCommand(argv),
  sweep: async (argv) => (await import('../../../src/containers/cli.js')).runSweepCommand(argv),
};

/** Files earlier lines of a page create (`cp a b`), for a later `run --config x=b` to find. */
export function createdFiles(commands: readonly DocCommand[], upTo: number): string[] {
  return commands.slice(0, upTo).filter((c) => c.words[0] === 'cp' && c.words.length >= 3).map((c) => c.words.at(-1) as string);
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Parses a CLI line with its command's own option specs (no side effects); runs the quick ones.
 * Returns what is wrong with it, or undefined.
 */
export async function checkCli(command: string, argv: string[], env: Record<string, string>, created: readonly string[]): Promise<string | undefined> {
  if (command === '' || command === '--help' || command === '-h' || argv.includes('--help') || argv.includes('-h')) {
    if (command === '' || command === '--help' || command === '-h') return undefined; // the top-level usage
    const r = await runInProcess(command, argv);
    return r.code === 0 ? undefined : `exits ${r.code}: ${r.err.trim()}`;
  }
  try {
    switch (command) {
      case 'serve': {
        const { resolveEchoOptions } = await import('../../../src/echo/options.js');
        resolveEchoOptions({ argv, env });
        return undefined;
      }
      case 'front': {
        const { resolveFrontOptions } = await import('../../../proxy/options.js');
        resolveFrontOptions({ argv, env });
        return undefined;
      }
      case 'run': {
        const { planRun } = await import('../../../src/run/options.js');
        const cwd = mkdtempSync(join(tmpdir(), 'wspb-doc-run-'));
        for (const file of created) {
          mkdirSync(dirname(join(cwd, file)), { recursive: true });
          writeFileSync(join(cwd, file), '');
        }
        // A --config file that ships with the project (examples/your-config/…) is read as it is: --upstream reads its listen port.
        for (const pair of argv.flatMap((a, i) => (a === '--config' ? [argv[i + 1] ?? ''] : a.startsWith('--config=') ? [a.slice(9)] : []))) {
          const file = pair.slice(pair.indexOf('=') + 1);
          if (!isAbsolute(file) && existsSync(projectPath(file)) && !created.includes(file)) {
            mkdirSync(dirname(join(cwd, file)), { recursive: true });
            copyFileSync(projectPath(file), join(cwd, file));
          }
        }
        try {
          planRun(argv, cwd);
        } finally {
          rmSync(cwd, { recursive: true, force: true });
        }
        return undefined;
      }
      case 'probe': {
        const { resolveCommandLine } = await import('../../../src/options.js');
        const { probeOptionSpecs } = await import('../../../src/probe/options.js');
        const { positionals } = resolveCommandLine(probeOptionSpecs, { argv, env, command: 'probe' });
        if (positionals.length !== 1 || !/^wss?:\/\//.test(positionals[0] as string)) return `probe takes one ws:// or wss:// URL, got ${JSON.stringify(positionals)}`;
        return undefined;
      }
      case 'cert': {
        const { resolveOptions } = await import('../../../src/options.js');
        const { certOptionSpecs } = await import('../../../src/compose/cli.js');
        resolveOptions(certOptionSpecs, { argv, command: 'cert' });
        return undefined;
      }
      case 'render': {
        if (argv.includes('--out') || argv.includes('--compose') || argv.some((a) => a.startsWith('--out='))) {
          return 'render writing files is not run by this test; show render to standard output, or teach test/support/docs/commands.ts';
        }
        const r = await runInProcess('render', argv);
        return r.code === 0 && r.out.length > 0 ? undefined : `exits ${r.code}: ${r.err.trim()}`;
      }
      case 'engine':
      case 'images':
      case 'compose':
      case 'sweep': {
        // Their own parser reads every flag before it looks at --help, and then does nothing
        // (compose's own flags are those before --; the rest are docker compose's).
        const dashes = argv.indexOf('--');
        const own = dashes < 0 ? argv : argv.slice(0, dashes);
        const r = await runInProcess(command, [...own, '--help', ...(dashes < 0 ? [] : argv.slice(dashes))]);
        if (r.code !== 0) return `exits ${r.code}: ${r.err.trim()}`;
        const sub = own.find((a) => !a.startsWith('-'));
        const usage = r.out.split('\n')[0] ?? '';
        if (sub !== undefined && command !== 'sweep' && !new RegExp(`\\b${sub}\\b`).test(r.out)) return `'${sub}' is not a subcommand (${usage})`;
        return undefined;
      }
      default:
        return `'${command}' is not a command of src/cli.ts (${Object.keys(CLI_COMMANDS).join(', ')})`;
    }
  } catch (e) {
    return message(e);
  }
}

export async function checkSocketio(argv: string[], env: Record<string, string>): Promise<string | undefined> {
  if (argv.includes('--help')) return undefined;
  try {
    const { resolveSocketioOptions } = await import('../../../src/socketio/options.js');
    resolveSocketioOptions({ argv, env });
    return undefined;
  } catch (e) {
    return message(e);
  }
}

/** What is wrong with each command line of a page: "<page>:<line>: <command>: <why>". */
export async function pageProblems(page: string, markdown: string, scripts: Readonly<Record<string, string>>): Promise<string[]> {
  const commands = docCommands(markdown);
  const problems: string[] = [];
  for (const [n, c] of commands.entries()) {
    const what = classify(c.words, scripts);
    let why: string | undefined;
    if (what.kind === 'wrong') why = what.why;
    else if (what.kind === 'cli') why = await checkCli(what.command, what.argv, c.env, createdFiles(commands, n));
    else if (what.kind === 'socketio') why = await checkSocketio(what.argv, c.env);
    else if (what.kind === 'needs-note' && !/\bneeds?\b/i.test(c.note)) {
      why = `${what.what} cannot run in the docs test; say why on the line (a trailing comment such as "# needs Docker")`;
    }
    if (why !== undefined) problems.push(`${page}:${c.line}: ${c.text}: ${why}`);
  }
  return problems;
}

export function packageScripts(): Record<string, string> {
  return (JSON.parse(readFileSync(projectPath('package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
}
