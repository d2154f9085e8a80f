/**
 * When the app is down or fails: the front answers 502 itself (X-Front) before a handshake,
 * drops the client (1006) after one, refuses malformed requests with 400, and keeps serving.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpFrontHandle } from '../../../proxy/front.js';
import { FRONT_IDENTITY } from '../../../proxy/identity.js';
import { closed, connect, discard, open } from '../../../src/scenarios/check-helpers/client.js';
import { freePort } from '../../../src/free-port.js';
import { expectEchoed, rawExchange, startQuietFront, startSilentApp, startUpstream, type TestUpstream } from './upstream.js';

describe('the app is unreachable', () => {
  let front: HttpFrontHandle;
  let target: string;

  beforeAll(async () => {
    target = `http://127.0.0.1:${await freePort()}`;
    front = await startQuietFront({ target });
  });
  afterAll(() => front.close());

  it('answers a handshake with its own 502 (X-Front), naming the target', async () => {
    const outcome = await connect(front.wsUrl());
    discard(outcome.socket);
    expect(outcome.status).toBe(502);
    expect(outcome.headers['x-front']).toBe(FRONT_IDENTITY);
    expect(outcome.headers.connection).toBe('close');
    expect(outcome.body).toContain(target);
  });

  it('answers a plain GET with its own 502 (X-Front), naming the target', async () => {
    const res = await fetch(`${front.url}/healthz`);
    expect(res.status).toBe(502);
    expect(res.headers.get('x-front')).toBe(FRONT_IDENTITY);
    expect(await res.text()).toContain(target);
  });

  it('keeps answering 502 (it did not crash), and a front for a live app serves as usual', async () => {
    expect((await connect(front.wsUrl())).status).toBe(502);
    expect((await fetch(front.url)).status).toBe(502);
    const upstream = await startUpstream();
    const good = await startQuietFront({ target: upstream.url });
    try {
      await expectEchoed(good.wsUrl(), 'still serving');
    } finally {
      await good.close();
      await upstream.close();
    }
  });

  it('answers 502 while its app is down, and serves again once the app is back on the same port', async () => {
    const first = await startUpstream();
    const front2 = await startQuietFront({ target: first.url });
    try {
      await expectEchoed(front2.wsUrl(), 'still serving');
      await first.close();
      expect((await connect(front2.wsUrl())).status).toBe(502);
      const back = await startUpstream(first.port);
      try {
        await expectEchoed(front2.wsUrl(), 'still serving');
        expect(back.upgrades).toBe(1);
      } finally {
        await back.close();
      }
    } finally {
      await front2.close();
    }
  });
});

describe('the app accepts but never answers', () => {
  it('answers the handshake with its own 504 (X-Front) at the idle timeout, again and again', async () => {
    const app = await startSilentApp();
    const front = await startQuietFront({ target: app.url, idleTimeout: 500 });
    try {
      for (let i = 0; i < 2; i++) {
        const started = performance.now();
        const outcome = await connect(front.wsUrl(), { timeoutMs: 5_000 });
        const after = performance.now() - started;
        discard(outcome.socket);
        expect(outcome.status).toBe(504);
        expect(outcome.headers['x-front']).toBe(FRONT_IDENTITY);
        expect(outcome.body).toContain(app.url);
        expect(after).toBeGreaterThanOrEqual(480);
        expect(after).toBeLessThanOrEqual(1_500);
      }
    } finally {
      await front.close();
      await app.close();
    }
  });
});

describe('the app fails mid-connection', () => {
  let upstream: TestUpstream;
  let front: HttpFrontHandle;

  beforeAll(async () => {
    upstream = await startUpstream();
    front = await startQuietFront({ target: upstream.url });
  });
  afterAll(async () => {
    await front.close();
    await upstream.close();
  });

  it('drops the client with 1006 when the app’s socket is destroyed, then serves new connections', async () => {
    const ws = await open(front.wsUrl());
    const done = closed(ws, 3_000);
    upstream.dropConnections();
    const cut = await done;
    expect(cut?.code).toBe(1006);
    await expectEchoed(front.wsUrl(), 'still serving');
  });

  it('drops the client with 1006 when the app resets the connection (RST), then serves new connections', async () => {
    const ws = await open(front.wsUrl());
    const done = closed(ws, 3_000);
    upstream.resetConnections();
    expect((await done)?.code).toBe(1006);
    await expectEchoed(front.wsUrl(), 'still serving');
  });
});

describe('malformed requests', () => {
  it('are refused with the front’s own 400 (X-Front), and the front keeps serving', async () => {
    const upstream = await startUpstream();
    const front = await startQuietFront({ target: upstream.url });
    try {
      const reply = await rawExchange(front.port, 'NOT A REQUEST\r\n\r\n');
      expect(reply).toMatch(/^HTTP\/1\.1 400 /);
      expect(reply).toContain(`X-Front: ${FRONT_IDENTITY}`);
      await expectEchoed(front.wsUrl(), 'still serving');
    } finally {
      await front.close();
      await upstream.close();
    }
  });
});
