/**
 * A front started from its descriptor and the image catalog: nginx with the project's correct
 * WebSocket config in front of the echo app, reached through its loopback port; and the
 * front's pause/unpause, restart, reload and version.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEchoApp } from '../../../src/containers/app-container.js';
import { startFront } from '../../../src/containers/front-container.js';
import { createNetwork, type BenchNetwork } from '../../../src/containers/runtime.js';
import type { EchoAppHandle, FrontHandle } from '../../../src/topology/handles.js';
import { renderTemplateFile } from '../../../src/templates.js';
import { containersSkipped } from '../skip.js';
import { echoOnce } from './echo-once.js';

describe.skipIf(containersSkipped)('nginx front container', () => {
  let network: BenchNetwork;
  let app: EchoAppHandle;
  let front: FrontHandle;

  beforeAll(async () => {
    network = await createNetwork();
    app = await startEchoApp({ network, alias: 'echo' });
    const config = renderTemplateFile('nginx/ws-proxy.conf.template', {
      UPSTREAM: 'echo:8080', LISTEN_PORT: 8080, IDLE_TIMEOUT_SECONDS: 30, WS_PATH: '/ws', WS_HANDLER: 'unused:8080', WORKER_PROCESSES: 1, WORKER_CONNECTIONS: 1024, WORKER_RLIMIT_NOFILE: 1088, HEADER_TIMEOUT_SECONDS: 60,
    });
    front = await startFront({ network, kind: 'nginx', config: { content: config } });
  });
  afterAll(async () => {
    await front?.stop();
    await app?.stop();
    await network?.stop();
  });

  it('proxies a WebSocket to the app through its 127.0.0.1 port', async () => {
    expect(front.httpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await echoOnce(front.wsUrl('/ws'), 'via nginx')).toBe('via nginx');
    expect((await app.stats()).upgradesReceived).toBeGreaterThanOrEqual(1);
    // nginx writes the access line when the upgraded connection ends, a moment after the
    // client's close: wait for it (bounded) rather than racing it.
    const deadline = Date.now() + 5_000;
    let logs = await front.logs();
    while (!logs.includes('GET /ws') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      logs = await front.logs();
    }
    expect(logs).toContain('GET /ws');
  });

  it('stops answering while paused and answers again after unpause and after a restart', async () => {
    await front.pause();
    await expect(echoOnce(front.wsUrl('/ws'), 'paused')).rejects.toThrow();
    await front.unpause();
    expect(await echoOnce(front.wsUrl('/ws'), 'unpaused')).toBe('unpaused');
    await front.restart();
    expect(await echoOnce(front.wsUrl('/ws'), 'restarted')).toBe('restarted');
  });

  it('reads its version from the running binary, and reloads its config in place', async () => {
    expect(await front.version()).toMatch(/^1\.\d+\.\d+$/);
    expect(front.reload).toBeDefined();
    await front.reload?.();
    expect(await echoOnce(front.wsUrl('/ws'), 'reloaded')).toBe('reloaded');
  });

  it('refuses a proxy front without its config, naming where it goes', async () => {
    await expect(startFront({ network, kind: 'haproxy' })).rejects.toThrow('a haproxy front needs its config (config: { content }), copied to /usr/local/etc/haproxy/haproxy.cfg');
  });
});
