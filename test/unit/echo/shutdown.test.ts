import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { common, root } from '../../../scripts/build-options.mjs';
import { silentSink } from '../../../src/echo/log.js';
import { CLOSE_GRACE_MS, startEchoServer } from '../../../src/echo/server.js';
import { closed, echo, openClient, rawHandshake, startQuietServer } from './helpers.js';

describe('echo server shutdown', () => {
  it('closes every client with 1001 and resolves close() within 5 s', async () => {
    const server = await startQuietServer({ keepAliveInterval: 0 });
    const clients = await Promise.all([1, 2, 3].map(() => openClient(server.wsUrl)));
    await echo(clients[0]!, 'before', false);
    const results = clients.map((ws) => closed(ws));
    const started = Date.now();
    await server.close();
    const took = Date.now() - started;
    console.log(`shutdown: close() with 3 clients resolved in ${took} ms`);
    for (const r of await Promise.all(results)) expect(r).toEqual({ code: 1001, reason: 'server shutting down' });
    expect(took).toBeLessThan(5000);
    await expect(openClient(server.wsUrl)).rejects.toThrow();
  });

  it('terminates a client that does not answer the close, at the end of the grace period', async () => {
    const graceMs = 300; // the app's is CLOSE_GRACE_MS (2 s); the logic is the same
    const server = await startEchoServer({ host: '127.0.0.1', port: 0, keepAliveInterval: 0 }, { logSink: silentSink, closeGraceMs: graceMs });
    const raw = await rawHandshake(server.port);
    raw.socket.pause(); // never reads, never answers the close frame
    const started = performance.now();
    await server.close();
    const took = performance.now() - started;
    console.log(`shutdown: close() with an unresponsive client resolved in ${took.toFixed(0)} ms (grace ${graceMs} ms)`);
    // Not before the grace period, less what a Node timer may fire early by the clock read here:
    // under 2 ms (its loop clock is whole milliseconds, read from a clock up to 1 ms coarse);
    // and well within close()'s bound. A late timer or callback cannot shorten it: `started` is
    // read before close() arms its grace timer (it does so before its first await, and Node
    // counts a timer from a clock it reads as it arms it), and `took` after that timer fired.
    expect(took).toBeGreaterThanOrEqual(graceMs - 2);
    expect(took).toBeLessThan(CLOSE_GRACE_MS);
    raw.socket.destroy();
  });

  describe('the bundled container entry (dist/echo-server.mjs, built here)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'echo-bundle-'));
    const bundle = join(dir, 'echo-server.mjs');
    beforeAll(async () => {
      // The same esbuild options scripts/build.mjs uses for the container bundle.
      await build({ ...common, sourcemap: false, logLevel: 'error', entryPoints: [join(root, 'src/echo/main.ts')], outfile: bundle });
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('prints its port, echoes, and on SIGTERM closes clients with 1001 and exits 0 within 5 s', async () => {
      const child = spawn(process.execPath, [bundle, '--keep-alive-interval', '0'], {
        env: { ...process.env, ECHO_PORT: '0', ECHO_HOST: '127.0.0.1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      try {
        const wsUrl = await new Promise<string>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no listening line within 5 s; stderr: ${stderr}`)), 5000);
          child.stdout.on('data', (c: Buffer) => {
            stdout += c.toString();
            const match = /echo server listening on http:\/\/\S+ {2}\(WebSocket at (ws:\/\/\S+)\)/.exec(stdout);
            if (match?.[1]) {
              clearTimeout(timer);
              resolve(match[1]);
            }
          });
          child.once('exit', (code) => reject(new Error(`exited ${code} before listening; stderr: ${stderr}`)));
        });
        expect(wsUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ws$/);
        expect(wsUrl).not.toContain(':0/');
        const ws = await openClient(wsUrl);
        expect((await echo(ws, 'from the bundle', false)).data.toString()).toBe('from the bundle');
        const result = closed(ws);
        const started = Date.now();
        child.kill('SIGTERM');
        expect(await result).toEqual({ code: 1001, reason: 'server shutting down' });
        const code = await exited;
        const took = Date.now() - started;
        console.log(`shutdown: bundled server exited ${code} ${took} ms after SIGTERM`);
        expect(code).toBe(0);
        expect(took).toBeLessThan(5000);
        expect(stdout).toMatch(/open #1 from 127\.0\.0\.1 \/ws/);
        expect(stdout).toMatch(/close #1 code 1001/);
      } finally {
        child.kill('SIGKILL');
      }
    });

    it('exits 2 with a message naming the option on a bad value', async () => {
      const child = spawn(process.execPath, [bundle], { env: { ...process.env, ECHO_PORT: 'abc' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(2);
      expect(stderr).toContain('ECHO_PORT');
      expect(stderr).toContain('"abc"');
    });
  });
});
