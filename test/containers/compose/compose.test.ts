/**
 * docker-compose.yml, as a user runs it, on free loopback ports: the services without a profile
 * come up first and stay up; then each profile in turn is brought up beside them, its services
 * judged and removed again before the next, so no more than the default set and one profile run
 * at once on a small machine. Every front with a ws:// port gets one handshake, judged against the
 * status and answerer the compose services table holds (and a unit test holds to the catalog):
 * 101 and an echo from the good ones, the catalog's refusal from the mistakes. Profile h2's fronts
 * (with the certificate `ws-proxy-bench cert` makes) offer and carry WebSockets over HTTP/2 and
 * serve the page over https; profile socketio's sticky nginx carries socket.io sessions. Every
 * container is labelled with the run id and publishes on 127.0.0.1 only; `down` leaves nothing,
 * and runs (in afterAll) even when something failed.
 *
 * Readiness is waited for (compose's own healthchecks, bounded), never by retrying a handshake
 * until it passes: each is judged once.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCertCommand } from '../../../src/compose/cli.js';
import { COMPOSE_TLS_DIR_ENV, COMPOSE_TLS_FILES } from '../../../src/compose/h2-profile.js';
import { COMPOSE_SERVICES, EVERY_PROFILE, type ComposeProfile, type ComposeService } from '../../../src/compose/services.js';
import { composeArgs, composeCommand } from '../../../src/compose/up.js';
import { answeredBy, connect, discard, nextMessage } from '../../../src/scenarios/check-helpers/client.js';
import { openH2WebSocket, probeH2 } from '../../../src/scenarios/check-helpers/h2-websocket.js';
import { fetchPage } from '../../../src/scenarios/checks/page.js';
import { freePort } from '../../../src/free-port.js';
import { openSessions, probeSocketio } from '../../../src/socketio/client.js';
import { projectRoot } from '../../../src/paths.js';
import { readComposeFile, servicesUpWith } from '../../support/compose-file.js';
import { containersSkipped } from '../skip.js';

const run = promisify(execFile);

/** How long one `up -d` may take (images are here already: global setup resolved them), and then every service's healthcheck. */
const UP_TIMEOUT_MS = 90_000;
const HEALTHY_TIMEOUT_MS = 60_000;
/** A stage's hook: its up (retried at most twice on a port taken meanwhile) and its wait, with room to spare. */
const STAGE_HOOK_MS = 3 * UP_TIMEOUT_MS + HEALTHY_TIMEOUT_MS;

/** The profiles whose services are all judged by a ws:// handshake; socketio and h2 have tests of their own. */
const PLAIN_STAGES = ['mistakes', 'front-websocket', 'nghttpx'] as const;

const composeFile = readComposeFile();
/** The compose services table's lines of one profile. */
const inProfile = (profile: ComposeProfile): ComposeService[] => COMPOSE_SERVICES.filter((s) => s.profile === profile);
/** Every service (publishing or not) a profile adds to the default set. */
const addedBy = (profile: string): string[] => composeFile.filter((s) => s.profiles.includes(profile)).map((s) => s.name);

describe.skipIf(containersSkipped)('docker-compose.yml', () => {
  const project = `wspb-compose-${process.pid}`;
  const runId = process.env.WS_PROXY_BENCH_RUN_ID ?? `compose-test-${process.pid}`;
  const ports = new Map<string, number>();
  let compose: string[] = [];
  let env: NodeJS.ProcessEnv = {};
  /** Where the h2 fronts' certificate is written (compose reads it from COMPOSE_TLS_DIR_ENV), and the CA to trust. */
  let tlsDir: string | undefined;
  let ca = '';
  /** Whether the last test's `down` ran (afterAll then has nothing to take down). */
  let wentDown = false;

  const composeRun = (profiles: readonly string[], sub: string, ...rest: string[]) => {
    const [cmd, ...pre] = compose;
    return run(cmd as string, [...pre, '-p', project, ...composeArgs(profiles, sub, rest)], {
      cwd: projectRoot, env, timeout: UP_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024,
    });
  };

  const pickPorts = async (services: readonly ComposeService[]): Promise<void> => {
    for (const s of services) ports.set(s.portVar, await freePort());
    env = { ...env, ...Object.fromEntries(services.map((s) => [s.portVar, String(ports.get(s.portVar))])) };
  };

  /** This project's containers now: id, service, status, published ports and run-id label. */
  const containers = async (): Promise<{ id: string; service: string; status: string; ports: string; label: string }[]> => {
    const { stdout } = await run('docker', ['ps', '-a', '--filter', `label=com.docker.compose.project=${project}`, '--format',
      '{{.ID}}\t{{.Label "com.docker.compose.service"}}\t{{.Status}}\t{{.Ports}}\t{{.Label "ws-proxy-bench"}}']);
    return stdout.split('\n').filter(Boolean).map((line) => {
      const [id = '', service = '', status = '', published = '', label = ''] = line.split('\t');
      return { id, service, status, ports: published, label };
    });
  };

  /** The ids of this project's containers of these services. */
  const idsOf = async (services: readonly string[]): Promise<string[]> =>
    (await containers()).filter((c) => services.includes(c.service)).map((c) => c.id);

  /**
   * Brings up the default services plus `profile`'s, and waits until exactly those are healthy.
   * A port someone else took meanwhile (the suite next door opens thousands of connections): the
   * profile's services get new ports and compose tries again, at most 3 times. A container that
   * exits or turns unhealthy fails the wait at once, with its last log lines.
   */
  const bringUp = async (profile: ComposeProfile): Promise<void> => {
    const profiles = profile === 'default' ? [] : [profile];
    const mine = inProfile(profile);
    for (let attempt = 1; ; attempt++) {
      const started = Date.now();
      try {
        await composeRun(profiles, 'up', '-d');
        console.log(`  compose: profile ${profile} up -d in ${Date.now() - started} ms (project ${project})`);
        break;
      } catch (err) {
        const output = String((err as { stderr?: string }).stderr ?? err);
        if (attempt === 3 || !/already (in use|allocated)/i.test(output)) throw err;
        console.log(`  compose: a port chosen for profile ${profile} was taken meanwhile (attempt ${attempt}); picking new ones`);
        if (profile !== 'default') await composeRun(profiles, 'rm', '-f', '-s', '-v', ...addedBy(profile)).catch(() => {});
        else await composeRun([], 'down', '--timeout', '5').catch(() => {});
        await pickPorts(mine);
      }
    }
    const want = servicesUpWith(composeFile, profiles).map((s) => s.name).sort();
    const started = Date.now();
    for (;;) {
      const now = await containers();
      const exited = now.filter((c) => /^Exited|^Dead|\(unhealthy\)/.test(c.status));
      if (exited.length > 0) {
        const logs = await Promise.all(exited.map(async (c) => {
          const { stdout, stderr } = await composeRun(profiles, 'logs', '--no-color', '--tail', '15', c.service).catch((e: unknown) => ({ stdout: '', stderr: String(e) }));
          return `${c.service} (${c.status}):\n${stdout}${stderr}`;
        }));
        throw new Error(`profile ${profile}: ${exited.map((c) => c.service).join(', ')} exited or failed its healthcheck:\n${logs.join('\n')}`);
      }
      const notHealthy = now.filter((c) => !c.status.includes('(healthy)'));
      if (now.map((c) => c.service).sort().join() === want.join() && notHealthy.length === 0) break;
      if (Date.now() - started > HEALTHY_TIMEOUT_MS) {
        throw new Error(`profile ${profile}: not every service healthy after ${HEALTHY_TIMEOUT_MS} ms: want ${want.join(', ')}; ` +
          `have ${now.map((c) => `${c.service} ${c.status}`).join('; ')}`);
      }
      await new Promise((r) => setTimeout(r, 1_000));
    }
    console.log(`  compose: profile ${profile}: every service healthy ${Date.now() - started} ms after up`);
  };

  /**
   * Removes `profile`'s containers, leaving the default ones running: killed and removed by the
   * engine at once (a compose command costs about half a CPU-second to start, the docker one
   * hardly any; how they stop is not under test, and the last test's `down` is compose's own).
   */
  const takeDown = async (profile: ComposeProfile): Promise<void> => {
    const ids = await idsOf(addedBy(profile));
    if (ids.length > 0) await run('docker', ['rm', '-f', '-v', ...ids]).catch((err: unknown) => console.error(err));
  };

  /** One handshake on each of these services' ws:// ports, judged against the table. */
  const handshakes = (services: readonly ComposeService[]): void => {
    for (const svc of services) {
      const expected = svc.handshake;
      if (!expected) continue;
      it(`${svc.service} on 127.0.0.1:$${svc.portVar}: ${expected.status === 101 ? 'echoes' : `handshake refused with ${expected.status}`} (answered by the ${expected.by})`, async () => {
        const outcome = await connect(`ws://127.0.0.1:${ports.get(svc.portVar)}/ws`, { timeoutMs: 5_000 });
        try {
          expect(outcome.status, `${svc.service}: ${outcome.error ?? ''}`).toBe(expected.status);
          expect(answeredBy(outcome.headers), `${svc.service}: who answered`).toBe(expected.by);
          if (expected.status === 101) {
            const ws = outcome.socket as NonNullable<typeof outcome.socket>;
            const reply = nextMessage(ws);
            ws.send(`hello ${svc.service}`);
            expect((await reply).data.toString()).toBe(`hello ${svc.service}`);
          }
        } finally {
          discard(outcome.socket);
        }
      });
    }
  };

  /** Every running container of the project is labelled with the run id and publishes its ports on 127.0.0.1 only. */
  const publishedAndLabelled = (profile: ComposeProfile): void => {
    it(`profile ${profile}: every container is labelled with the run id and publishes on 127.0.0.1 only`, async () => {
      const now = await containers();
      const up = servicesUpWith(composeFile, profile === 'default' ? [] : [profile]);
      expect(now.map((c) => c.service).sort()).toEqual(up.map((s) => s.name).sort());
      expect(new Set(now.map((c) => c.label))).toEqual(new Set([runId]));
      const bindings = now.flatMap((c) => c.ports.split(',').map((p) => p.trim()).filter((p) => p.includes('->')));
      expect(bindings.length).toBe(up.reduce((n, s) => n + s.ports.length, 0));
      for (const binding of bindings) expect(binding).toMatch(/^127\.0\.0\.1:\d+->8080\/tcp$/);
    });
  };

  const runsAsNode = (services: readonly string[]): void => {
    it(`runs ${services.join(', ')} (Node) as uid 1000, not root`, async () => {
      for (const service of services) {
        const ids = await idsOf([service]);
        expect(ids, `${service}: its one container`).toHaveLength(1);
        const { stdout } = await run('docker', ['exec', ids[0] as string, 'id', '-u']);
        expect(stdout.trim(), service).toBe('1000');
      }
    });
  };

  beforeAll(async () => {
    const found = await composeCommand();
    if (!found) throw new Error('neither `docker compose` nor `docker-compose` works: install the Compose plugin, or apt-get install docker-compose');
    compose = found;
    // The certificate as a user makes it (`ws-proxy-bench cert`), in a folder of this run's own.
    tlsDir = mkdtempSync(join(tmpdir(), 'wspb-compose-tls-'));
    const certErrors: string[] = [];
    const code = await runCertCommand(['--out', tlsDir, '--days', '1'], { out: () => {}, err: (line) => { certErrors.push(line); } });
    if (code !== 0) throw new Error(`ws-proxy-bench cert --out ${tlsDir} exited ${code}: ${certErrors.join(' ')}`);
    ca = readFileSync(join(tlsDir, COMPOSE_TLS_FILES.cert), 'utf8');
    env = { ...process.env, WS_PROXY_BENCH_RUN_ID: runId, [COMPOSE_TLS_DIR_ENV]: tlsDir };
    await pickPorts(COMPOSE_SERVICES);
    await bringUp('default');
  }, STAGE_HOOK_MS);

  afterAll(async () => {
    // Unless the last test's `down` took everything away already.
    if (!wentDown) await composeRun(EVERY_PROFILE, 'down', '--volumes', '--remove-orphans', '--timeout', '5').catch((err: unknown) => console.error(err));
    if (tlsDir) rmSync(tlsDir, { recursive: true, force: true });
  }, UP_TIMEOUT_MS);

  // The services without a profile: up all along.
  handshakes(inProfile('default'));
  publishedAndLabelled('default');
  runsAsNode(['echo', 'http-front']);

  it('serves the echo page through nginx', async () => {
    const res = await fetch(`http://127.0.0.1:${ports.get('WS_PROXY_BENCH_PORT_NGINX')}/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('id="connectButton"');
    expect(html).toContain('id="closeButton"');
  });

  for (const profile of PLAIN_STAGES) {
    describe(`profile ${profile}`, () => {
      beforeAll(() => bringUp(profile), STAGE_HOOK_MS);
      afterAll(() => takeDown(profile), UP_TIMEOUT_MS);
      handshakes(inProfile(profile));
      publishedAndLabelled(profile);
      if (profile === 'front-websocket') runsAsNode(['front-ws']);
    });
  }

  describe('profile socketio', () => {
    beforeAll(() => bringUp('socketio'), STAGE_HOOK_MS);
    afterAll(() => takeDown('socketio'), UP_TIMEOUT_MS);
    publishedAndLabelled('socketio');

    it('nginx with sticky sessions over two socket.io replicas serves the socket.io page, and sessions upgrade and echo', async () => {
      const base = `http://127.0.0.1:${ports.get('WS_PROXY_BENCH_PORT_SOCKETIO')}`;
      const page = await fetch(`${base}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('socket.io');
      const probe = await probeSocketio(base, { upgradeBoundMs: 3_000 });
      expect(probe, probe.errors.join(' | ')).toMatchObject({ connected: true, initialTransport: 'polling', finalTransport: 'websocket', echoMatches: true });
      expect(['socketio-1', 'socketio-2']).toContain(probe.replica);
      const sessions = await openSessions(base, 10, { concurrency: 4 });
      expect(sessions.failed, JSON.stringify(sessions.failures)).toBe(0);
    });
  });

  describe('profile h2', () => {
    beforeAll(() => bringUp('h2'), STAGE_HOOK_MS);
    afterAll(() => takeDown('h2'), UP_TIMEOUT_MS);
    publishedAndLabelled('h2');
    runsAsNode(['http-front-h2']);

    for (const { service, portVar } of inProfile('h2')) {
      it(`${service} on 127.0.0.1:$${portVar} negotiates h2 and advertises extended CONNECT, a WebSocket over it echoes, and it serves the echo page over https`, async () => {
        const port = ports.get(portVar);
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
  });

  it('every profile was brought up above, and `down` leaves no container or network of the run', async () => {
    expect([...PLAIN_STAGES, 'socketio', 'h2'].sort()).toEqual([...EVERY_PROFILE].sort());
    const labelled = async (kind: 'ps' | 'network') => {
      const args = kind === 'ps'
        ? ['ps', '-a', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.Label "ws-proxy-bench"}}']
        : ['network', 'ls', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.Label "ws-proxy-bench"}}'];
      return (await run('docker', args)).stdout.split('\n').filter(Boolean);
    };
    expect(await labelled('network')).toEqual([runId]);
    await composeRun(EVERY_PROFILE, 'down', '--volumes', '--remove-orphans', '--timeout', '5');
    wentDown = true;
    expect(await labelled('ps')).toEqual([]);
    expect(await labelled('network')).toEqual([]);
  });
});
