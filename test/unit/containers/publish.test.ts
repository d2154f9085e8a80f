import { describe, expect, it } from 'vitest';
import { isRemoteEngine, PUBLISH_ADDRESS_ENV, publishAddress } from '../../../src/containers/publish.js';

describe('where published ports are bound', () => {
  it('127.0.0.1 for a local engine (no DOCKER_HOST, or a unix socket), 0.0.0.0 for a remote one', () => {
    expect(publishAddress({})).toBe('127.0.0.1');
    expect(publishAddress({ DOCKER_HOST: 'unix:///var/run/docker.sock' })).toBe('127.0.0.1');
    expect(publishAddress({ DOCKER_HOST: 'tcp://docker:2375' })).toBe('0.0.0.0');
    expect(isRemoteEngine({ DOCKER_HOST: 'ssh://ci@builder' })).toBe(true);
    expect(isRemoteEngine({ DOCKER_HOST: ' ' })).toBe(false);
  });

  it(`${PUBLISH_ADDRESS_ENV} states another binding, and a value that is not an IPv4 address is refused naming the variable`, () => {
    expect(publishAddress({ DOCKER_HOST: 'tcp://docker:2375', [PUBLISH_ADDRESS_ENV]: '10.0.0.5' })).toBe('10.0.0.5');
    expect(() => publishAddress({ [PUBLISH_ADDRESS_ENV]: 'docker' })).toThrow(/WS_PROXY_BENCH_PUBLISH_ADDRESS="docker" is not an IPv4 address/);
  });
});
