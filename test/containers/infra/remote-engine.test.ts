/**
 * A remote engine: `ws-proxy-bench run` against an engine reached over TCP
 * (DOCKER_HOST=tcp://…, as a CI's docker-in-docker service is), with the ports published on that
 * host's address (WS_PROXY_BENCH_PUBLISH_ADDRESS). Here the "remote" engine is this machine's own,
 * reached through a TCP relay to its socket on 127.0.0.2: the published ports are bound on
 * 127.0.0.2 only, so a client that dialled 127.0.0.1 instead of the engine's host would not get
 * through, and wss:// needs the certificate to name that host.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testTempDir } from '../../support/temp-dir.js';
import { RUN_ID_ENV, RUNNER_PID_ENV } from '../../../src/containers/labels.js';
import { PUBLISH_ADDRESS_ENV } from '../../../src/containers/publish.js';
import { projectPath } from '../../../src/paths.js';
import type { Report } from '../../../src/report/model.js';
import { containersSkipped } from '../skip.js';

const run = promisify(execFile);
const REMOTE_HOST = '127.0.0.2';

/** The local engine's socket, which the relay forwards to. */
function localSocket(): string {
  const host = process.env.DOCKER_HOST?.trim();
  return host?.startsWith('unix://') ? host.slice('unix://'.length) : '/var/run/docker.sock';
}

describe.skipIf(containersSkipped)('a remote engine (DOCKER_HOST=tcp://…)', () => {
  let relay: Server;
  let relayed = 0;

  beforeAll(async () => {
    relay = createServer((client) => {
      relayed += 1;
      const engine = createConnection(localSocket());
      client.pipe(engine).pipe(client);
      client.on('error', () => engine.destroy());
      engine.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => relay.once('error', reject).listen(0, REMOTE_HOST, resolve));
  });
  afterAll(async () => {
    await new Promise((r) => relay.close(r));
  });

  it('runs the scenarios against it: its ports published on its host, dialled there, wss:// included', async () => {
    const address = relay.address();
    if (address === null || typeof address === 'string') throw new Error('the relay has no TCP address');
    const file = join(testTempDir('wspb-remote-'), 'report.json');
    const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: `tcp://${REMOTE_HOST}:${address.port}`, [PUBLISH_ADDRESS_ENV]: REMOTE_HOST, TESTCONTAINERS_RYUK_DISABLED: 'true' };
    delete env[RUN_ID_ENV];
    delete env[RUNNER_PID_ENV];
    delete env.TESTCONTAINERS_HOST_OVERRIDE;
    let code = 0;
    let stderr = '';
    try {
      ({ stderr } = await run(process.execPath, [projectPath('dist/cli.mjs'), 'run', '--front', 'nginx,nginx-tls', '--scenario', 'nginx/upgrade', '--scenario', 'nginx-tls/*', '--json', file],
        { env, cwd: projectPath('.'), timeout: 90_000, maxBuffer: 16 * 1024 * 1024 }));
    } catch (err) {
      const e = err as { code?: number; stderr?: string };
      if (typeof e.code !== 'number') throw err;
      code = e.code;
      stderr = e.stderr ?? '';
    }
    expect(code, stderr).toBe(0);
    const report = JSON.parse(readFileSync(file, 'utf8')) as Report;
    expect(report.scenarios.map((s) => s.scenario).sort()).toEqual(expect.arrayContaining(['nginx/upgrade']));
    expect(report.scenarios.some((s) => s.scenario.startsWith('nginx-tls/'))).toBe(true);
    expect(report.scenarios.every((s) => s.status === 'pass')).toBe(true);
    // Everything went through the relay: the engine was reached over TCP, not its socket.
    expect(relayed).toBeGreaterThan(10);
  });
});
