/**
 * The container runtime this run talks to (testcontainers' client), the host its published
 * ports are dialled on, and the run's labelled networks.
 */
import { randomBytes } from 'node:crypto';
import { getContainerRuntimeClient, getReaper, LABEL_TESTCONTAINERS_SESSION_ID, StartedNetwork } from 'testcontainers';
import { currentRunId, runLabels } from './labels.js';

export interface BenchNetwork {
  name: string;
  stop(): Promise<void>;
}

/**
 * Ports are published on 127.0.0.1 only, so testcontainers must reach them there too: its
 * default host, "localhost", may resolve to ::1 first, where nothing listens. For a local engine
 * (a unix socket), point it at 127.0.0.1 unless the user chose a host. Must run before
 * testcontainers' client is first created.
 */
function useLoopbackHost(env: NodeJS.ProcessEnv = process.env): void {
  const dockerHost = env.DOCKER_HOST?.trim() ?? '';
  if (env.TESTCONTAINERS_HOST_OVERRIDE === undefined && (dockerHost === '' || dockerHost.startsWith('unix://'))) {
    env.TESTCONTAINERS_HOST_OVERRIDE = '127.0.0.1';
  }
}

export async function runtimeClient(): ReturnType<typeof getContainerRuntimeClient> {
  useLoopbackHost();
  return getContainerRuntimeClient();
}

/** A short random suffix for names (networks) that must not collide within a run. */
export function shortId(): string {
  return randomBytes(3).toString('hex');
}

/**
 * A network labelled with the run (and with testcontainers' session, so its reaper removes it
 * too), as testcontainers' own StartedNetwork: containers built with GenericContainer join it
 * by `.withNetwork(network)`.
 */
export async function createStartedNetwork(): Promise<StartedNetwork> {
  const client = await runtimeClient();
  const reaper = await getReaper(client);
  const runId = currentRunId();
  const name = `wspb-${runId}-${shortId()}`;
  const network = await client.network.create({
    Name: name,
    CheckDuplicate: true,
    Driver: 'bridge',
    Labels: { ...runLabels(runId), [LABEL_TESTCONTAINERS_SESSION_ID]: reaper.sessionId },
  });
  return new StartedNetwork(client, name, network);
}

export async function createNetwork(): Promise<BenchNetwork> {
  const network = await createStartedNetwork();
  let stopped = false;
  return {
    name: network.getName(),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await network.stop();
    },
  };
}
