/** `ws-proxy-bench front`: help, refusals with exit code 2, and a real start/stop on SIGTERM. */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runFrontCommand } from '../../../proxy/cli.js';
import { discard, nextMessage, open } from '../../../src/scenarios/check-helpers/client.js';
import { startUpstream } from './upstream.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('ws-proxy-bench front', () => {
  it('--help prints every option and returns 0', async () => {
    const out = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(await runFrontCommand(['--help'])).toBe(0);
    const text = out.mock.calls.map((c) => String(c[0])).join('\n');
    for (const flag of ['--target', '--host', '--port', '--idle-timeout', '--forwarded-headers', '--websocket']) expect(text).toContain(flag);
    expect(text).toContain('FRONT_WEBSOCKET');
  });

  it.each([
    [['--websocket', 'sometimes'], /--websocket.*"sometimes".*one of on, off/],
    [['--idle-timeout', 'forever'], /--idle-timeout.*"forever"/],
    [['--target', 'ftp://echo'], /--target.*an http:\/\/ URL/],
    [['--bogus'], /^front: unknown option '--bogus'/],
    [['--idle-timeout', '30'], /^front: --idle-timeout 30: give a unit, e\.g\. 30s or 30ms$/],
    [['--tls-cert', 'x.pem'], /^front: --tls-cert and --tls-key go together/],
  ])('refuses %j on stderr and returns 2', async (argv, message) => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await runFrontCommand(argv)).toBe(2);
    expect(err).toHaveBeenCalledTimes(1);
    expect(String(err.mock.calls[0]?.[0])).toMatch(message);
    expect(String(err.mock.calls[0]?.[0])).not.toMatch(/front: .*front: /);
  });

  it('on a port in use says so, naming the port and the fix, and returns 1 (as serve does)', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(await runFrontCommand(['--port', String(port), '--target', 'http://127.0.0.1:1'])).toBe(1);
      expect(err).toHaveBeenCalledTimes(1);
      expect(String(err.mock.calls[0]?.[0])).toBe(
        `http-front: port ${port} on 127.0.0.1 is already in use; stop what is listening there or choose another port with --port / FRONT_PORT (0 picks a free one)`,
      );
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('starts, announces itself, proxies, and returns 0 on SIGTERM', async () => {
    const upstream = await startUpstream();
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: unknown) => { lines.push(String(line)); });
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const listeners = process.listenerCount('SIGTERM');
    const running = runFrontCommand(['--port', '0', '--target', upstream.url, '--idle-timeout', '2s', '--websocket', 'off']);
    try {
      await vi.waitFor(() => expect(lines.some((l) => l.startsWith('http-front listening'))).toBe(true));
      const banner = lines.find((l) => l.startsWith('http-front listening')) ?? '';
      expect(banner).toMatch(new RegExp(`^http-front listening on http://127\\.0\\.0\\.1:\\d+ -> ${upstream.url} \\(websocket off, idle timeout 2s\\)$`));
      const port = /:(\d+) ->/.exec(banner)?.[1];
      const ws = await open(`ws://127.0.0.1:${port}/ws`);
      const reply = nextMessage(ws);
      ws.send('via the cli');
      expect((await reply).data.toString()).toBe('via the cli');
      discard(ws);
      expect(upstream.upgrades).toBe(1);
      await expect.poll(() => upstream.openWebSockets()).toBe(0);
    } finally {
      process.emit('SIGTERM', 'SIGTERM');
      expect(await running).toBe(0);
      expect(process.listenerCount('SIGTERM')).toBe(listeners);
      await upstream.close();
    }
  });
});
