/**
 * Stopping the socket.io app: close() (what SIGTERM/SIGINT run) disconnects every client, the
 * WebSockets with 1001, within the project's stop bound; and the same from the bundled
 * container entry, run where no node_modules can be found.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { common, root } from '../../../scripts/build-options.mjs';
import { STOP_BOUND_MS } from '../../../src/shutdown.js';
import { connectSocketio, SocketioConnectError } from '../../../src/socketio/client.js';
import type { SocketioStats } from '../../../src/socketio/stats.js';
import { startQuietSocketio } from './helpers.js';

describe('socket.io app shutdown', () => {
  it('disconnects WebSocket sessions with 1001 ("transport close" for the client) and polling ones with a close packet', async () => {
    const server = await startQuietSocketio();
    const upgraded = await connectSocketio(server.url);
    expect((await upgraded.waitForTransport('websocket', 1500)).transport).toBe('websocket');
    const direct = await connectSocketio(server.url, { transports: ['websocket'] });
    const polling = await connectSocketio(server.url, { transports: ['polling'] });
    await expect.poll(() => server.stats().transports).toEqual({ polling: 1, websocket: 2 });
    const ends = [upgraded, direct, polling].map((c) => c.disconnected());
    const started = Date.now();
    await server.close();
    const took = Date.now() - started;
    const [a, b, p] = await Promise.all(ends);
    console.log(`shutdown: close() with 3 sessions resolved in ${took} ms; websocket clients: ${a?.reason} (${a?.detail}); polling client: ${p?.reason}`);
    for (const ws of [a, b]) expect(ws).toMatchObject({ reason: 'transport close', closeCode: 1001, closeReason: 'server shutting down' });
    expect(p).toMatchObject({ reason: 'transport close' });
    expect(p?.closeCode).toBeUndefined();
    expect(took).toBeLessThan(STOP_BOUND_MS);
    await expect(connectSocketio(server.url, { transports: ['websocket'], connectTimeoutMs: 500 })).rejects.toThrow(SocketioConnectError);
  });

  it('closes an engine.io WebSocket with 1001 at the WebSocket level (a raw ws client)', async () => {
    const server = await startQuietSocketio();
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/socket.io/?EIO=4&transport=websocket`);
    const frames: string[] = [];
    ws.on('message', (data) => frames.push(String(data)));
    await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
    ws.send('40'); // socket.io CONNECT to the main namespace
    await expect.poll(() => frames.some((f) => f.startsWith('40{"sid"'))).toBe(true);
    const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    await server.close();
    expect(await closed).toEqual({ code: 1001, reason: 'server shutting down' });
  });

  it('refuses new sessions while it closes, and says so on /healthz', async () => {
    // A grace of 3 s against the bound of 1.5 s below: a close that waits the grace out still
    // takes about 2.9 s, and one that does not has a margin of over a second (the loop stalls
    // 500–600 ms at times).
    const server = await startQuietSocketio({}, undefined, 3_000);
    // A polling session with no poll pending keeps the close in its grace period for a moment.
    const handshake = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`);
    const sid = (JSON.parse((await handshake.text()).slice(1)) as { sid: string }).sid;
    await fetch(`${server.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`, { method: 'POST', body: '40' });
    expect(await (await fetch(`${server.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`)).text()).toMatch(/^40\{"sid":/);
    await expect.poll(() => server.stats().sessions.open).toBe(1);
    const closing = server.close();
    const refused = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ code: 4, message: 'server shutting down' });
    expect(refused.headers.get('x-replica')).toBe('test');
    const health = await fetch(`${server.url}/healthz`);
    expect([health.status, await health.text()]).toEqual([503, 'shutting down']);
    // The session's next poll gets engine.io's close packet ("1", after a noop "6" here; packets
    // are separated by \x1e), and the close ends without waiting the grace out.
    const poll = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`);
    expect((await poll.text()).split('\x1e').at(-1)).toBe('1');
    const started = Date.now();
    await closing;
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('does not wait for a client that never answers beyond the grace period', async () => {
    const server = await startQuietSocketio({ pingInterval: 60_000, pingTimeout: 60_000 }, undefined, 400);
    // A polling session with no poll pending: engine.io can only close it at its next request.
    const handshake = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`);
    const sid = (JSON.parse((await handshake.text()).slice(1)) as { sid: string }).sid;
    await fetch(`${server.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`, { method: 'POST', body: '40' });
    await expect.poll(() => server.stats().sessions.open).toBe(1);
    const started = Date.now();
    await server.close();
    const took = Date.now() - started;
    console.log(`shutdown: close() with a silent polling session resolved in ${took} ms`);
    expect(took).toBeGreaterThanOrEqual(350);
    expect(took).toBeLessThan(1500);
  });

  describe('the bundled container entry (dist/socketio-server.mjs), run with no node_modules in reach', () => {
    const dir = mkdtempSync(join(tmpdir(), 'socketio-bundle-'));
    const bundle = join(dir, 'socketio-server.mjs');
    // No NODE_PATH, and nothing to find by walking up from the bundle's folder.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_PATH'));
    beforeAll(async () => {
      // The same esbuild options scripts/build.mjs uses for the container bundle.
      await build({ ...common, sourcemap: false, logLevel: 'error', entryPoints: [join(root, 'src/socketio/main.ts')], outfile: bundle });
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('has no node_modules folder above it to lean on', () => {
      const reachable: string[] = [];
      for (let d = dir; ; d = dirname(d)) {
        if (existsSync(join(d, 'node_modules'))) reachable.push(join(d, 'node_modules'));
        if (dirname(d) === d) break;
      }
      expect(reachable).toEqual([]);
    });

    it('echoes, serves /stats, its page and the client script, and on SIGTERM closes WebSockets with 1001 and exits 0', async () => {
      const child = spawn(process.execPath, [bundle, '--ping-interval', '500ms'], {
        cwd: dir,
        env: { ...env, SOCKETIO_PORT: '0', SOCKETIO_HOST: '127.0.0.1', SOCKETIO_REPLICA_ID: 'bundled' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      try {
        const url = await new Promise<string>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no listening line within 5 s; stderr: ${stderr}`)), 5000);
          child.stdout.on('data', (c: Buffer) => {
            stdout += c.toString();
            const match = /socket\.io server listening on (http:\/\/\S+) {2}\(socket\.io at \/socket\.io\/, replica bundled\)/.exec(stdout);
            if (match?.[1]) {
              clearTimeout(timer);
              resolve(match[1]);
            }
          });
          child.once('exit', (code) => reject(new Error(`exited ${code} before listening; stderr: ${stderr}`)));
        });
        expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        const c = await connectSocketio(url);
        expect((await c.waitForTransport('websocket', 1500)).transport).toBe('websocket');
        expect((await c.echo('from the bundle')).reply).toBe('from the bundle');
        expect(Buffer.compare((await c.echo(Buffer.from([7, 8, 9]))).reply, Buffer.from([7, 8, 9]))).toBe(0);
        const stats = (await (await fetch(`${url}/stats`)).json()) as SocketioStats;
        expect(stats).toMatchObject({ replica: 'bundled', sessions: { open: 1, total: 1 }, messagesEchoed: 2, upgrades: 1 });
        const page = await (await fetch(`${url}/`)).text();
        expect(page).toContain('<script src="/socket.io/socket.io.min.js"></script>');
        const script = await fetch(`${url}/socket.io/socket.io.min.js`);
        expect(script.status).toBe(200);
        expect(script.headers.get('x-replica')).toBe('bundled');
        expect(await script.text()).toMatch(/^\/\*!\n \* Socket\.IO v4\.8\./);
        const ended = c.disconnected();
        const started = Date.now();
        child.kill('SIGTERM');
        expect(await ended).toMatchObject({ reason: 'transport close', closeCode: 1001 });
        const code = await exited;
        const took = Date.now() - started;
        console.log(`shutdown: bundled socket.io server exited ${code} ${took} ms after SIGTERM`);
        expect(code).toBe(0);
        expect(took).toBeLessThan(STOP_BOUND_MS);
        expect(stderr).toBe('');
        expect(stdout).toMatch(/connect \S+ via polling from 127\.0\.0\.1/);
        expect(stdout).toMatch(/upgrade \S+ polling -> websocket/);
        expect(stdout).toMatch(/shutting down: disconnecting 1 session\(s\), closing 1 WebSocket\(s\) with 1001/);
        // engine.io's reason on the server side: the session ended with the HTTP server's close.
        expect(stdout).toMatch(/disconnect \S+ on websocket: (transport close|forced close)/);
        expect(stdout).toMatch(/socket\.io server stopped after SIGTERM in \d+ ms/);
      } finally {
        child.kill('SIGKILL');
      }
    });

    it('exits 2 with a message naming the option on a bad value', async () => {
      const child = spawn(process.execPath, [bundle], { cwd: dir, env: { ...env, SOCKETIO_TRANSPORTS: 'smoke-signals' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(2);
      expect(stderr).toContain('SOCKETIO_TRANSPORTS');
      expect(stderr).toContain('"smoke-signals"');
    });
  });
});
