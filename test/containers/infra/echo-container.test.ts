/**
 * The echo app in its container, reached through its published port: the handshake (with the
 * app's identity header), text and binary echo, /stats, and that the port is published on
 * 127.0.0.1 only.
 */
import { networkInterfaces } from 'node:os';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { docker } from '../../../src/containers/docker.js';
import { startEchoApp } from '../../../src/containers/app-container.js';
import { createNetwork, type BenchNetwork } from '../../../src/containers/runtime.js';
import type { EchoAppHandle } from '../../../src/topology/handles.js';
import { currentRunId } from '../../../src/containers/labels.js';
import { connect as connectWs, nextMessage, open } from '../../../src/scenarios/check-helpers/client.js';
import { containersSkipped } from '../skip.js';
import { containerOf } from './container-of.js';

const ALIAS = 'echo-infra';

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2_000 });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => { socket.destroy(); resolve(false); });
  });
}

describe.skipIf(containersSkipped)('echo app container', () => {
  let network: BenchNetwork;
  let app: EchoAppHandle;

  beforeAll(async () => {
    network = await createNetwork();
    app = await startEchoApp({ network, alias: ALIAS, env: { ECHO_PATH: '/ws' } });
  });
  afterAll(async () => {
    await app?.stop();
    await network?.stop();
  });

  it('runs under the run id the global setup chose (workers share it through the environment)', () => {
    expect(process.env.WS_PROXY_BENCH_RUN_ID).toBe(inject('wsProxyBenchRunId'));
    expect(currentRunId()).toBe(inject('wsProxyBenchRunId'));
  });

  it('answers the WebSocket handshake with 101 and its X-Echo-Server header', async () => {
    const { socket, status, headers } = await connectWs(app.wsUrl('/ws'));
    socket?.close();
    expect(status).toBe(101);
    expect(headers['x-echo-server']).toMatch(/^ws-proxy-bench\//);
  });

  it('echoes a text and a binary message unchanged, and counts them in /stats', async () => {
    const before = await app.stats();
    const ws = await open(app.wsUrl('/ws'));
    try {
      const text = nextMessage(ws);
      ws.send('hello through the container');
      const t = await text;
      expect(t.isBinary).toBe(false);
      expect(t.data.toString()).toBe('hello through the container');

      const payload = Buffer.from([0, 1, 2, 250, 251, 252, 253, 254, 255]);
      const binary = nextMessage(ws);
      ws.send(payload, { binary: true });
      const b = await binary;
      expect(b.isBinary).toBe(true);
      expect(b.data.equals(payload)).toBe(true);
    } finally {
      ws.close();
    }
    const after = await app.stats();
    expect(after.messagesEchoed - before.messagesEchoed).toBe(2);
    expect(after.upgradesReceived - before.upgradesReceived).toBe(1);
    expect(after.bytesEchoed - before.bytesEchoed).toBe('hello through the container'.length + 9);
  });

  it('publishes its port on 127.0.0.1 only', async () => {
    const inspect = await docker(['inspect', '--format', '{{json .NetworkSettings.Ports}}', await containerOf(ALIAS)]);
    const ports = JSON.parse(inspect.stdout) as Record<string, { HostIp: string; HostPort: string }[] | null>;
    const bindings = ports['8080/tcp'] ?? [];
    expect(bindings.length).toBeGreaterThan(0);
    expect(bindings.map((b) => b.HostIp)).toEqual(bindings.map(() => '127.0.0.1'));

    const port = Number(new URL(app.httpUrl).port);
    expect(await canConnect('127.0.0.1', port)).toBe(true);
    // The machine's other addresses must not answer on that port.
    const others = Object.values(networkInterfaces()).flat()
      .filter((a) => a && a.family === 'IPv4' && !a.internal).map((a) => a!.address);
    for (const address of others) expect(await canConnect(address, port), `${address}:${port}`).toBe(false);
  });
});
