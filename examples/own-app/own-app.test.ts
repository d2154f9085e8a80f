/**
 * A user's own suite: their chat service (app/chat-server.mjs) behind their nginx.conf, tested
 * with ws-proxy-bench's public API only (plus testcontainers for the app's own container).
 * `npm test` runs it (project `examples`); alone: `npx vitest run --project examples`.
 */
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { GenericContainer, Wait, type StartedNetwork, type StartedTestContainer } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  benchImage, benchLabels, echoFidelity, idleCut, nextMessage, openWebSocket, startBenchNetwork, staysOpenWithPings,
  upgradeAnsweredBy, WebSocketFrontContainer, type StartedWebSocketFront,
} from 'ws-proxy-bench';

const here = dirname(fileURLToPath(import.meta.url));
/** What nginx.conf sets: proxy_read_timeout 3s. */
const IDLE_TIMEOUT_MS = 3_000;
/** The `ws` package, copied beside the app: nothing is installed inside the container. */
const wsPackage = dirname(createRequire(import.meta.url).resolve('ws/package.json'));

// Skipped only on purpose, never under CI (as the bench's own container suites).
const skipped = process.env.WS_PROXY_BENCH_SKIP_CONTAINERS === '1' && !process.env.CI;

describe.skipIf(skipped)('own app behind nginx', () => {
  let network: StartedNetwork | undefined;
  let app: StartedTestContainer | undefined;
  let front: StartedWebSocketFront | undefined;

  beforeAll(async () => {
    // A network and an app container labelled like the bench's own, so the run's cleanup removes them.
    network = await startBenchNetwork();
    app = await new GenericContainer(benchImage('node'))
      .withNetwork(network)
      .withNetworkAliases('chat')
      .withLabels(benchLabels())
      .withCopyFilesToContainer([{ source: join(here, 'app/chat-server.mjs'), target: '/app/chat-server.mjs' }])
      .withCopyDirectoriesToContainer([{ source: wsPackage, target: '/app/node_modules/ws' }])
      .withUser('1000:1000')
      .withEnvironment({ PORT: '8080' })
      .withCommand(['node', '/app/chat-server.mjs'])
      .withWaitStrategy(Wait.forLogMessage('chat server listening'))
      .start();
    front = await new WebSocketFrontContainer('nginx')
      .withConfig(join(here, 'nginx.conf'))
      .withUpstream(app, 8080)
      .withIdleTimeout(IDLE_TIMEOUT_MS)
      .start();
  });

  afterAll(async () => {
    await front?.stop();
    await app?.stop();
    await network?.stop();
  });

  const on = (room: string) => (front as StartedWebSocketFront).target(`/chat/${room}`);

  it('the upgrade goes through nginx to the app, which answers the 101', async () => {
    const r = await upgradeAnsweredBy(on('lobby'), { header: 'X-Chat-Server', value: /^own-app-chat\// });
    expect(r.ok, r.detail).toBe(true);
    expect(r.identity).toBe('own-app-chat/1');
    expect(r.server, r.detail).toMatch(/^nginx/);
  });

  it('text and binary messages come back byte for byte (the sender is a member of its room)', async () => {
    const r = await echoFidelity(on('echo'), { messages: ['hello ✓', new Uint8Array([0, 1, 2, 255])], sizes: [125, 126, 65_536] });
    expect(r.ok, r.detail).toBe(true);
    expect(r.messages.map((m) => m.kind)).toEqual(['text', 'binary', 'binary', 'binary', 'binary']);
  });

  it('a room hands a message to its members and to no one else', async () => {
    const [alice, bob, carol] = await Promise.all([openWebSocket(on('room-a')), openWebSocket(on('room-a')), openWebSocket(on('room-b'))]);
    try {
      const toBob = nextMessage(bob);
      const toCarol = nextMessage(carol, 1_000).then(() => 'a message', () => 'nothing');
      alice.send('hi bob');
      expect((await toBob).data.toString()).toBe('hi bob');
      expect(await toCarol).toBe('nothing');
    } finally {
      for (const ws of [alice, bob, carol]) ws.terminate();
    }
  });

  it(`nginx cuts an idle connection at proxy_read_timeout (${IDLE_TIMEOUT_MS / 1000} s)`, async () => {
    const r = await idleCut(on('idle'));
    expect(r.ok, r.detail).toBe(true);
    expect(r.cutAfterMs).toBeGreaterThanOrEqual(IDLE_TIMEOUT_MS - 20);
    expect(r.serverPings).toBe(0);
  });

  it('client pings keep a connection open past it', async () => {
    const r = await staysOpenWithPings(on('pings'), { pingIntervalMs: 1_000, holdMs: 2 * IDLE_TIMEOUT_MS + 1_000 });
    expect(r.ok, r.detail).toBe(true);
    expect(r.pongsReceived).toBeGreaterThan(0);
  });

  it("nginx reloads its config, logs the app's 101 and says its version", async () => {
    await expect.poll(() => (front as StartedWebSocketFront).logs(), { timeout: 5_000 }).toMatch(/"GET \/chat\/lobby HTTP\/1\.1" 101 /);
    await (front as StartedWebSocketFront).reload();
    const after = await upgradeAnsweredBy(on('lobby'), { header: 'X-Chat-Server' });
    expect(after.ok, after.detail).toBe(true);
    expect(await (front as StartedWebSocketFront).version()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
