/**
 * The library's checks: their pure verdicts (pass and fail), and the functions themselves
 * against the echo app behind the in-process http-front (no Docker), whose idle timeout is short.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import { startEchoServer, type EchoServerHandle } from '../../../src/echo/server.js';
import {
  echoFidelity, idleCut, judgeAnsweredBy, judgeEcho, judgeIdle, judgePingHold, staysOpenWithPings, upgradeAnsweredBy,
} from '../../../src/library/checks.js';
import { startHttpFront, type HttpFrontHandle } from '../../../proxy/front.js';

describe('verdicts', () => {
  const seen = (cutAt?: number, code = 1006) => ({ requestSentAt: 0, responseAt: 5, now: 5_000, serverPings: 0, ...(cutAt !== undefined ? { cut: { at: cutAt, code } } : {}) });

  it('idle: a cut inside the window passes; too early, too late or none fails; without an expectation any cut passes', () => {
    expect(judgeIdle(seen(1_010), 1_000, 300, 1_600)).toMatchObject({ ok: true, cut: true, cutAfterMs: 1_010, cutAfter101Ms: 1_005, closeCode: 1006, expectMs: 1_000 });
    expect(judgeIdle(seen(900), 1_000, 300, 1_600).ok).toBe(false);
    expect(judgeIdle(seen(1_400), 1_000, 300, 1_600)).toMatchObject({ ok: false, detail: expect.stringContaining('no later than 1.30 s after its 101 arrived') });
    expect(judgeIdle(seen(), 1_000, 300, 1_600)).toMatchObject({ ok: false, cut: false, detail: expect.stringContaining('still open') });
    expect(judgeIdle(seen(2_000, 1000), undefined, 300, 5_000)).toMatchObject({ ok: true, cutAfterMs: 2_000, closeCode: 1000 });
    expect(judgeIdle(seen(), undefined, 300, 5_000)).toMatchObject({ ok: false, detail: 'expected a cut within 5.00 s; saw the connection still open' });
    expect(judgeIdle({ ...seen(), serverPings: 3 }, undefined, 300, 5_000).detail).toContain('the far end sent 3 pings meanwhile');
  });

  it('pings hold: open with pongs back passes; a cut, or no pong at all, fails', () => {
    const report = { intervalMs: 500, holdMs: 3_000, held: true, heldMs: 3_001, pingsSent: 5, pongsReceived: 5 };
    expect(judgePingHold(report, 1_000)).toMatchObject({ ok: true, held: true, pingsSent: 5, pongsReceived: 5 });
    expect(judgePingHold(report, 1_000).detail).toContain('(3.0 × the 1.00 s idle timeout)');
    expect(judgePingHold({ ...report, pongsReceived: 0 }).ok).toBe(false);
    const cut = judgePingHold({ ...report, held: false, heldMs: 1_200, cut: { afterMs: 1_200, code: 1006, reason: '', how: 'tcp-close', closedBy: 'far end' } });
    expect(cut).toMatchObject({ ok: false, cutAfterMs: 1_200, closeCode: 1006, cutHow: 'tcp-close' });
    expect(cut.detail).toContain('saw a cut after 1.20 s with 1006 (tcp-close)');
  });

  it('answered by: 101 with the identity header (and value) asked for', () => {
    const headers = { 'x-chat-server': 'own-app-chat/1', server: 'nginx/1.27.3' };
    expect(judgeAnsweredBy(101, headers, { header: 'X-Chat-Server', value: /^own-app/ })).toEqual({ ok: true, identity: 'own-app-chat/1', detail: 'expected 101 with X-Chat-Server: /^own-app/; saw 101, X-Chat-Server: own-app-chat/1, Server: nginx/1.27.3' });
    expect(judgeAnsweredBy(101, headers, { header: 'X-Chat-Server', value: 'other' }).ok).toBe(false);
    expect(judgeAnsweredBy(101, { server: 'nginx' }, { header: 'X-Chat-Server' })).toMatchObject({ ok: false, detail: 'expected 101 with X-Chat-Server; saw 101, no X-Chat-Server, Server: nginx' });
    expect(judgeAnsweredBy(502, headers, { header: 'X-Chat-Server' }).ok).toBe(false);
    expect(judgeAnsweredBy(0, {}, {}, 'ECONNREFUSED')).toMatchObject({ ok: false, detail: 'expected 101; saw no response (ECONNREFUSED)' });
    expect(judgeAnsweredBy(101, {}, {}).ok).toBe(true);
  });

  it('echo: every message back the same passes; a difference, a missing one or nothing planned fails', () => {
    const good = { kind: 'text' as const, bytes: 5, same: true, got: { kind: 'text' as const, bytes: 5 } };
    expect(judgeEcho([good, good], 2)).toEqual({ ok: true, detail: 'expected 2 messages back byte for byte, same kind; saw 2 of 2 back unchanged' });
    expect(judgeEcho([good, { kind: 'binary', bytes: 126, same: false, got: { kind: 'text', bytes: 126 } }], 2).detail).toContain('binary 126 B: text 126 B');
    expect(judgeEcho([{ kind: 'binary', bytes: 4, same: false, got: { kind: 'binary', bytes: 4 } }], 1).detail).toContain('binary 4 B: binary 4 B, different bytes');
    expect(judgeEcho([{ kind: 'text', bytes: 5, same: false, error: 'no message within 100 ms' }], 3)).toMatchObject({ ok: false, detail: expect.stringContaining('0 of 3 back unchanged; text 5 B: no message within 100 ms') });
    expect(judgeEcho([], 0).ok).toBe(false);
  });
});

// The front, its idle timer and the client's timers share this process's event loop: a stall of
// the loop (a collection, a starved worker) delays them all at once, and when it ends the timers
// phase runs every expired timer before any socket is read. So each timing claim here keeps a
// margin of most of a second over what it measures: a client pinging every 200 ms against a
// 1 s timeout holds unless the loop stalls 800 ms. With a 600 ms timeout a full unit run failed
// here once (the margins were 400 and 500 ms).
describe('the checks through the in-process http-front (idle timeout 1 s)', () => {
  const T = 1_000;
  let app: EchoServerHandle;
  let front: HttpFrontHandle;
  beforeAll(async () => {
    app = await startEchoServer({ port: 0, keepAliveInterval: 0 }, { logSink: () => {} });
    front = await startHttpFront({ port: 0, target: app.url, idleTimeout: T, log: () => {} });
  });
  afterAll(async () => { await front?.close(); await app?.close(); });
  const target = () => ({ url: front.wsUrl('/ws'), idleTimeoutMs: T });

  it('idleCut sees the front cut at its timeout, and fails against a wrong expectation', async () => {
    const [right, wrong] = await Promise.all([idleCut(target(), { toleranceMs: 800 }), idleCut(front.wsUrl('/ws'), { expectMs: 3_000, toleranceMs: 300 })]);
    expect(right.ok, right.detail).toBe(true);
    expect(right.cutAfterMs).toBeGreaterThanOrEqual(T - 20);
    expect(wrong).toMatchObject({ ok: false, cut: true });
    expect(wrong.detail).toContain('no sooner than 3.00 s after the handshake request was sent');
  });

  it('staysOpenWithPings holds past the timeout with pings, and says so when pings come too rarely', async () => {
    const [held, cut] = await Promise.all([
      staysOpenWithPings(target(), { pingIntervalMs: 200, holdMs: 2 * T }),
      staysOpenWithPings(front.wsUrl('/ws'), { pingIntervalMs: 2_000, holdMs: 2_500 }),
    ]);
    expect(held.ok, held.detail).toBe(true);
    expect(held.pongsReceived).toBeGreaterThan(0);
    expect(cut).toMatchObject({ ok: false, held: false, closeCode: 1006 });
  });

  it('upgradeAnsweredBy names the app behind the front by its header; a refused handshake is a result', async () => {
    const r = await upgradeAnsweredBy(target(), { header: 'X-Echo-Server', value: /^ws-proxy-bench\// });
    expect(r.ok, r.detail).toBe(true);
    expect(r.headers['x-echo-server']).toBe(r.identity);
    const refused = await upgradeAnsweredBy(front.wsUrl('/nowhere'), { header: 'X-Echo-Server' });
    expect(refused.ok).toBe(false);
    expect(refused.status).toBeGreaterThanOrEqual(400);
  });

  it('echoFidelity: text and binary of every length encoding come back the same', async () => {
    const r = await echoFidelity(target(), { messages: ['ü ✓', new Uint8Array([0, 255])], sizes: [0, 125, 126, 65_536] });
    expect(r.ok, r.detail).toBe(true);
    expect(r.messages.map((m) => `${m.kind} ${m.bytes}`)).toEqual(['text 6', 'binary 2', 'binary 0', 'binary 125', 'binary 126', 'binary 65536']);
  });
});

describe('echoFidelity against an app that does not echo faithfully', () => {
  let wss: WebSocketServer;
  let url: string;
  beforeAll(async () => {
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    // Answers every message as text, upper-cased: binary turns to text.
    wss.on('connection', (ws) => ws.on('message', (data) => ws.send(data.toString().toUpperCase())));
    url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => { for (const c of wss.clients) c.terminate(); wss.close(() => resolve()); }));

  it('reports which messages came back different', async () => {
    const r = await echoFidelity(url, { messages: ['abc'], sizes: [4] });
    expect(r.ok).toBe(false);
    expect(r.messages).toMatchObject([{ kind: 'text', same: false, got: { kind: 'text', bytes: 3 } }, { kind: 'binary', same: false, got: { kind: 'text' } }]);
  });
});

describe('option checks', () => {
  it('throw for options that cannot be right', async () => {
    await expect(idleCut('ws://127.0.0.1:1/')).rejects.toThrow(/idleCut needs an expectation/);
    await expect(idleCut('http://x/', { maxIdleMs: 10 })).rejects.toThrow(/a check needs a ws:\/\/ or wss:\/\/ URL/);
    await expect(staysOpenWithPings('ws://127.0.0.1:1/')).rejects.toThrow(/needs pingIntervalMs and holdMs/);
    await expect(staysOpenWithPings({ url: 'ws://127.0.0.1:1/', idleTimeoutMs: 1_000 }, { holdMs: 900 })).rejects.toThrow(/must be longer than the idle timeout/);
    await expect(staysOpenWithPings('ws://127.0.0.1:1/', { pingIntervalMs: 500, holdMs: 400 })).rejects.toThrow(/must be shorter than holdMs/);
    await expect(echoFidelity('ws://127.0.0.1:1/', { messages: [], sizes: [] })).rejects.toThrow(/nothing to send/);
    await expect(echoFidelity('ws://127.0.0.1:1/', { sizes: [-1] })).rejects.toThrow(/sizes must be whole numbers/);
    await expect(upgradeAnsweredBy('ws://127.0.0.1:1/', { header: 'bad header' })).rejects.toThrow(/is not a header name/);
  });

  it('return a result, not an error, when nothing answers', async () => {
    const r = await idleCut('ws://127.0.0.1:1/', { maxIdleMs: 100 });
    expect(r).toMatchObject({ ok: false, status: 0 });
    expect(r.detail).toMatch(/handshake got no response/);
    expect((await staysOpenWithPings('ws://127.0.0.1:1/', { pingIntervalMs: 50, holdMs: 100 })).ok).toBe(false);
    expect((await echoFidelity('ws://127.0.0.1:1/')).ok).toBe(false);
  });
});
