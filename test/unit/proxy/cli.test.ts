/** `ws-proxy-bench front`: help, refusals with exit code 2, and a real start/stop on SIGTERM. */
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
    [['--bogus'], /unknown option '--bogus'/],
  ])('refuses %j on stderr and returns 2', async (argv, message) => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await runFrontCommand(argv)).toBe(2);
    expect(String(err.mock.calls[0]?.[0])).toMatch(message);
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
