import { describe, expect, it } from 'vitest';
import {
  boolean,
  duration,
  httpUrl,
  integer,
  list,
  oneOf,
  option,
  OptionError,
  optionsHelp,
  optionsMarkdown,
  repeated,
  resolveCommandLine,
  resolveOptions,
  withCommand,
} from '../../src/options.js';

const specs = {
  port: option({ flag: '--port', env: 'T_PORT', default: 8080, help: 'port', ...integer(0, 65535) }),
  interval: option({ flag: '--interval', env: 'T_INTERVAL', default: 1000, help: 'ms between pings', ...duration('ms') }),
  idle: option({ flag: '--idle', default: 60_000, help: 'idle timeout', ...duration('s') }),
  deflate: option({ flag: '--deflate', env: 'T_DEFLATE', default: false, bare: true, help: 'deflate', ...boolean }),
  mode: option({ flag: '--mode', default: 'off' as 'on' | 'off', help: 'mode', ...oneOf(['on', 'off'] as const) }),
  origins: option({ flag: '--origins', default: [] as string[], help: 'origins', ...list('origins') }),
  target: option({ flag: '--target', default: 'http://a:1', help: 'target', ...httpUrl() }),
};

describe('resolveOptions', () => {
  it('uses defaults when nothing is given', () => {
    expect(resolveOptions(specs)).toEqual({
      port: 8080, interval: 1000, idle: 60_000, deflate: false, mode: 'off', origins: [], target: 'http://a:1',
    });
  });

  it('takes code over flags over the environment', () => {
    const env = { T_PORT: '1', T_INTERVAL: '2s' };
    expect(resolveOptions(specs, { env }).port).toBe(1);
    expect(resolveOptions(specs, { env }).interval).toBe(2000);
    expect(resolveOptions(specs, { env, argv: ['--port', '2'] }).port).toBe(2);
    expect(resolveOptions(specs, { env, argv: ['--port=3'], overrides: { port: 4 } }).port).toBe(4);
  });

  it('parses durations with units, a bare number from the environment in the given unit, and code in milliseconds', () => {
    expect(resolveOptions(specs, { argv: ['--idle', '2s'] }).idle).toBe(2000);
    expect(resolveOptions(specs, { argv: ['--idle', '500ms'] }).idle).toBe(500);
    expect(resolveOptions(specs, { argv: ['--idle', '1.5m'] }).idle).toBe(90_000);
    expect(resolveOptions(specs, { argv: ['--idle', '0'] }).idle).toBe(0);
    expect(resolveOptions(specs, { overrides: { idle: 2500 } }).idle).toBe(2500);
    expect(resolveOptions(specs, { env: { T_INTERVAL: '250' } }).interval).toBe(250);
  });

  it('refuses a bare number for a duration on a flag, with the unit forms to write', () => {
    for (const argv of [['--interval', '30'], ['--interval=30'], ['--idle', '1.5']]) {
      const err = (() => { try { resolveOptions(specs, { argv, command: 'serve' }); } catch (e) { return e; } return undefined; })();
      expect(err).toBeInstanceOf(OptionError);
      const bare = argv.length === 2 ? argv[1] : '30';
      expect((err as Error).message).toBe(`serve: ${argv[0]?.split('=')[0]} ${bare}: give a unit, e.g. ${bare}s or ${bare}ms`);
    }
  });

  it('puts the command name before a refusal once, whoever wrote the message', () => {
    expect(() => resolveOptions(specs, { argv: ['--nope'], command: 'serve' })).toThrow(/^serve: unknown option '--nope'/);
    expect(() => resolveOptions(specs, { argv: ['--port', 'x'], command: 'serve' })).toThrow(/^serve: invalid --port/);
    expect(withCommand('run', "run: --scenario 'x' matches no scenario")).toBe("run: --scenario 'x' matches no scenario");
    expect(withCommand('run', 'unknown option')).toBe('run: unknown option');
  });

  it('reads switches bare or with a value, and lists', () => {
    expect(resolveOptions(specs, { argv: ['--deflate'] }).deflate).toBe(true);
    expect(resolveOptions(specs, { argv: ['--deflate', '--port', '1'] }).deflate).toBe(true);
    expect(resolveOptions(specs, { argv: ['--deflate=off'] }).deflate).toBe(false);
    expect(resolveOptions(specs, { argv: ['--deflate', 'off', '--port', '1'] }).deflate).toBe(false);
    expect(resolveOptions(specs, { env: { T_DEFLATE: 'yes' } }).deflate).toBe(true);
    expect(resolveOptions(specs, { argv: ['--origins', 'a, b,,c'] }).origins).toEqual(['a', 'b', 'c']);
  });

  it.each([
    [['--port', '70000'], /--port \(T_PORT\) from flag --port: "70000"; expected an integer from 0 to 65535/],
    [['--port', 'x'], /invalid --port/],
    [['--interval', 'soon'], /invalid --interval .*expected a duration/],
    [['--mode', 'maybe'], /invalid --mode .*"maybe"; expected one of on, off/],
    [['--target', 'ftp://x'], /invalid --target .*expected an http:\/\/ URL/],
    [['--deflate=perhaps'], /invalid --deflate .*expected true or false/],
    [['--nope', '1'], /test: unknown option '--nope'\. Options: --port, .*--help/],
    [['stray'], /unknown argument 'stray'/],
    [['--port'], /--port needs a value: an integer/],
    [['--port', '-1'], /invalid --port \(T_PORT\) from flag --port: "-1"; expected an integer/],
    [['--origins', '--deflate'], /test: --origins needs a value: .*; write --origins=--deflate if it is the value/],
  ])('refuses %j with a message naming the problem and the fix', (argv, message) => {
    expect(() => resolveOptions(specs, { argv, command: 'test' })).toThrow(OptionError);
    expect(() => resolveOptions(specs, { argv, command: 'test' })).toThrow(message);
  });

  it('refuses bad values from the environment and from code the same way', () => {
    expect(() => resolveOptions(specs, { env: { T_PORT: '-1' } })).toThrow(/invalid --port \(T_PORT\) from environment T_PORT: "-1"/);
    expect(() => resolveOptions(specs, { overrides: { port: 1.5 } })).toThrow(/from code: "1.5"/);
    expect(() => resolveOptions(specs, { overrides: { port: '80' as unknown as number } })).toThrow(/from code/);
  });
});

describe('bounds: a duration with a minimum, a list that must not be empty', () => {
  const bounded = {
    ping: option({ flag: '--ping', default: 25_000, help: 'ping', ...duration('ms', 60_000, 10) }),
    kinds: option({ flag: '--kinds', default: ['a'], help: 'kinds', ...list('a or b', (v) => v === 'a' || v === 'b', true) }),
  };

  it('takes values inside the bounds', () => {
    expect(resolveOptions(bounded, { argv: ['--ping', '10ms', '--kinds', 'b,a'] })).toEqual({ ping: 10, kinds: ['b', 'a'] });
  });

  it('refuses a duration below the minimum and an empty list, saying what is allowed', () => {
    expect(() => resolveOptions(bounded, { argv: ['--ping', '0'] })).toThrow(/invalid --ping from flag --ping: "0"; expected a duration .*, 10ms to 60s/);
    expect(() => resolveOptions(bounded, { argv: ['--kinds='] })).toThrow(/invalid --kinds from flag --kinds: ""; expected a comma-separated list of a or b \(at least one\)/);
    expect(() => resolveOptions(bounded, { overrides: { kinds: [] } })).toThrow(/from code: ""/);
  });

  it('keeps the old wording where no bound is asked for', () => {
    expect(duration('ms').allowed).toMatch(/, 0 to 86400s$/);
    expect(list('x').allowed).toMatch(/\(empty for none\)$/);
  });
});

describe('resolveCommandLine (a command with positional arguments)', () => {
  const probeLike = {
    protocol: option<string[]>({ flag: '--protocol', default: [], help: 'offer it', ...repeated('a token', (v) => /^[a-z.0-9]+$/.test(v)) }),
    json: option({ flag: '--json', default: false, bare: true, help: 'json', ...boolean }),
  };

  it('gives the positional arguments back in order, and a switch never takes one as its value', () => {
    expect(resolveCommandLine(probeLike, { argv: ['a', '--json', 'b', '--protocol', 'x', 'c'] })).toEqual({
      options: { protocol: ['x'], json: true },
      positionals: ['a', 'b', 'c'],
    });
  });

  it('checks a repeated flag value by value, from flags and from code', () => {
    expect(resolveCommandLine(probeLike, { argv: ['--protocol', 'a', '--protocol=b.v1'] }).options.protocol).toEqual(['a', 'b.v1']);
    expect(() => resolveCommandLine(probeLike, { argv: ['--protocol', 'a', '--protocol', 'b,c'], command: 'test' })).toThrow(/invalid --protocol from flag --protocol: "b,c"; expected a token/);
    expect(resolveCommandLine(probeLike, { overrides: { protocol: ['a', 'b'] } }).options.protocol).toEqual(['a', 'b']);
    expect(() => resolveCommandLine(probeLike, { overrides: { protocol: ['a b'] } })).toThrow(/from code: "a b"/);
  });

  it('refuses unknown options there too', () => {
    expect(() => resolveCommandLine(probeLike, { argv: ['a', '--nope'], command: 'test' })).toThrow(/test: unknown option '--nope'\. Options: --protocol, --json, --help/);
  });
});

describe('option help', () => {
  it('lists every flag with its default and environment variable', () => {
    const help = optionsHelp(specs);
    expect(help).toMatch(/--port <value>\s+port \(an integer from 0 to 65535; default 8080; env T_PORT\)/);
    expect(help).toMatch(/--deflate\s+deflate/);
    expect(optionsMarkdown(specs).split('\n')).toHaveLength(2 + Object.keys(specs).length);
  });
});

describe('durations in help', () => {
  it('shows a duration default in the unit people write', () => {
    expect(optionsHelp(specs)).toMatch(/--idle <value>\s+idle timeout \(.*default 60s\)/);
    expect(optionsHelp(specs)).toMatch(/--interval <value>\s+ms between pings \(.*default 1s; env T_INTERVAL\)/);
  });
});
