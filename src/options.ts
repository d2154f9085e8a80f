/**
 * One validated options object from flags, environment variables and code, shared by every
 * command (serve, front, run, probe, the benches). Flags are read by node:util's parseArgs. A
 * bad value is refused with a message that names the option, the value and what is allowed.
 *
 *   const spec = { port: option({ flag: '--port', env: 'ECHO_PORT', default: 8080, parse: integer(0, 65535), help: '…' }) };
 *   const options = resolveOptions(spec, { argv, env, overrides });
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { markdownTable } from './report/markdown-table.js';

export class OptionError extends Error {
  override name = 'OptionError';
}

/** Turns a raw string (from a flag or the environment) into a value, or throws a reason. */
export type Parser<T> = (raw: string) => T;

export interface OptionSpec<T> {
  /** `--keep-alive-interval` */
  flag: string;
  /** `ECHO_KEEPALIVE_INTERVAL_MS` */
  env?: string;
  default: T;
  parse: Parser<T>;
  /** What the option does, for --help. */
  help: string;
  /** What is allowed, for errors and --help (e.g. "an integer 0-65535"). */
  allowed: string;
  /**
   * A bare number on the flag is refused (give its unit: `30s`, `30ms`); the environment
   * variable keeps its documented bare unit. Set by duration().
   */
  unitOnFlag?: boolean;
  /** A flag given without a value means this (boolean switches). */
  bare?: T;
  /** The flag may be given more than once: each value is parsed, and the lists they give are joined (list(), repeated()). */
  repeatable?: boolean;
  /** The string form of a value given in code, re-parsed for validation (default String()). */
  fromCode?(value: T): string;
  /** How a value reads in --help and the README (default String()). */
  show?(value: T): string;
}

export type OptionSpecs = Record<string, OptionSpec<unknown>>;
export type OptionValues<S extends OptionSpecs> = { [K in keyof S]: S[K]['default'] };

export function option<T>(spec: OptionSpec<T>): OptionSpec<T> {
  // A duration without an environment variable has no bare unit to document.
  if (spec.unitOnFlag && spec.env === undefined) return { ...spec, allowed: spec.allowed.replace(/ \(in the environment variable [^)]*\)/, '') };
  return spec;
}

class ParseFailure extends Error {}

// ---- parsers ------------------------------------------------------------------------------

/** An HTTP token (RFC 7230 §3.2.6), e.g. a WebSocket subprotocol name. */
export const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function integer(min: number, max: number): { parse: Parser<number>; allowed: string } {
  return {
    allowed: `an integer from ${min} to ${max}`,
    parse: (raw) => {
      const value = Number(raw.trim());
      if (raw.trim() === '' || !Number.isInteger(value) || value < min || value > max) throw new ParseFailure();
      return value;
    },
  };
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Milliseconds from `500ms`, `2s`, `1.5m`. On a flag the unit is required (a bare number there is
 * refused with a hint, so `--keep-alive-interval 30` cannot silently mean 30 ms to one command and
 * 30 s to another); in the environment variable a bare number is in `bareUnit`, as documented.
 * `0` needs no unit. `minMs` refuses values below it (0 by default: "off" is allowed).
 */
export function duration(bareUnit: 'ms' | 's', maxMs = 24 * 3_600_000, minMs = 0): { parse: Parser<number>; allowed: string; fromCode: (ms: number) => string; show: (ms: number) => string; unitOnFlag: true } {
  const show = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);
  return {
    // Code always speaks milliseconds.
    fromCode: (ms) => `${ms}ms`,
    show,
    unitOnFlag: true,
    allowed: `a duration with its unit, such as 500ms, 30s or 2m (in the environment variable a bare number is ${bareUnit === 'ms' ? 'milliseconds' : 'seconds'}), ${minMs === 0 ? '0' : show(minMs)} to ${maxMs / 1000}s`,
    parse: (raw) => {
      const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(raw);
      if (!match) throw new ParseFailure();
      const ms = Math.round(Number(match[1]) * (DURATION_UNITS[match[2] ?? bareUnit] ?? 1));
      if (ms > maxMs || ms < minMs) throw new ParseFailure();
      return ms;
    },
  };
}

/** `--keep-alive-interval 30` on a command line: refused, with the unit forms to write instead. */
function refuseBareNumber(spec: OptionSpec<unknown>, raw: string): void {
  const bare = raw.trim();
  if (!spec.unitOnFlag || !/^\d+(?:\.\d+)?$/.test(bare) || Number(bare) === 0) return;
  throw new OptionError(`${spec.flag} ${bare}: give a unit, e.g. ${bare}s or ${bare}ms`);
}

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off']);

export const boolean: { parse: Parser<boolean>; allowed: string } = {
  allowed: 'true or false (also on/off, yes/no, 1/0)',
  parse: (raw) => {
    const v = raw.trim().toLowerCase();
    if (TRUE.has(v)) return true;
    if (FALSE.has(v)) return false;
    throw new ParseFailure();
  },
};

export function oneOf<const T extends string>(choices: readonly T[]): { parse: Parser<T>; allowed: string } {
  return {
    allowed: `one of ${choices.join(', ')}`,
    parse: (raw) => {
      const v = raw.trim();
      if (!(choices as readonly string[]).includes(v)) throw new ParseFailure();
      return v as T;
    },
  };
}

/**
 * A comma-separated list; each item checked by `item` (return false to refuse it). With
 * `nonEmpty`, an empty list is refused too.
 */
export function list(allowed: string, item: (value: string) => boolean = () => true, nonEmpty = false): { parse: Parser<string[]>; allowed: string } {
  return {
    allowed: `a comma-separated list of ${allowed} (${nonEmpty ? 'at least one' : 'empty for none'})`,
    parse: (raw) => {
      const items = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
      if (!items.every(item) || (nonEmpty && items.length === 0)) throw new ParseFailure();
      return items;
    },
  };
}

/** A flag given once per value (`--protocol a --protocol b`), each value checked by `valid`. */
export function repeated(allowed: string, valid: (value: string) => boolean): { parse: Parser<string[]>; allowed: string; repeatable: true } {
  return {
    allowed,
    repeatable: true,
    parse: (raw) => {
      if (!valid(raw)) throw new ParseFailure();
      return [raw];
    },
  };
}

export function text(allowed: string, valid: (value: string) => boolean): { parse: Parser<string>; allowed: string } {
  return {
    allowed,
    parse: (raw) => {
      if (!valid(raw)) throw new ParseFailure();
      return raw;
    },
  };
}

/** Whether a string is an http:// URL with a host. */
export function isHttpUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' && url.hostname !== '';
  } catch {
    return false;
  }
}

export function httpUrl(): { parse: Parser<string>; allowed: string } {
  return text('an http:// URL such as http://echo:8080', isHttpUrl);
}

// ---- resolution ---------------------------------------------------------------------------

function describe(spec: OptionSpec<unknown>, source: string, raw: unknown): OptionError {
  return new OptionError(
    `invalid ${spec.flag}${spec.env ? ` (${spec.env})` : ''} from ${source}: ${JSON.stringify(raw)}; expected ${spec.allowed}`,
  );
}

function parseWith(spec: OptionSpec<unknown>, raw: string, source: string): unknown {
  if (source.startsWith('flag ')) refuseBareNumber(spec, raw);
  try {
    return spec.parse(raw);
  } catch (err) {
    if (err instanceof ParseFailure) throw describe(spec, source, raw);
    throw err;
  }
}

// ---- the command line ---------------------------------------------------------------------

type ArgsOptions = NonNullable<ParseArgsConfig['options']>;
type ArgToken = NonNullable<ReturnType<typeof parseArgs<ParseArgsConfig>>['tokens']>[number];

interface Flag { key: string; spec: OptionSpec<unknown> }

interface CommandLine {
  /** Option key → what each of its flags gave, in order: a value, or `true` for a bare switch. */
  flags: Map<string, (string | true)[]>;
  positionals: string[];
}

/**
 * The specs as parseArgs' `options`: a value-taking flag is a string, a switch (a spec with
 * `bare`) a boolean, a repeatable flag `multiple`. `--help` and `-h` are known and passed over:
 * each command looks for them itself before resolving.
 */
function argsOptions(specs: OptionSpecs): { options: ArgsOptions; byName: Map<string, Flag> } {
  const options: ArgsOptions = { help: { type: 'boolean', short: 'h' } };
  const byName = new Map<string, Flag>();
  for (const [key, spec] of Object.entries(specs)) {
    const name = spec.flag.replace(/^--/, '');
    options[name] = { type: spec.bare === undefined ? 'string' : 'boolean', ...(spec.repeatable ? { multiple: true } : {}) };
    byName.set(name, { key, spec });
  }
  return { options, byName };
}

function tokenize(args: readonly string[], options: ArgsOptions): ArgToken[] {
  return parseArgs({ args: [...args], options, strict: false, allowPositionals: true, tokens: true }).tokens ?? [];
}

/**
 * argv as node:util's parseArgs reads it: `--name value`, `--name=value`, bare `--switch`, and
 * positional arguments where the command takes them; the strict parse refuses anything else.
 * A switch may also be given a value, `--deflate=off` or (in a command without positional
 * arguments) `--forwarded-headers false`; parseArgs' booleans take none, so those values are
 * read from its tokens and taken out of what the strict parse sees.
 */
function readCommandLine(specs: OptionSpecs, argv: readonly string[], takesPositionals: boolean): CommandLine {
  const { options, byName } = argsOptions(specs);
  const tokens = tokenize(argv, options);
  const flags = new Map<string, (string | true)[]>();
  const positionals: string[] = [];
  const strictArgs: (string | undefined)[] = [...argv];
  for (let n = 0; n < tokens.length; n++) {
    const t = tokens[n] as ArgToken;
    if (t.kind === 'positional') positionals.push(t.value);
    if (t.kind !== 'option') continue;
    const flag = byName.get(t.name);
    if (!flag) continue; // --help, or an unknown option the strict parse refuses
    const given = flags.get(flag.key) ?? [];
    flags.set(flag.key, given);
    const next = tokens[n + 1];
    if (t.value !== undefined) {
      given.push(t.value);
      if (flag.spec.bare !== undefined) strictArgs[t.index] = t.rawName;
    } else if (flag.spec.bare === undefined) {
      continue; // no value: the strict parse refuses it
    } else if (!takesPositionals && next?.kind === 'positional' && next.index === t.index + 1) {
      given.push(next.value);
      strictArgs[next.index] = undefined;
      n++;
    } else {
      given.push(true);
    }
  }
  const args = strictArgs.filter((a) => a !== undefined);
  try {
    parseArgs({ args, options, strict: true, allowPositionals: takesPositionals });
  } catch (err) {
    throw explain(err, args, options, byName);
  }
  return { flags, positionals };
}

const isOptionLike = (value: string): boolean => value.length > 1 && value.startsWith('-');

/** A parseArgs refusal (ERR_PARSE_ARGS_*) as an OptionError naming the argument and the fix. */
function explain(err: unknown, args: readonly string[], options: ArgsOptions, byName: Map<string, Flag>): unknown {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS_')) return err;
  const known = `Options: ${[...byName.values()].map((f) => f.spec.flag).join(', ')}, --help`;
  for (const t of tokenize(args, options)) {
    if (t.kind === 'positional' && code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      return new OptionError(`unknown argument '${t.value}'. ${known}`);
    }
    if (t.kind !== 'option') continue;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && !Object.hasOwn(options, t.name)) {
      return new OptionError(`unknown option '${args[t.index] ?? t.rawName}'. ${known}`);
    }
    if (code !== 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') continue;
    const spec = byName.get(t.name)?.spec;
    if (!spec) {
      if (t.value !== undefined) return new OptionError(`${t.rawName} takes no value`);
    } else if (spec.bare === undefined && t.value === undefined) {
      return new OptionError(`${spec.flag} needs a value: ${spec.allowed}`);
    } else if (spec.bare === undefined && !t.inlineValue && isOptionLike(t.value ?? '')) {
      // `--port -1`, or a value forgotten before the next flag: refused as the value it would be,
      // or, when it would be a good one, asked for in the form that cannot be mistaken.
      const value = t.value ?? '';
      parseWith(spec, value, `flag ${spec.flag}`);
      return new OptionError(`${spec.flag} needs a value: ${spec.allowed} ('${value}' reads as an option; write ${spec.flag}=${value} if it is the value)`);
    }
  }
  return new OptionError(`${err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err)}`);
}

export interface ResolveSources<S extends OptionSpecs> {
  argv?: readonly string[];
  env?: Record<string, string | undefined>;
  /** Values from code; they win over flags and the environment, and are validated the same way. */
  overrides?: Partial<OptionValues<S>>;
  /** The command's name (`serve`, `run`): every OptionError resolving throws starts with it, once. */
  command?: string;
}

/**
 * A message under its command's name, once: `serve: unknown option '--bogus'`. The one place
 * that adds the prefix; a message that already starts with it (a command's own check, such as
 * `run: --scenario 'x' matches no scenario`) is left as it is, so a printer prints OptionErrors as
 * they come and no line reads `serve: serve: …`.
 */
export function withCommand(command: string, message: string): string {
  return message.startsWith(`${command}: `) ? message : `${command}: ${message}`;
}

/**
 * Resolves every option: code overrides, then flags, then the environment, then the default.
 * String sources go through the option's parser; values from code are checked by re-parsing
 * their string form, so `{ port: -1 }` is refused as `--port=-1` would be.
 */
export function resolveOptions<S extends OptionSpecs>(specs: S, sources: ResolveSources<S> = {}): OptionValues<S> {
  return resolve(specs, sources, false).options;
}

/**
 * resolveOptions for a command that also takes positional arguments (probe's URL): they come
 * back as given, in order, for the command to check.
 */
export function resolveCommandLine<S extends OptionSpecs>(specs: S, sources: ResolveSources<S> = {}): { options: OptionValues<S>; positionals: string[] } {
  return resolve(specs, sources, true);
}

function resolve<S extends OptionSpecs>(specs: S, sources: ResolveSources<S>, takesPositionals: boolean): { options: OptionValues<S>; positionals: string[] } {
  const { command } = sources;
  try {
    return resolveAll(specs, sources, takesPositionals);
  } catch (err) {
    if (err instanceof OptionError && command !== undefined) throw new OptionError(withCommand(command, err.message));
    throw err;
  }
}

function resolveAll<S extends OptionSpecs>(specs: S, sources: ResolveSources<S>, takesPositionals: boolean): { options: OptionValues<S>; positionals: string[] } {
  const line = sources.argv ? readCommandLine(specs, sources.argv, takesPositionals) : { flags: new Map<string, (string | true)[]>(), positionals: [] };
  const env = sources.env ?? {};
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(specs)) {
    const override = (sources.overrides as Record<string, unknown> | undefined)?.[key];
    const given = line.flags.get(key) ?? [];
    const flag = given.at(-1); // the last one given wins, unless the flag is repeatable
    const fromEnv = spec.env ? env[spec.env] : undefined;
    if (override !== undefined) {
      if (typeof override !== typeof spec.default && !(Array.isArray(override) && Array.isArray(spec.default))) {
        throw describe(spec, 'code', override);
      }
      out[key] = spec.repeatable && Array.isArray(override)
        ? override.flatMap((v) => parseWith(spec, String(v), 'code'))
        : parseWith(spec, spec.fromCode ? spec.fromCode(override) : Array.isArray(override) ? override.join(',') : String(override), 'code');
    } else if (spec.repeatable && given.length > 0) {
      out[key] = given.flatMap((v) => (v === true ? spec.bare : parseWith(spec, v, `flag ${spec.flag}`)));
    } else if (flag === true) {
      out[key] = spec.bare;
    } else if (flag !== undefined) {
      out[key] = parseWith(spec, flag, `flag ${spec.flag}`);
    } else if (fromEnv !== undefined && fromEnv !== '') {
      out[key] = parseWith(spec, fromEnv, `environment ${spec.env}`);
    } else {
      out[key] = spec.default;
    }
  }
  return { options: out as OptionValues<S>, positionals: line.positionals };
}

function showDefault(s: OptionSpec<unknown>): string {
  if (s.show) return s.show(s.default);
  return Array.isArray(s.default) ? s.default.join(',') || '(none)' : String(s.default);
}

/** The options table for --help (and the README). */
export function optionsHelp(specs: OptionSpecs): string {
  const rows = Object.values(specs).map((s) => {
    const def = showDefault(s);
    const repeat = s.repeatable ? '; repeatable' : '';
    return [`  ${s.flag}${s.bare === undefined ? ' <value>' : ''}`, `${s.help} (${s.allowed}; default ${def}${repeat}${s.env ? `; env ${s.env}` : ''})`] as const;
  });
  const width = Math.max(...rows.map(([f]) => f.length));
  return rows.map(([f, d]) => `${f.padEnd(width)}  ${d}`).join('\n');
}

/** Markdown table of the options, for the README. */
export function optionsMarkdown(specs: OptionSpecs): string {
  return markdownTable(
    ['flag', 'environment', 'default', 'allowed', 'what it does'],
    Object.values(specs).map((s) => [`\`${s.flag}\``, s.env ? `\`${s.env}\`` : '', `\`${showDefault(s)}\``, s.allowed, s.help]),
  );
}
