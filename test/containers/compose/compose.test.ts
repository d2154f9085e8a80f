/**
 * docker-compose.yml, as a user runs it: every profile up on free loopback ports, echo through
 * each published front, the misconfigured ones fail the way the catalog says, the page comes
 * through nginx, the h2 fronts (with the certificate `ws-proxy-bench cert` makes) offer and carry
 * WebSockets over HTTP/2 and serve the page over https, then down with nothing left behind.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCertCommand } from '../../../src/compose/cli.js';
import { COMPOSE_H2_SERVICES, COMPOSE_TLS_DIR_ENV, COMPOSE_TLS_FILES } from '../../../src/compose/h2-profile.js';
import { APP_REFUSAL_STATUS } from '../../../src/scenarios/catalog.js';
import { connect, discard, nextMessage } from '../../../src/scenarios/check-helpers/client.js';
import { openH2WebSocket, probeH2 } from '../../../src/scenarios/check-helpers/h2-websocket.js';
import { fetchPage } from '../../../src/scenarios/checks/page.js';
import { freePort } from '../../../src/free-port.js';
import { openSessions, probeSocketio } from '../../../src/socketio/client.js';
import { projectRoot } from '../../../src/paths.js';
import { containersSkipped } from '../skip.js';

const run = promisify(execFile);

/** Each published port's variable, the status a handshake gets there, and who answers it (by identity header). */
const published = {
  WS_PROXY_BENCH_PORT_APP: { service: 'echo', status: 101, answeredBy: 'x-echo-server' },
  WS_PROXY_BENCH_PORT_NGINX: { service: 'nginx', status: 101, answeredBy: 'x-echo-server' },
  WS_PROXY_BENCH_PORT_HTTP_FRONT: { service: 'http-front', status: 101, answeredBy: 'x-echo-server' },
  // The misconfigured ones fail as their catalog scenarios say: the app itself refuses the upgrade.
  WS_PROXY_BENCH_PORT_NGINX_NO_HTTP11: { service: 'nginx-no-http11', status: APP_REFUSAL_STATUS, answeredBy: 'x-echo-server' },
  WS_PROXY_BENCH_PORT_NGINX_NO_UPGRADE_HEADERS: { service: 'nginx-no-upgrade-headers', status: APP_REFUSAL_STATUS, answeredBy: 'x-echo-server' },
  WS_PROXY_BENCH_PORT_NGINX_FRONT_WS: { service: 'nginx-front-handles-websocket', status: 101, answeredBy: 'x-front' },
  WS_PROXY_BENCH_PORT_HTTP_FRONT_WS_ON: { service: 'front-ws', status: 101, answeredBy: 'x-front' },
} as const;

/** Profile "h2": each front terminating TLS with h2 and advertising extended CONNECT (RFC 8441), by its port variable. */
const h2Published: Readonly<Record<string, { service: string }>> = Object.fromEntries(COMPOSE_H2_SERVICES.map((s) => [s.portVar, { service: s.setup }]));

/** Every service that publishes a port, the socket.io nginx's included. */
const PUBLISHING = Object.keys(published).length + Object.keys(h2Published).length + 1;

/** Profile "socketio": nginx (sticky) over two socket.io replicas, which publish nothing themselves. */
const SOCKETIO_PORT = 'WS_PROXY_BENCH_PORT_SOCKETIO';
const SOCKETIO_SERVICES = ['nginx-socketio', 'socketio-1', 'socketio-2'];

/** `docker compose` (v2 plugin) where there is one, else Debian's `docker-compose` (v1). */
async function composeCommand(): Promise<string[]> {
  try {
    await run('docker', ['compose', 'version'], { timeout: 10_000 });
    return ['docker', 'compose'];
  } catch {
    await run('docker-compose', ['version'], { timeout: 10_000 }).catch(() => {
      throw new Error('neither `docker compose` nor `docker-compose` works: install the Compose plugin, or apt-get install docker-compose');
    });
    return ['docker-compose'];
  }
}

async function until<T>(what: string, timeoutMs: number, attempt: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      return await attempt();
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  throw new Error(`${what}: not ready after ${timeoutMs} ms: ${last instanceof Error ? last.message : String(last)}`);
}

describe.skipIf(containersSkipped)('docker-compose.yml', () => {
  const project = `wspb-compose-${process.pid}`;
  const runId = process.env.WS_PROXY_BENCH_RUN_ID ?? `compose-test-${process.pid}`;
  const ports = new Map<string, number>();
  let compose: string[] = [];
  let env: NodeJS.ProcessEnv = {};
  /** Where the h2 fronts' certificate is written (compose reads it from COMPOSE_TLS_DIR_ENV), and the CA to trust. */
  let tlsDir: string | undefined;
  let ca = '';

  const composeRun = (...args: string[]) => {
    const [cmd, ...pre] = compose;
    return run(cmd as string, [...pre, '-p', project, '--profile', 'mistakes', '--profile', 'front-websocket', '--profile', 'socketio', '--profile', 'h2', ...args], {
      cwd: projectRoot, env, timeout: 120_000, maxBuffer: 16 * 1024 * 1024,
    });
  };

  beforeAll(async () => {
    compose = await composeCommand();
    // The certificate as a user makes it (`ws-proxy-bench cert`), in a folder of this run's own.
    tlsDir = mkdtempSync(join(tmpdir(), 'wspb-compose-tls-'));
    const certErrors: string[] = [];
    const code = await runCertCommand(['--out', tlsDir, '--days', '1'], { out: () => {}, err: (line) => { certErrors.push(line); } });
    if (code !== 0) throw new Error(`ws-proxy-bench cert --out ${tlsDir} exited ${code}: ${certErrors.join(' ')}`);
    ca = readFileSync(join(tlsDir, COMPOSE_TLS_FILES.cert), 'utf8');
    // A free port is only free until someone else takes it (the suite next door opens thousands
    // of connections): if compose finds one taken, pick new ones and try again, at most 3 times.
    for (let attempt = 1; ; attempt++) {
      for (const name of [...Object.keys(published), ...Object.keys(h2Published), SOCKETIO_PORT]) ports.set(name, await freePort());
      env = { ...process.env, WS_PROXY_BENCH_RUN_ID: runId, [COMPOSE_TLS_DIR_ENV]: tlsDir, ...Object.fromEntries([...ports].map(([k, v]) => [k, String(v)])) };
      const started = Date.now();
      try {
        await composeRun('up', '-d');
        console.log(`  compose: ${compose.join(' ')} up -d in ${Date.now() - started} ms (project ${project})`);
        break;
      } catch (err) {
        const output = String((err as { stderr?: string }).stderr ?? err);
        if (attempt === 3 || !/already (in use|allocated)/i.test(output)) throw err;
        console.log(`  compose: a chosen port was taken meanwhile (attempt ${attempt}); picking new ports`);
        await composeRun('down', '--volumes', '--remove-orphans', '--timeout', '5').catch(() => {});
      }
    }
  });

  // Judged once each, after every service reports healthy (compose's own healthchecks): readiness
  // is waited for here, never by retrying a handshake until it passes.
  beforeAll(async () => {
    const started = Date.now();
    await until('every compose service healthy', 90_000, async () => {
      const { stdout } = await run('docker', ['ps', '-a', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.Names}}\t{{.Status}}']);
      const lines = stdout.split('\n').filter(Boolean);
      const notHealthy = lines.filter((l) => !l.includes('(healthy)'));
      if (lines.length !== Object.keys(published).length + Object.keys(h2Published).length + SOCKETIO_SERVICES.length || notHealthy.length > 0) throw new Error(`not healthy yet: ${notHealthy.join('; ') || `${lines.length} containers`}`);
    });
    console.log(`  compose: every service healthy ${Date.now() - started} ms after up`);
  }, 120_000);

  afterAll(async () => {
    await composeRun('down', '--volumes', '--remove-orphans', '--timeout', '5').catch((err: unknown) => console.error(err));
    if (tlsDir) rmSync(tlsDir, { recursive: true, force: true });
  });

  for (const [variable, expected] of Object.entries(published)) {
    it(`${expected.service} on 127.0.0.1:$${variable}: ${expected.status === 101 ? 'echoes' : `handshake refused with ${expected.status}`} (answered by ${expected.answeredBy})`, async () => {
      const url = `ws://127.0.0.1:${ports.get(variable)}/ws`;
      const outcome = await connect(url, { timeoutMs: 5_000 });
      try {
        expect(outcome.status, `${expected.service}: ${outcome.error ?? ''}`).toBe(expected.status);
        expect(outcome.headers[expected.answeredBy], `${expected.service} answered by ${expected.answeredBy}`).toBeDefined();
        if (expected.status === 101) {
          const ws = outcome.socket as NonNullable<typeof outcome.socket>;
          const reply = nextMessage(ws);
          ws.send(`hello ${expected.service}`);
          expect((await reply).data.toString()).toBe(`hello ${expected.service}`);
        }
      } finally {
        discard(outcome.socket);
      }
    });
  }

  for (const [variable, { service }] of Object.entries(h2Published)) {
    it(`profile h2: ${service} on 127.0.0.1:$${variable} negotiates h2 and advertises extended CONNECT, a WebSocket over it echoes, and it serves the echo page over https`, async () => {
      const port = ports.get(variable);
      const probe = await probeH2(`https://127.0.0.1:${port}/`, { ca });
      expect(probe, `${service}: ALPN ${String(probe.alpn)}, SETTINGS_ENABLE_CONNECT_PROTOCOL ${probe.connectProtocol ? '1' : 'absent'}`).toEqual({ alpn: 'h2', connectProtocol: true });

      const { h2, socket } = await openH2WebSocket(`wss://127.0.0.1:${port}/ws`, { ca });
      try {
        const reply = socket.nextMessage(5_000);
        socket.send(`hello ${service} over h2`);
        expect((await reply).data.toString()).toBe(`hello ${service} over h2`);
      } finally {
        socket.discard();
        h2.close();
      }

      const page = await fetchPage(`https://127.0.0.1:${port}/`, { ca });
      expect(page.status, service).toBe(200);
      expect(page.body).toContain('id="connectButton"');
    });
  }

  it('profile socketio: nginx with sticky sessions over two socket.io replicas serves the socket.io page, and sessions upgrade and echo', async () => {
    const base = `http://127.0.0.1:${ports.get(SOCKETIO_PORT)}`;
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('socket.io');
    const probe = await probeSocketio(base, { upgradeBoundMs: 3_000 });
    expect(probe, probe.errors.join(' | ')).toMatchObject({ connected: true, initialTransport: 'polling', finalTransport: 'websocket', echoMatches: true });
    expect(['socketio-1', 'socketio-2']).toContain(probe.replica);
    const sessions = await openSessions(base, 10, { concurrency: 4 });
    expect(sessions.failed, JSON.stringify(sessions.failures)).toBe(0);
  });

  it('publishes every port on 127.0.0.1 only', async () => {
    const { stdout } = await run('docker', ['ps', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.Ports}}']);
    const bindings = stdout.split(/[\n,]/).map((s) => s.trim()).filter((s) => s.includes('->'));
    expect(bindings.length).toBe(PUBLISHING);
    for (const binding of bindings) expect(binding).toMatch(/^127\.0\.0\.1:\d+->8080\/tcp$/);
  });

  it('serves the echo page through nginx', async () => {
    const res = await fetch(`http://127.0.0.1:${ports.get('WS_PROXY_BENCH_PORT_NGINX')}/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('id="connectButton"');
    expect(html).toContain('id="closeButton"');
  });

  it('runs the Node services (the app and the http-proxy fronts) as uid 1000, not root', async () => {
    for (const service of ['echo', 'http-front', 'front-ws', 'http-front-h2']) {
      const { stdout } = await composeRun('exec', '-T', service, 'id', '-u');
      expect(stdout.trim(), service).toBe('1000');
    }
  });

  it('labels every container and its network with the run id, and `down` leaves nothing', async () => {
    const labelled = async (kind: 'ps' | 'network') => {
      const args = kind === 'ps'
        ? ['ps', '-a', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.Label "ws-proxy-bench"}}']
        : ['network', 'ls', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.Label "ws-proxy-bench"}}'];
      return (await run('docker', args)).stdout.split('\n').filter(Boolean);
    };
    const containers = await labelled('ps');
    expect(containers.length).toBe(Object.keys(published).length + Object.keys(h2Published).length + SOCKETIO_SERVICES.length);
    expect(new Set(containers)).toEqual(new Set([runId]));
    expect(await labelled('network')).toEqual([runId]);

    await composeRun('down', '--volumes', '--remove-orphans', '--timeout', '5');
    expect(await labelled('ps')).toEqual([]);
    expect(await labelled('network')).toEqual([]);
  });
});
