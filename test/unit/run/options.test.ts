import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testTempDir } from '../../support/temp-dir.js';
import { OptionError } from '../../../src/options.js';
import { globToRegExp, planRun, type RunPlan } from '../../../src/run/options.js';
import { catalog } from '../../../src/scenarios/catalog.js';

const plan = (argv: string[], cwd?: string): RunPlan => {
  const p = planRun(argv, cwd);
  if (p === 'help') throw new Error('unexpected help');
  return p;
};
const ids = (p: RunPlan): string[] => p.scenarios.map((s) => s.id);

describe('run: arguments', () => {
  it('runs the whole catalog by default, 2 at a time, no outputs', () => {
    const p = plan([]);
    expect(ids(p)).toEqual(catalog.map((s) => s.id));
    expect(p.options).toMatchObject({ concurrency: 2, local: false, json: '', markdown: '', junit: '' });
  });

  it('--front takes setup names or kinds, repeated or comma-separated', () => {
    expect(ids(plan(['--front', 'nginx-no-http11']))).toEqual(['nginx-no-http11/handshake-fails']);
    const byKind = plan(['--front', 'http-front']);
    expect(ids(byKind)).toContain('http-front-websocket-on/websocket-handled-by-front');
    expect(ids(byKind).every((id) => id.startsWith('http-front'))).toBe(true);
    const repeated = plan(['--front', 'nginx-no-http11', '--front=nginx-no-upgrade-headers']);
    expect(ids(repeated)).toEqual(['nginx-no-http11/handshake-fails', 'nginx-no-upgrade-headers/handshake-fails']);
    expect(ids(plan(['--front', 'nginx-no-http11,nginx-no-upgrade-headers']))).toEqual(ids(repeated));
  });

  it('--scenario takes ids and globs, combined with --front', () => {
    expect(ids(plan(['--scenario', 'nginx/upgrade']))).toEqual(['nginx/upgrade']);
    const upgrades = ids(plan(['--scenario', '*/upgrade']));
    expect(upgrades).toContain('nginx/upgrade');
    expect(upgrades).toContain('http-front/upgrade');
    expect(upgrades.every((id) => id.endsWith('/upgrade'))).toBe(true);
    expect(ids(plan(['--front', 'http-front', '--scenario', '*/upgrade']))).toEqual(['http-front/upgrade']);
    expect(globToRegExp('nginx/keepalive-*').test('nginx/keepalive-server-pings')).toBe(true);
    expect(globToRegExp('nginx/keepalive-*').test('nginx-no-http11/keepalive-x')).toBe(false);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
  });

  it('refuses unknown flags, bad values and filters that select nothing, naming the problem', () => {
    expect(() => plan(['--fronts', 'nginx'])).toThrow(/unknown option '--fronts'.*--front/);
    expect(() => plan(['--front', 'squid'])).toThrow(/invalid --front .*"squid".*nginx/);
    expect(() => plan(['--concurrency', '0'])).toThrow(/--concurrency.*an integer from 1 to 8/);
    expect(() => plan(['--concurrency', '9'])).toThrow(OptionError);
    expect(() => plan(['--concurrency', 'two'])).toThrow(OptionError);
    expect(() => plan(['--json'])).toThrow(/--json needs a value/);
    expect(() => plan(['--scenario', 'nginx/nope'])).toThrow(/--scenario 'nginx\/nope' matches no scenario; known: .*nginx\/upgrade/);
    expect(() => plan(['--front', 'nginx-no-http11', '--scenario', 'http-front/upgrade'])).toThrow(/no scenario is selected/);
    expect(() => plan(['extra'])).toThrow(/unknown argument 'extra'/);
  });

  it('--config maps a front setup to the user file, resolved from the working directory', () => {
    const dir = testTempDir('wspb-run-args-');
    writeFileSync(join(dir, 'mine.conf'), 'events {}\n');
    expect(plan(['--config', 'nginx=mine.conf'], dir).configs.get('nginx')).toBe(join(dir, 'mine.conf'));
    expect(() => plan(['--config', 'nginx'], dir)).toThrow(/--config.*<front setup>=<config file>/);
    expect(() => plan(['--config', 'squid=mine.conf'], dir)).toThrow(/unknown front setup 'squid'; known: nginx/);
    expect(() => plan(['--config', 'http-front=mine.conf'], dir)).toThrow(/configured by flags, not a config file/);
    expect(() => plan(['--config', 'nginx=absent.conf'], dir)).toThrow(`no file at ${join(dir, 'absent.conf')}`);
    expect(() => plan(['--config', 'nginx=mine.conf', '--config', 'nginx=mine.conf'], dir)).toThrow(/names front setup 'nginx' twice/);
  });

  it('--help wins over everything else', () => {
    expect(planRun(['--bogus', '--help'])).toBe('help');
    expect(planRun(['-h'])).toBe('help');
  });
});
