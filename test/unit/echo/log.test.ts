import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/echo/log.js';
import { startEchoServer } from '../../../src/echo/server.js';
import { closed, openClient, rawExchange, upgradeRequest } from './helpers.js';

describe('echo server log', () => {
  it('writes one plain line per connection event', async () => {
    const lines: string[] = [];
    const server = await startEchoServer({ port: 0, keepAliveInterval: 0 }, { logSink: (l) => lines.push(l) });
    const ws = await openClient(server.wsUrl);
    const result = closed(ws);
    ws.close(4001, 'done');
    await result;
    await rawExchange(server.port, upgradeRequest('/other'));
    await server.close();
    const text = lines.join('\n');
    expect(text).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z open #1 from 127\.0\.0\.1 \/ws$/m);
    expect(text).toMatch(/ close #1 code 4001 reason "done"$/m);
    expect(text).toMatch(/ refused 404 GET \/other from 127\.0\.0\.1: /m);
    expect(text).toMatch(/ shutting down: closing 0 connection\(s\) with 1001$/m);
  });

  it("'quiet' leaves out every event about one connection and keeps the others", () => {
    const lines: string[] = [];
    const log = createLogger('quiet', (l) => lines.push(l));
    log({ event: 'open', id: 1, remote: '1.2.3.4', client: '1.2.3.4', path: '/ws' });
    log({ event: 'close', id: 1, code: 1000, reason: '' });
    log({ event: 'ping timeout', id: 2, intervalMs: 500 });
    log({ event: 'error', id: 3, message: 'x' });
    log({ event: 'refused', status: 404, reason: 'not here', remote: '1.2.3.4', method: 'GET', url: '/x' });
    log({ event: 'shutdown', code: 1001, connections: 0 });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/ refused 404 GET \/x /);
    expect(lines[1]).toMatch(/ shutting down: /);
  });

  it('writes JSON lines when asked', () => {
    const lines: string[] = [];
    const log = createLogger('json', (l) => lines.push(l));
    log({ event: 'ping timeout', id: 7, intervalMs: 500 });
    log({ event: 'open', id: 8, remote: '1.2.3.4', client: '1.2.3.4', path: '/ws' });
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed[0]).toMatchObject({ event: 'ping timeout', id: 7, intervalMs: 500 });
    expect(parsed[1]).toMatchObject({ event: 'open', id: 8, remote: '1.2.3.4', path: '/ws' });
    expect(typeof parsed[0]?.time).toBe('string');
  });

  it('logs a ping timeout', async () => {
    const lines: string[] = [];
    const server = await startEchoServer({ port: 0, keepAliveInterval: 100, logFormat: 'json' }, { logSink: (l) => lines.push(l) });
    const ws = await openClient(server.wsUrl, { autoPong: false });
    await closed(ws);
    await server.close();
    expect(lines.map((l) => JSON.parse(l) as { event: string }).filter((e) => e.event === 'ping timeout')).toHaveLength(1);
  });
});
