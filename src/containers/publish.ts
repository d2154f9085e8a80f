/**
 * Where the run's containers publish their ports, and so where its clients dial them: a local
 * engine (a unix socket) publishes on 127.0.0.1 only, and the clients dial 127.0.0.1; a remote
 * engine (DOCKER_HOST=tcp://docker:2375, the usual docker-in-docker service of a CI) publishes
 * on every address of its host, 0.0.0.0, and the clients dial that host (testcontainers'
 * getHost()). WS_PROXY_BENCH_PUBLISH_ADDRESS states another binding.
 */
import { isIPv4 } from 'node:net';

export const PUBLISH_ADDRESS_ENV = 'WS_PROXY_BENCH_PUBLISH_ADDRESS';

/** Whether DOCKER_HOST names an engine on another host (anything but unset or a unix socket). */
export function isRemoteEngine(env: NodeJS.ProcessEnv = process.env): boolean {
  const dockerHost = env.DOCKER_HOST?.trim() ?? '';
  return dockerHost !== '' && !dockerHost.startsWith('unix://');
}

/** The host address published ports are bound to. */
export function publishAddress(env: NodeJS.ProcessEnv = process.env): string {
  const stated = env[PUBLISH_ADDRESS_ENV]?.trim();
  if (stated) {
    if (!isIPv4(stated)) {
      throw new Error(`${PUBLISH_ADDRESS_ENV}=${JSON.stringify(stated)} is not an IPv4 address; give the engine host's address to publish ports on, e.g. 127.0.0.1 (only this machine) or 0.0.0.0 (every address)`);
    }
    return stated;
  }
  return isRemoteEngine(env) ? '0.0.0.0' : '127.0.0.1';
}
