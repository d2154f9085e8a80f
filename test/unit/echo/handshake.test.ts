import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRODUCT } from '../../../src/version.js';
import type { EchoServerHandle } from '../../../src/echo/server.js';
import { closed, echo, openClient, rawExchange, startQuietServer, upgradeRequest } from './helpers.js';

describe('echo server handshake gate', () => {
  let server: EchoServerHandle;
  beforeAll(async () => {
    server = await startQuietServer({ subprotocols: ['echo.v1'] });
  });
  afterAll(() => server.close());

  async function stillEchoes(): Promise<void> {
    const ws = await openClient(server.wsUrl);
    const reply = await echo(ws, 'still here', false);
    expect(reply.data.toString()).toBe('still here');
    ws.close();
    await closed(ws);
  }

  it('answers 101 with the identity header', async () => {
    const res = await rawExchange(server.port, upgradeRequest('/ws'), 300);
    expect(res.status).toBe(101);
    expect(res.headers['x-echo-server']).toBe(PRODUCT);
    expect(PRODUCT).toMatch(/^ws-proxy-bench\/\d+\.\d+\.\d+/);
  });

  it('answers a plain GET on the WebSocket path with 400', async () => {
    const res = await fetch(`${server.url}/ws`);
    expect(res.status).toBe(400);
    expect(res.headers.get('x-echo-server')).toBe(PRODUCT);
  });

  it('refuses an upgrade on another path with 404, the identity header, and a closed socket', async () => {
    const started = Date.now();
    const res = await rawExchange(server.port, upgradeRequest('/elsewhere'));
    expect(res.status).toBe(404);
    expect(res.headers['x-echo-server']).toBe(PRODUCT);
    expect(res.headers.connection).toBe('close');
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.body));
    expect(res.closedByServer).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
    await stillEchoes();
  });

  it('refuses a disallowed Origin with 403 and accepts an allowed one', async () => {
    const guarded = await startQuietServer({ allowedOrigins: ['https://allowed.example'] });
    try {
      for (const headers of [{ Origin: 'https://evil.example' }, {}]) {
        const res = await rawExchange(guarded.port, upgradeRequest('/ws', headers));
        expect(res.status).toBe(403);
        expect(res.headers['x-echo-server']).toBe(PRODUCT);
        expect(res.closedByServer).toBe(true);
      }
      const ok = await openClient(guarded.wsUrl, { origin: 'https://allowed.example:443' });
      ok.close();
      await closed(ok);
    } finally {
      await guarded.close();
    }
  });

  it.each([
    ['no Sec-WebSocket-Key', upgradeRequest('/ws', { 'Sec-WebSocket-Key': undefined }), 400],
    ['a bad Sec-WebSocket-Key', upgradeRequest('/ws', { 'Sec-WebSocket-Key': 'short' }), 400],
    ['Sec-WebSocket-Version: 12', upgradeRequest('/ws', { 'Sec-WebSocket-Version': '12' }), 400],
    ['method POST', upgradeRequest('/ws', { 'Content-Length': '0' }, 'POST'), 405],
    // What nginx sends upstream without proxy_http_version 1.1 (RFC 6455 §4.1 asks for 1.1+).
    ['HTTP/1.0', upgradeRequest('/ws').replace(' HTTP/1.1\r\n', ' HTTP/1.0\r\n'), 400],
    ['a malformed Sec-WebSocket-Protocol', upgradeRequest('/ws', { 'Sec-WebSocket-Protocol': 'a b,,' }), 400],
  ])('refuses a handshake with %s (%s) and keeps serving', async (_name, request, status) => {
    const res = await rawExchange(server.port, request);
    expect(res.status).toBe(status);
    expect(res.headers['x-echo-server']).toBe(PRODUCT);
    expect(res.closedByServer).toBe(true);
    if (request.includes('Version: 12')) expect(res.headers['sec-websocket-version']).toBe('13');
    await stillEchoes();
  });

  it('selects a configured subprotocol, and proceeds without one when none matches', async () => {
    const matching = await openClient(server.wsUrl, { headers: {} }).then(async (ws) => {
      ws.close();
      await closed(ws);
      return ws.protocol;
    });
    expect(matching).toBe('');
    const chosen = await new Promise<string>((resolve, reject) => {
      import('ws').then(({ WebSocket }) => {
        const ws = new WebSocket(server.wsUrl, ['other', 'echo.v1']);
        ws.once('open', () => { resolve(ws.protocol); ws.close(); });
        ws.once('error', reject);
      }, reject);
    });
    expect(chosen).toBe('echo.v1');
    const res = await rawExchange(server.port, upgradeRequest('/ws', { 'Sec-WebSocket-Protocol': 'unknown.v9' }), 300);
    expect(res.status).toBe(101);
    expect(res.headers['sec-websocket-protocol']).toBeUndefined();
  });

  it('counts every upgrade that reaches the gate and records its headers', async () => {
    const before = server.stats().upgradesReceived;
    await rawExchange(server.port, upgradeRequest('/nope', { 'X-Probe': 'one' }));
    await rawExchange(server.port, upgradeRequest('/ws', { 'X-Probe': 'two' }), 300);
    const stats = server.stats();
    expect(stats.upgradesReceived).toBe(before + 2);
    expect(stats.lastUpgradeHeaders?.['x-probe']).toBe('two');
  });
});
