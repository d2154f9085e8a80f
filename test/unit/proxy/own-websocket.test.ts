/** Front WebSocket handling on: the front answers the upgrade and echoes; the app never sees it. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FRONT_IDENTITY } from '../../../proxy/identity.js';
import { connect, discard } from '../../../src/scenarios/check-helpers/client.js';
import { VERSION } from '../../../src/version.js';
import { expectCloseMirrored, expectEchoed, rawExchange, useFrontOverUpstream } from './upstream.js';

describe('front WebSocket handling on (the front answers upgrades itself)', () => {
  const fx = useFrontOverUpstream('on');

  it('answers 101 with X-Front: http-front/<version>; the app’s upgrade count stays 0', async () => {
    const outcome = await connect(fx.front.wsUrl());
    discard(outcome.socket);
    expect(outcome.status).toBe(101);
    expect(outcome.headers['x-front']).toBe(`http-front/${VERSION}`);
    expect(outcome.headers['x-front']).toBe(FRONT_IDENTITY);
    expect(outcome.headers['x-echo-server']).toBeUndefined();
    expect(fx.upstream.upgrades).toBe(0);
  });

  it.each([
    ['text', Buffer.from('answered by the front ✓'), false],
    ['binary', randomBytes(4096), true],
    ['1 MiB binary', randomBytes(1024 * 1024), true],
  ] as const)('echoes a %s message itself, type kept', async (_name, payload, binary) => {
    await expectEchoed(fx.front.wsUrl('/any/path'), payload, binary, 10_000);
    expect(fx.upstream.upgrades).toBe(0);
  });

  it('mirrors a close code and reason', async () => {
    await expectCloseMirrored(fx.front.wsUrl());
  });

  it('refuses a malformed handshake itself: 400 with X-Front', async () => {
    const reply = await rawExchange(fx.front.port, 'GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    expect(reply).toContain(`X-Front: ${FRONT_IDENTITY}`);
    expect(fx.upstream.upgrades).toBe(0);
  });

  it('still proxies plain HTTP to the app', async () => {
    const res = await fetch(`${fx.front.url}/plain`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('upstream saw GET /plain');
  });
});
