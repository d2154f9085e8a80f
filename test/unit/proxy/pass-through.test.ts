/** Front WebSocket handling off: the upgrade reaches the app, which answers and echoes. */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpFrontHandle } from '../../../proxy/front.js';
import { connect, discard, nextMessage, open } from '../../../src/scenarios/check-helpers/client.js';
import { silentSink } from '../../../src/echo/log.js';
import { startEchoServer, type EchoServerHandle } from '../../../src/echo/server.js';
import { PRODUCT } from '../../../src/version.js';
import { expectCloseMirrored, expectEchoed, startQuietFront, useFrontOverUpstream } from './upstream.js';

describe('front WebSocket handling off (upgrades pass through to the app)', () => {
  const fx = useFrontOverUpstream('off');

  it('answers the handshake with the app’s 101 (its identity header, no X-Front) and the app counts one upgrade', async () => {
    const before = fx.upstream.upgrades;
    const outcome = await connect(fx.front.wsUrl());
    discard(outcome.socket);
    expect(outcome.status).toBe(101);
    expect(outcome.headers['x-echo-server']).toBe('test');
    expect(outcome.headers['x-front']).toBeUndefined();
    expect(fx.upstream.upgrades - before).toBe(1);
  });

  it.each([
    ['text', Buffer.from('hello through the front ✓'), false],
    ['binary', randomBytes(4096), true],
    ['1 MiB binary', randomBytes(1024 * 1024), true],
  ] as const)('echoes a %s message unchanged, type kept', async (_name, payload, binary) => {
    await expectEchoed(fx.front.wsUrl(), payload, binary, 10_000);
  });

  it('carries a close code and reason to the app and back', async () => {
    await expectCloseMirrored(fx.front.wsUrl());
  });

  it('adds X-Forwarded-For, -Proto (http, as for plain requests) and -Host to the upgrade the app sees', async () => {
    discard(await open(fx.front.wsUrl()));
    const headers = fx.upstream.lastUpgradeHeaders ?? {};
    expect(headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(headers['x-forwarded-proto']).toBe('http');
    expect(headers['x-forwarded-host']).toBe(`127.0.0.1:${fx.front.port}`);
  });

  it('proxies plain HTTP to the app, with forwarded headers and no X-Front', async () => {
    const res = await fetch(`${fx.front.url}/hello?x=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-front')).toBeNull();
    expect(await res.text()).toBe('upstream saw GET /hello?x=1');
    expect(fx.upstream.lastRequestHeaders?.['x-forwarded-proto']).toBe('http');
    expect(fx.upstream.lastRequestHeaders?.['x-forwarded-host']).toBe(`127.0.0.1:${fx.front.port}`);
  });

  it('adds no forwarded headers with forwardedHeaders: false', async () => {
    const plain = await startQuietFront({ target: fx.upstream.url, forwardedHeaders: false });
    try {
      discard(await open(plain.wsUrl()));
      expect(fx.upstream.lastUpgradeHeaders?.['x-forwarded-for']).toBeUndefined();
      expect(fx.upstream.lastUpgradeHeaders?.['x-forwarded-host']).toBeUndefined();
    } finally {
      await plain.close();
    }
  });
});

describe('front WebSocket handling off, in front of the project’s echo server', () => {
  let app: EchoServerHandle;
  let front: HttpFrontHandle;

  beforeAll(async () => {
    app = await startEchoServer({ host: '127.0.0.1', port: 0, keepAliveInterval: 0 }, { logSink: silentSink });
    front = await startQuietFront({ target: app.url });
  });
  afterAll(async () => {
    await front.close();
    await app.close();
  });

  it('the echo server answers (X-Echo-Server), counts the upgrade and sees the forwarded headers', async () => {
    const before = app.stats().upgradesReceived;
    const outcome = await connect(front.wsUrl());
    try {
      expect(outcome.status).toBe(101);
      expect(outcome.headers['x-echo-server']).toBe(PRODUCT);
      expect(outcome.headers['x-front']).toBeUndefined();
      const ws = outcome.socket;
      if (!ws) throw new Error('no socket');
      const reply = nextMessage(ws);
      ws.send('through the front');
      expect((await reply).data.toString()).toBe('through the front');
    } finally {
      discard(outcome.socket);
    }
    const stats = app.stats();
    expect(stats.upgradesReceived - before).toBe(1);
    expect(stats.lastUpgradeHeaders).toMatchObject({ 'x-forwarded-for': '127.0.0.1', 'x-forwarded-proto': 'http' });
  });

  it('relays the app’s own refusal of an upgrade (403 from the app, no X-Front), and keeps serving', async () => {
    const strict = await startEchoServer({ host: '127.0.0.1', port: 0, keepAliveInterval: 0, allowedOrigins: ['http://allowed.example'] }, { logSink: silentSink });
    const strictFront = await startQuietFront({ target: strict.url });
    try {
      const refused = await connect(strictFront.wsUrl(), { headers: { Origin: 'http://evil.example' } });
      discard(refused.socket);
      expect(refused.status).toBe(403);
      expect(refused.headers['x-echo-server']).toBe(PRODUCT);
      expect(refused.headers['x-front']).toBeUndefined();
      const accepted = await connect(strictFront.wsUrl(), { headers: { Origin: 'http://allowed.example' } });
      discard(accepted.socket);
      expect(accepted.status).toBe(101);
    } finally {
      await strictFront.close();
      await strict.close();
    }
  });
});
