/** The front's options, through the shared resolver: defaults, sources, and errors that explain. */
import { describe, expect, it } from 'vitest';
import { frontOptionSpecs, resolveFrontOptions } from '../../../proxy/options.js';
import { OptionError } from '../../../src/options.js';

function refusal(run: () => unknown): OptionError {
  try {
    run();
  } catch (err) {
    if (err instanceof OptionError) return err;
    throw err;
  }
  throw new Error('expected an OptionError');
}

describe('front options', () => {
  it('defaults: app on 127.0.0.1:8080, listen 127.0.0.1:8081, 60 s idle, 3 s to connect to the app, forwarded headers on, WebSocket handling off, not sticky, no TLS', () => {
    expect(resolveFrontOptions()).toEqual({
      target: ['http://127.0.0.1:8080'],
      sticky: 'off',
      host: '127.0.0.1',
      port: 8081,
      idleTimeout: 60_000,
      connectTimeout: 3_000,
      headerTimeout: 10_000,
      forwardedHeaders: true,
      websocket: 'off',
      tlsCert: '',
      tlsKey: '',
    });
  });

  it('reads the container command line exactly as fronts.ts writes it', () => {
    const argv = ['--host', '0.0.0.0', '--port', '8080', '--target', 'http://echo:8080', '--idle-timeout', '2s', '--header-timeout', '3s', '--websocket', 'on'];
    expect(resolveFrontOptions({ argv })).toEqual({
      target: ['http://echo:8080'], sticky: 'off', host: '0.0.0.0', port: 8080, idleTimeout: 2_000, connectTimeout: 3_000, headerTimeout: 3_000, forwardedHeaders: true, websocket: 'on', tlsCert: '', tlsKey: '',
    });
  });

  it('refuses a bare --idle-timeout number (FRONT_IDLE_TIMEOUT keeps seconds), units as given, 0 as none', () => {
    expect(() => resolveFrontOptions({ argv: ['--idle-timeout', '30'] })).toThrow(/^front: --idle-timeout 30: give a unit, e\.g\. 30s or 30ms$/);
    expect(resolveFrontOptions({ env: { FRONT_IDLE_TIMEOUT: '30' } }).idleTimeout).toBe(30_000);
    expect(resolveFrontOptions({ argv: ['--idle-timeout', '30s'] }).idleTimeout).toBe(30_000);
    expect(resolveFrontOptions({ argv: ['--idle-timeout=500ms'] }).idleTimeout).toBe(500);
    expect(resolveFrontOptions({ argv: ['--idle-timeout', '0'] }).idleTimeout).toBe(0);
    expect(resolveFrontOptions({ argv: ['--connect-timeout', '500ms'] }).connectTimeout).toBe(500);
    expect(resolveFrontOptions({ env: { FRONT_CONNECT_TIMEOUT: '2' } }).connectTimeout).toBe(2_000);
    expect(() => resolveFrontOptions({ argv: ['--connect-timeout', '2'] })).toThrow(/^front: --connect-timeout 2: give a unit, e\.g\. 2s or 2ms$/);
  });

  it('reads FRONT_* variables; flags win over them, code over both', () => {
    const env = { FRONT_TARGET: 'http://app:9000', FRONT_WEBSOCKET: 'on', FRONT_IDLE_TIMEOUT: '5', FRONT_FORWARDED_HEADERS: 'false', FRONT_PORT: '0' };
    expect(resolveFrontOptions({ env })).toMatchObject({ target: ['http://app:9000'], websocket: 'on', idleTimeout: 5_000, forwardedHeaders: false, port: 0 });
    expect(resolveFrontOptions({ env, argv: ['--websocket', 'off'] }).websocket).toBe('off');
    expect(resolveFrontOptions({ env, argv: ['--websocket', 'off'], overrides: { websocket: 'on' } }).websocket).toBe('on');
    expect(resolveFrontOptions({ argv: ['--forwarded-headers'] }).forwardedHeaders).toBe(true);
  });

  it('takes several targets: the flag repeated, a comma list, FRONT_TARGET, or a list from code; a flag wins over FRONT_TARGET', () => {
    const two = ['http://app-1:8080', 'http://app-2:8080'];
    expect(resolveFrontOptions({ argv: ['--target', two[0] as string, '--target', two[1] as string] }).target).toEqual(two);
    expect(resolveFrontOptions({ argv: ['--target', two.join(',')] }).target).toEqual(two);
    expect(resolveFrontOptions({ argv: [`--target=${two[0]}, ${two[1]}`] }).target).toEqual(two);
    expect(resolveFrontOptions({ env: { FRONT_TARGET: two.join(',') } }).target).toEqual(two);
    expect(resolveFrontOptions({ overrides: { target: two } }).target).toEqual(two);
    expect(resolveFrontOptions({ env: { FRONT_TARGET: 'http://env:1' }, argv: ['--target', two[0] as string] }).target).toEqual([two[0]]);
  });

  it('reads --sticky cookie (FRONT_STICKY), off by default, and refuses another mode', () => {
    expect(resolveFrontOptions({ argv: ['--sticky', 'cookie'] }).sticky).toBe('cookie');
    expect(resolveFrontOptions({ env: { FRONT_STICKY: 'cookie' } }).sticky).toBe('cookie');
    expect(refusal(() => resolveFrontOptions({ argv: ['--sticky', 'ip'] })).message).toMatch(/--sticky \(FRONT_STICKY\).*"ip".*one of off, cookie/);
  });

  it.each([
    ['--websocket', ['--websocket', 'maybe'], /--websocket \(FRONT_WEBSOCKET\).*"maybe".*one of on, off/],
    ['--idle-timeout', ['--idle-timeout', 'soon'], /--idle-timeout \(FRONT_IDLE_TIMEOUT\).*"soon".*a duration with its unit, such as 500ms/],
    ['--target (not a URL)', ['--target', 'echo:8080'], /--target \(FRONT_TARGET\).*"echo:8080".*an http:\/\/ URL/],
    ['--target (https)', ['--target', 'https://echo:8443'], /--target.*an http:\/\/ URL/],
    ['--target (one bad in a list)', ['--target', 'http://app-1:8080,app-2:8080'], /--target \(FRONT_TARGET\).*"http:\/\/app-1:8080,app-2:8080".*an http:\/\/ URL/],
    ['--target (an empty list)', ['--target', ','], /--target.*",".*an http:\/\/ URL/],
    ['--port', ['--port', '70000'], /--port \(FRONT_PORT\).*"70000".*an integer from 0 to 65535/],
  ])('refuses a bad %s, naming the option, the value and what is allowed', (_name, argv, message) => {
    expect(refusal(() => resolveFrontOptions({ argv })).message).toMatch(message);
  });

  it('refuses a bad value from the environment, naming the variable', () => {
    expect(refusal(() => resolveFrontOptions({ env: { FRONT_WEBSOCKET: 'yes' } })).message).toMatch(/from environment FRONT_WEBSOCKET: "yes"; expected one of on, off/);
  });

  it('refuses a bad value from code as the flag would be refused', () => {
    expect(refusal(() => resolveFrontOptions({ overrides: { idleTimeout: -1 } })).message).toMatch(/--idle-timeout.*from code/);
    expect(refusal(() => resolveFrontOptions({ overrides: { websocket: 'both' as 'on' } })).message).toMatch(/one of on, off/);
  });

  it('refuses an unknown flag, listing the options there are', () => {
    const message = refusal(() => resolveFrontOptions({ argv: ['--websockets', 'on'] })).message;
    expect(message).toMatch(/^front: unknown option '--websockets'/);
    for (const spec of Object.values(frontOptionSpecs)) expect(message).toContain(spec.flag);
  });
});
