import { describe, expect, it } from 'vitest';
import { OptionError, optionsHelp, optionsMarkdown } from '../../../src/options.js';
import { echoOptionSpecs, resolveEchoOptions } from '../../../src/echo/options.js';
import { runServeCommand } from '../../../src/echo/cli.js';
import { startEchoServer } from '../../../src/echo/server.js';
import { silentSink } from '../../../src/echo/log.js';
import { startQuietServer } from './helpers.js';

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(OptionError);
    return (err as Error).message;
  }
  throw new Error('expected an OptionError');
}

describe('echo server options', () => {
  it('has the documented defaults', () => {
    expect(resolveEchoOptions({ env: {} })).toEqual({
      host: '127.0.0.1',
      port: 8080,
      path: '/ws',
      keepAliveInterval: 120_000,
      maxMessageSize: 16_777_216,
      perMessageDeflate: false,
      allowedOrigins: [],
      subprotocols: [],
      trustedProxies: [],
      logFormat: 'plain',
    });
  });

  it('refuses a bad port naming the option, the value and what is allowed', () => {
    const message = refusal(() => resolveEchoOptions({ argv: ['--port', '70000'] }));
    expect(message).toContain('--port');
    expect(message).toContain('"70000"');
    expect(message).toContain('an integer from 0 to 65535');
    expect(refusal(() => resolveEchoOptions({ env: { ECHO_PORT: 'eighty' } }))).toContain('ECHO_PORT');
    expect(refusal(() => resolveEchoOptions({ overrides: { port: -1 } }))).toContain('--port');
  });

  it('refuses a bad interval, log format, path and origin', () => {
    const interval = refusal(() => resolveEchoOptions({ argv: ['--keep-alive-interval', 'soon'] }));
    expect(interval).toContain('--keep-alive-interval');
    expect(interval).toContain('"soon"');
    expect(interval).toMatch(/duration/);
    const format = refusal(() => resolveEchoOptions({ env: { ECHO_LOG_FORMAT: 'xml' } }));
    expect(format).toContain('ECHO_LOG_FORMAT');
    expect(format).toContain('"xml"');
    expect(format).toContain('one of plain, json');
    expect(refusal(() => resolveEchoOptions({ argv: ['--path', 'ws'] }))).toContain("starting with '/'");
    expect(refusal(() => resolveEchoOptions({ argv: ['--allowed-origins', 'example.com'] }))).toContain('--allowed-origins');
    expect(refusal(() => resolveEchoOptions({ argv: ['--max-message-size', '0'] }))).toContain('--max-message-size');
  });

  it('refuses an unknown flag and lists the known ones', () => {
    const message = refusal(() => resolveEchoOptions({ argv: ['--prot', '1'] }));
    expect(message).toContain("'--prot'");
    expect(message).toContain('--port');
  });

  it('takes a flag over the environment, and the environment over the default', () => {
    const env = { ECHO_PORT: '9001', ECHO_KEEPALIVE_INTERVAL_MS: '500', ECHO_SUBPROTOCOLS: 'a, b', ECHO_PERMESSAGE_DEFLATE: 'true' };
    const fromEnv = resolveEchoOptions({ env });
    expect(fromEnv).toMatchObject({ port: 9001, keepAliveInterval: 500, subprotocols: ['a', 'b'], perMessageDeflate: true });
    const fromFlags = resolveEchoOptions({ env, argv: ['--port=9002', '--keep-alive-interval', '2s', '--per-message-deflate', '--log-format', 'json'] });
    expect(fromFlags).toMatchObject({ port: 9002, keepAliveInterval: 2000, perMessageDeflate: true, logFormat: 'json' });
  });

  it('validates options given in code when the server starts', async () => {
    await expect(startEchoServer({ keepAliveInterval: -5 }, { logSink: silentSink })).rejects.toThrow(OptionError);
    await expect(startEchoServer({ path: 'nope' }, { logSink: silentSink })).rejects.toThrow(/--path/);
  });

  it('names the port and the fix when the port is taken', async () => {
    const first = await startQuietServer();
    try {
      await expect(startEchoServer({ port: first.port }, { logSink: silentSink })).rejects.toThrow(
        new RegExp(`port ${first.port} .*already in use.*--port`),
      );
    } finally {
      await first.close();
    }
  });

  it('serve: bad options go to stderr with status 2; --help prints the table', async () => {
    const err: string[] = [];
    const out: string[] = [];
    const io = { env: {}, out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
    expect(await runServeCommand(['--port', 'x'], io)).toBe(2);
    expect(err.join('\n')).toContain('--port');
    expect(await runServeCommand(['--help'], io)).toBe(0);
    expect(out.join('\n')).toContain(optionsHelp(echoOptionSpecs));
    expect(out.join('\n')).toContain('ECHO_KEEPALIVE_INTERVAL_MS');
  });

  it('serve: a refusal names the command once (serve: …, never serve: serve: …), and a bare duration asks for its unit', async () => {
    for (const [argv, line] of [
      [['--bogus'], /^serve: unknown option '--bogus'\. Options: /],
      [['--port', 'x'], /^serve: invalid --port \(ECHO_PORT\) from flag --port: "x"/],
      [['--keep-alive-interval', '30'], /^serve: --keep-alive-interval 30: give a unit, e\.g\. 30s or 30ms$/],
    ] as const) {
      const err: string[] = [];
      expect(await runServeCommand([...argv], { env: {}, out: () => {}, err: (l) => err.push(l) })).toBe(2);
      expect(err).toHaveLength(1);
      expect(err[0]).toMatch(line);
      expect(err[0]).not.toMatch(/serve: serve:/);
    }
    // The environment variable keeps its documented unit: milliseconds.
    expect(resolveEchoOptions({ env: { ECHO_KEEPALIVE_INTERVAL_MS: '30' } }).keepAliveInterval).toBe(30);
  });

  it('generates the README options table from the spec', () => {
    const table = optionsMarkdown(echoOptionSpecs);
    for (const env of ['ECHO_HOST', 'ECHO_PORT', 'ECHO_PATH', 'ECHO_KEEPALIVE_INTERVAL_MS', 'ECHO_MAX_MESSAGE_BYTES', 'ECHO_PERMESSAGE_DEFLATE', 'ECHO_ALLOWED_ORIGINS', 'ECHO_SUBPROTOCOLS', 'ECHO_LOG_FORMAT']) {
      expect(table).toContain(`\`${env}\``);
    }
  });
});
