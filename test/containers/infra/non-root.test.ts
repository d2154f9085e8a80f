/**
 * Security defaults of the harness: the app and the http-proxy front run as the `node` user
 * (uid 1000), never root, and publish on 127.0.0.1 only; the app's restart() brings it back
 * behind a running front, which reaches it by its alias.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker } from '../../../src/containers/docker.js';
import { startEchoApp } from '../../../src/containers/app-container.js';
import { startFront } from '../../../src/containers/front-container.js';
import { createNetwork, type BenchNetwork } from '../../../src/containers/runtime.js';
import type { EchoAppHandle, FrontHandle } from '../../../src/topology/handles.js';
import { currentRunId } from '../../../src/containers/labels.js';
import { containersSkipped } from '../skip.js';
import { containerOf } from './container-of.js';
import { echoOnce } from './echo-once.js';

describe.skipIf(containersSkipped)('harness security defaults', () => {
  const APP = 'echo-nonroot';
  const FRONT = 'front-nonroot';
  let network: BenchNetwork;
  let app: EchoAppHandle;
  let front: FrontHandle;

  beforeAll(async () => {
    network = await createNetwork();
    app = await startEchoApp({ network, alias: APP });
    front = await startFront({
      network, kind: 'http-front', alias: FRONT,
      command: ['node', '/app/http-front.mjs', '--host', '0.0.0.0', '--port', '8080', '--target', `http://${APP}:8080`],
    });
  });
  afterAll(async () => {
    await front?.stop();
    await app?.stop();
    await network?.stop();
  });

  it.each([['the app', APP], ['the http-proxy front', FRONT]])('%s runs as node (uid 1000), not root, published on 127.0.0.1 only', async (_what, alias) => {
    const id = await containerOf(alias);
    const user = await docker(['exec', id, 'sh', '-c', 'id -u; id -un; grep ^Uid: /proc/1/status']);
    const [uid, name, status] = user.stdout.trim().split('\n');
    expect(uid).toBe('1000');
    expect(name).toBe('node');
    expect(status).toMatch(/^Uid:\s+1000\s+1000\s+1000\s+1000$/);
    const inspect = await docker(['inspect', '--format', '{{json .NetworkSettings.Ports}}', id]);
    const bindings = (JSON.parse(inspect.stdout) as Record<string, { HostIp: string }[] | null>)['8080/tcp'] ?? [];
    expect(bindings.length).toBeGreaterThan(0);
    expect(bindings.every((b) => b.HostIp === '127.0.0.1')).toBe(true);
  });

  it('restart() brings the app back behind the running front, which reaches it by alias', async () => {
    expect(await echoOnce(front.wsUrl('/ws'), 'before')).toBe('before');
    const started = performance.now();
    await app.restart();
    console.log(`  app restart (docker restart, until /healthz answers): ${(performance.now() - started).toFixed(0)} ms`);
    expect((await app.stats()).totalConnections).toBe(0); // a fresh process
    expect(await echoOnce(front.wsUrl('/ws'), 'after')).toBe('after');
  });
});
