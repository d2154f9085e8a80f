import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseSubcommand, runEngineCommand, runImagesCommand, runSweepCommand, UsageError } from '../../../src/containers/cli.js';
import { bootstrapRefusal, engineMissingMessage, isDebianLike } from '../../../src/containers/engine.js';

describe('subcommand parsing', () => {
  it('takes the default subcommand, a known one, and --help', () => {
    expect(parseSubcommand('engine', [], ['check', 'stop'], 'check')).toEqual({ sub: 'check', flags: {} });
    expect(parseSubcommand('engine', ['stop'], ['check', 'stop'], 'check')).toMatchObject({ sub: 'stop' });
    expect(parseSubcommand('engine', ['--help'], ['check'], 'check')).toBe('help');
  });
  it('refuses unknown subcommands, extra words and unknown flags, naming them', () => {
    expect(() => parseSubcommand('engine', ['start'], ['check', 'stop'], 'check')).toThrow("engine: unknown subcommand 'start'; subcommands: check, stop");
    expect(() => parseSubcommand('engine', ['check', 'stop'], ['check', 'stop'], 'check')).toThrow(UsageError);
    expect(() => parseSubcommand('engine', ['--force'], ['check'], 'check')).toThrow("engine: Unknown option '--force'");
    expect(() => parseSubcommand('sweep', ['now'], [], '')).toThrow("sweep: takes no arguments, got 'now'");
  });
});

describe('command exit codes for wrong usage', () => {
  afterEach(() => { vi.restoreAllMocks(); });
  it('is 2, with the problem on stderr', async () => {
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: string) => { errors.push(line); });
    expect(await runEngineCommand(['restart'])).toBe(2);
    expect(await runImagesCommand(['--fast'])).toBe(2);
    expect(await runSweepCommand(['--max-age-hours', 'soon'])).toBe(2);
    expect(errors.join('\n')).toContain("unknown subcommand 'restart'");
    expect(errors.join('\n')).toContain("Unknown option '--fast'");
    expect(errors.join('\n')).toContain("--max-age-hours wants a positive number of hours, got 'soon'");
  });
  it('is 0 for --help, with the usage on stdout', async () => {
    const out: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => { out.push(line); });
    expect(await runImagesCommand(['--help'])).toBe(0);
    expect(out.join('\n')).toContain('Usage: ws-proxy-bench images [list|offline|resolve]');
  });
});

describe('engine messages and bootstrap rules', () => {
  it('the missing-engine message names DOCKER_HOST, the cause and every fix', () => {
    const m = engineMissingMessage({ reason: 'connection refused', dockerHost: 'tcp://10.0.0.5:2375' });
    expect(m).toContain('DOCKER_HOST=tcp://10.0.0.5:2375');
    expect(m).toContain('connection refused.');
    expect(m).toContain('Docker Desktop');
    expect(m).toContain('apt-get install docker.io');
    expect(m).toContain('ws-proxy-bench engine ensure');
  });
  it('recognises Debian and Ubuntu from /etc/os-release', () => {
    expect(isDebianLike('ID=debian\nVERSION_ID="12"\n')).toBe(true);
    expect(isDebianLike('ID=ubuntu\nID_LIKE=debian\n')).toBe(true);
    expect(isDebianLike('ID=linuxmint\nID_LIKE="ubuntu debian"\n')).toBe(true);
    expect(isDebianLike('ID=fedora\n')).toBe(false);
  });
  it('does not start an engine when DOCKER_HOST points elsewhere', () => {
    expect(bootstrapRefusal({ DOCKER_HOST: 'tcp://remote:2376' })).toBe('DOCKER_HOST points elsewhere (tcp://remote:2376); start that engine');
  });
});
