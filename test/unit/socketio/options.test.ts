import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { OptionError } from '../../../src/options.js';
import { resolveSocketioOptions } from '../../../src/socketio/options.js';

describe('socket.io app options', () => {
  it("defaults to socket.io's own path and heartbeat, both transports, and the host name as replica id", () => {
    expect(resolveSocketioOptions({})).toEqual({
      host: '127.0.0.1',
      port: 8080,
      path: '/socket.io/',
      replicaId: hostname(),
      pingInterval: 25_000,
      pingTimeout: 20_000,
      transports: ['polling', 'websocket'],
      logFormat: 'plain',
    });
  });

  it('reads flags over the environment, and code over both', () => {
    const env = { SOCKETIO_PORT: '9000', SOCKETIO_REPLICA_ID: 'app-2', SOCKETIO_TRANSPORTS: 'websocket', SOCKETIO_PING_INTERVAL_MS: '2s' };
    const fromEnv = resolveSocketioOptions({ env });
    expect(fromEnv).toMatchObject({ port: 9000, replicaId: 'app-2', transports: ['websocket'], pingInterval: 2000 });
    const fromFlags = resolveSocketioOptions({ env, argv: ['--port', '9001', '--replica-id=app-3', '--path', '/io', '--ping-timeout', '750ms'] });
    expect(fromFlags).toMatchObject({ port: 9001, replicaId: 'app-3', path: '/io/', pingTimeout: 750 });
    expect(resolveSocketioOptions({ env, overrides: { transports: ['polling'] } }).transports).toEqual(['polling']);
  });

  it('gives the path one trailing slash, as socket.io treats /socket.io and /socket.io/ alike', () => {
    expect(resolveSocketioOptions({ overrides: { path: '/rt' } }).path).toBe('/rt/');
    expect(resolveSocketioOptions({ overrides: { path: '/rt//' } }).path).toBe('/rt/');
  });

  it.each([
    [['--ping-interval', '0'], /--ping-interval \(SOCKETIO_PING_INTERVAL_MS\) from flag --ping-interval: "0"; expected a duration .*10ms to 3600s/],
    [['--transports', 'websocket,carrier-pigeon'], /--transports .*"websocket,carrier-pigeon"; expected a comma-separated list of polling, websocket \(at least one\)/],
    [['--transports='], /--transports .*""; expected .*\(at least one\)/],
    [['--replica-id', 'a b'], /--replica-id .*"a b"; expected letters, digits/],
    [['--path', 'socket.io'], /--path .*"socket.io"; expected a URL path starting with '\/'/],
    [['--path', '/'], /--path .*"\/"/],
  ])('refuses %j naming the option and what is allowed', (argv, message) => {
    expect(() => resolveSocketioOptions({ argv })).toThrow(OptionError);
    expect(() => resolveSocketioOptions({ argv })).toThrow(message);
  });
});
