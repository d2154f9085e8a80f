/**
 * `ws-proxy-bench probe`, in-process against the echo server, the http-proxy front with a 1.5 s
 * idle timeout, and a WebSocket server that never answers: what it finds, how it says so, its
 * exit codes and its refusals of bad flags. Each probe uses its own connections (nothing here
 * reads the app's counters), so the tests run side by side.
 */
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testTempDir } from '../../support/temp-dir.js';
import { WebSocketServer } from 'ws';
import { startHttpFront, type HttpFrontHandle } from '../../../proxy/front.js';
import { silentLog } from '../../../proxy/log.js';
import { selfSignedCertificate } from '../../../src/containers/tls.js';
import { startEchoServer, type EchoServerHandle } from '../../../src/echo/server.js';
import { runProbeCommand } from '../../../src/probe/cli.js';
import { pingHoldDuration } from '../../../src/probe/idle.js';
import { CLOCK_ALLOWANCE_MS } from '../../../src/scenarios/checks/idle.js';
import { formatReport, type ProbeReport } from '../../../src/probe/report.js';
import { seconds } from '../../../src/scenarios/check-helpers/result.js';

// 1.5 s: the pings (every 300 or 400 ms, or a third of the cut: 500 ms) keep a connection open
// unless this process (the front's too) stalls for a second; it stalls 500–600 ms at times.
const IDLE_MS = 1_500;
const PING_EVERY = '300ms';
/**
 * The cut is judged from both ends of the bracket the front's idle timer started in: counted from
 * the last byte the probe sent (the handshake request, the last messages), at least the timeout
 * (less the clock allowance the idle check uses); counted from the last byte it received (the 101,
 * the last echo), at most a second late (the loop stalls 500–600 ms at times).
 */
const CUT_MIN_MS = IDLE_MS - CLOCK_ALLOWANCE_MS;
const CUT_MAX_MS = IDLE_MS + 1_000;
/** A cut as the text says it: "cut after 1.00 s" or, where the two ends read differently, "cut after 0.95 s (1.01 s from …)". */
const CUT_TEXT = /cut after (\d+\.\d\d) s(?: \((\d+\.\d\d) s from [^)]+\))?/;

/** The cut's two figures in a report's text, as written (the second is the first when the text gives one). */
function cutInText(text: string, before: string): { after: string; afterSent: string } {
  const m = new RegExp(`${before}${CUT_TEXT.source}`, 'm').exec(text);
  expect(m, text).not.toBeNull();
  const after = `${m?.[1]} s`;
  return { after, afterSent: m?.[2] !== undefined ? `${m[2]} s` : after };
}
const ms = (written: string): number => 1000 * Number.parseFloat(written);

const quiet = { logSink: () => {} };

async function runProbe(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runProbeCommand(argv, { env: {}, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function probeJson(argv: string[]): Promise<{ code: number; report: ProbeReport; err: string }> {
  const r = await runProbe([...argv, '--json']);
  return { code: r.code, report: JSON.parse(r.out) as ProbeReport, err: r.err };
}

describe.concurrent('probe', () => {
  let app: EchoServerHandle;
  let negotiating: EchoServerHandle;
  let front: HttpFrontHandle;
  let silent: { server: Server; wss: WebSocketServer; url: string };

  beforeAll(async () => {
    app = await startEchoServer({ port: 0, keepAliveInterval: 0 }, quiet);
    negotiating = await startEchoServer({ port: 0, keepAliveInterval: 0, subprotocols: ['chat.v2', 'chat.v1'], perMessageDeflate: true }, quiet);
    front = await startHttpFront({ port: 0, idleTimeout: IDLE_MS, log: silentLog, target: app.url, websocket: 'off' });
    const server = createServer();
    const wss = new WebSocketServer({ server });
    wss.on('connection', (ws) => ws.on('message', () => { /* never answers */ }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    silent = { server, wss, url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/` };
  });

  afterAll(async () => {
    await front?.close();
    await Promise.all([app?.close(), negotiating?.close()]);
    for (const c of silent?.wss.clients ?? []) c.terminate();
    await new Promise((r) => silent?.wss.close(r));
    await new Promise((r) => silent?.server.close(r));
  });

  it('reports the handshake, who answered and the echo round trip (JSON shape)', async () => {
    const { code, report } = await probeJson([app.wsUrl, '--max-idle', '0', '--echo-count', '5']);
    expect(code).toBe(0);
    expect(report.url).toBe(app.wsUrl);
    expect(report.handshake).toMatchObject({ ok: true, status: 101, answeredBy: 'app', subprotocol: '', extensions: '' });
    expect(report.handshake.identity.echoServer).toMatch(/^ws-proxy-bench\//);
    expect(report.handshake.headers.upgrade?.toLowerCase()).toBe('websocket');
    expect(report.echo).toMatchObject({ echoes: true, sent: 5, echoed: 5 });
    const rtt = report.echo?.roundTripMs;
    expect(rtt && rtt.min <= rtt.median && rtt.median <= rtt.max && rtt.max < 1_000).toBe(true);
    expect(report.idle).toBeUndefined();
    expect(report.notes.join(' ')).toMatch(/--max-idle 0/);
  });

  it('shows the subprotocol and extensions the far end agreed to', async () => {
    const { report } = await probeJson([negotiating.wsUrl, '--max-idle', '0', '--protocol', 'chat.v1', '--protocol=chat.v2', '--deflate']);
    expect(report.offered).toEqual({ protocols: ['chat.v1', 'chat.v2'], deflate: true });
    expect(report.handshake.subprotocol).toBe('chat.v2');
    expect(report.handshake.extensions).toMatch(/^permessage-deflate/);
    const none = await runProbe([negotiating.wsUrl, '--max-idle', '0', '--echo-count', '1']);
    expect(none.out).toMatch(/subprotocol\s+none \(none offered\)/);
    expect(none.out).toMatch(/extensions\s+none \(none offered/);
    // Offered, but the far end picks none: the client (like a browser) refuses the 101.
    const plain = await runProbe([app.wsUrl, '--max-idle', '0', '--protocol', 'chat.v1']);
    expect(plain.code).toBe(1);
    expect(plain.out).toMatch(/handshake\s+FAILED: 101 \(the client refused the 101: Server sent no subprotocol\)/);
  });

  it(`finds the front's ${IDLE_MS} ms idle cut, then shows that pings every third of it keep a connection open`, async () => {
    const started = performance.now();
    const { code, report } = await probeJson([front.wsUrl('/ws'), '--max-idle', '5s', '--echo-count', '3']);
    const tookMs = performance.now() - started;
    expect(code).toBe(0);
    expect(report.echo?.echoes).toBe(true);
    const cut = report.idle?.cut;
    console.log(`  idle cut after ${cut?.afterMs.toFixed(0)} ms (${cut?.how}, ${cut?.code}); pings: ${JSON.stringify(report.pings)}`);
    expect(cut?.afterSentMs).toBeGreaterThanOrEqual(CUT_MIN_MS);
    expect(cut?.afterSentMs).toBeGreaterThanOrEqual(cut?.afterMs ?? Infinity);
    expect(cut?.afterMs).toBeLessThanOrEqual(CUT_MAX_MS);
    expect(cut?.code).toBe(1006);
    expect(['tcp-close', 'tcp-reset']).toContain(cut?.how);
    expect(report.pings?.held).toBe(true);
    expect(report.pings?.intervalMs).toBeCloseTo((cut?.afterMs ?? 0) / 3, -1);
    // Held for the hold it names, by the clock it measures with.
    expect(report.pings?.holdMs).toBe(pingHoldDuration(cut?.afterMs ?? 0));
    expect(report.pings?.heldMs).toBeGreaterThanOrEqual(report.pings?.holdMs ?? Infinity);
    expect(report.pings?.pongsReceived).toBeGreaterThanOrEqual(3);
    expect(tookMs).toBeLessThan(6_000);
  });

  it(`--reconnect: after the front's ${IDLE_MS} ms cut, the reconnecting client is OPEN again within 1.5 s and every message comes back`, async () => {
    const { code, report, err } = await probeJson([front.wsUrl('/ws'), '--max-idle', '3s', '--echo-count', '2', '--ping-interval', PING_EVERY, '--reconnect']);
    expect(code).toBe(0);
    const r = report.reconnect;
    console.log(`  reconnect: ${JSON.stringify(r)}`);
    expect(r?.note).toBeUndefined();
    // The cut repeats the idle finder's (the front's idle timeout).
    expect(r?.cutAfterSentMs).toBeGreaterThanOrEqual(CUT_MIN_MS);
    expect(r?.cutAfterSentMs).toBeGreaterThanOrEqual(r?.cutAfterMs ?? Infinity);
    expect(r?.cutAfterMs).toBeLessThanOrEqual(CUT_MAX_MS);
    expect(r?.cutCode).toBe(1006);
    // The first try comes 50–100 ms after the cut (backoff 100 ms, jitter 0.5) and succeeds.
    expect(r?.attempts).toBe(1);
    expect(r?.delaysMs).toHaveLength(1);
    expect(r?.delaysMs[0]).toBeGreaterThanOrEqual(50);
    expect(r?.delaysMs[0]).toBeLessThanOrEqual(100);
    expect(r?.reopenMs).toBeGreaterThanOrEqual(r?.delaysMs[0] ?? 0);
    // A second over the try's 100 ms and its handshake: the loop stalls 500–600 ms at times.
    expect(r?.reopenMs).toBeLessThan(1_500);
    expect(r?.queuedWhileDown).toBe(3);
    expect(r?.counts).toEqual({ sent: 9, received: 9, duplicates: 0, gaps: 0, garbled: 0 });
    expect(r?.lossless).toBe(true);
    expect(err).toMatch(/reconnecting client: reconnecting: attempt 1 in \d+ ms/);
    const text = formatReport(report);
    expect(cutInText(text, 'reconnect\\s+')).toEqual({ after: seconds(r?.cutAfterMs ?? NaN), afterSent: seconds(r?.cutAfterSentMs ?? NaN) });
    expect(text).toMatch(new RegExp(`reconnect\\s+${CUT_TEXT.source} \\(1006\\); OPEN again \\d\\.\\d\\d s later \\(attempt 1, backoff \\d+ ms\\); 9 sent, 9 echoed exactly once, in order; 3 of them queued while disconnected$`, 'm'));
  });

  it('--reconnect needs a cut and an echo: says why it did not run', async () => {
    const uncut = await probeJson([app.wsUrl, '--max-idle', '500ms', '--echo-count', '1', '--reconnect']);
    expect(uncut.report.reconnect).toBeUndefined();
    expect(uncut.report.notes.join(' ')).toMatch(/reconnect test skipped: .*none was found/);
    const noEcho = await probeJson([front.wsUrl('/ws'), '--max-idle', '3s', '--echo-count', '0', '--ping-interval', PING_EVERY, '--reconnect']);
    expect(noEcho.report.reconnect).toBeUndefined();
    expect(noEcho.report.notes.join(' ')).toMatch(/reconnect test skipped: it counts echoes/);
  });

  it('says so in words: cut, how, and that pings keep it open', async () => {
    const r = await runProbe([front.wsUrl('/ws'), '--max-idle', '3s', '--echo-count', '0', '--ping-interval', '400ms']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`idle\\s+${CUT_TEXT.source}: TCP`));
    // The text's figures are rounded to 10 ms: each end within 5 ms of its bound.
    const { after, afterSent } = cutInText(r.out, 'idle\\s+');
    expect(ms(afterSent), r.out).toBeGreaterThanOrEqual(CUT_MIN_MS - 5);
    expect(ms(after), r.out).toBeLessThanOrEqual(CUT_MAX_MS + 5);
    // Held for the cut plus 1 s (pingHoldDuration), from the cut as measured; both figures are
    // rounded to 10 ms.
    const cut = ms(after) / 1000;
    const held = Number(/with pings\s+a ping every 0\.40 s: still open after (\d+\.\d\d) s .*pings keep it open/.exec(r.out)?.[1]);
    const hold = pingHoldDuration(cut * 1000) / 1000;
    expect(held, r.out).toBeGreaterThanOrEqual(hold - 0.01);
    expect(held, r.out).toBeLessThan(hold + 1);
  });

  it('a far end that closes idle connections itself: a close frame with its code and reason', async () => {
    const FAR_END_IDLE_MS = 600;
    const server = createServer();
    const wss = new WebSocketServer({ server });
    wss.on('connection', (ws) => {
      ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
      const timer = setTimeout(() => ws.close(4408, 'idle too long'), FAR_END_IDLE_MS);
      ws.on('message', () => timer.refresh());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const { report } = await probeJson([url, '--max-idle', '3s', '--echo-count', '2', '--ping-interval', '150ms']);
      expect(report.echo, JSON.stringify(report.echo)).toMatchObject({ echoes: true });
      expect(report.idle?.cut).toMatchObject({ code: 4408, reason: 'idle too long', how: 'close-frame', closedBy: 'far end' });
      // Its timer starts as it answers the handshake: no sooner than that after the request was sent.
      expect(report.idle?.cut?.afterSentMs).toBeGreaterThanOrEqual(FAR_END_IDLE_MS - CLOCK_ALLOWANCE_MS);
      expect(report.idle?.cut?.afterMs).toBeLessThanOrEqual(FAR_END_IDLE_MS + 1_000);
      // Pings are not messages: this far end's timer ignores them, so they do not keep it open.
      expect(report.pings).toMatchObject({ held: false, intervalMs: 150, cut: { code: 4408, how: 'close-frame' } });
      const text = await runProbe([url, '--max-idle', '3s', '--echo-count', '0']);
      expect(text.out).toMatch(new RegExp(`idle\\s+${CUT_TEXT.source}: close frame from the far end, code 4408 "idle too long"`));
      expect(text.out).toMatch(/pings do NOT keep it open/);
    } finally {
      for (const c of wss.clients) c.terminate();
      await new Promise((r) => wss.close(r));
      await new Promise((r) => server.close(r));
    }
  });

  it('reports no cut when nothing cuts within --max-idle, and skips the pings run', async () => {
    const r = await probeJson([app.wsUrl, '--max-idle', '1200ms', '--echo-count', '0']);
    expect(r.report.idle).toMatchObject({ maxIdleMs: 1_200, serverPings: 0 });
    expect(r.report.idle?.cut).toBeUndefined();
    expect(r.report.pings).toBeUndefined();
    expect(r.report.notes.join(' ')).toMatch(/nothing cut an idle connection within 1\.2 s/);
    // A heartbeat while it waits (one a second at this length).
    expect(r.err).toMatch(/idle, no pings: \d+\.\d s \/ 1\.2 s/);
  });

  it('a refused handshake (404) is reported with its status and exit code 1', async () => {
    const r = await runProbe([app.wsUrl.replace(/\/ws$/, '/nowhere'), '--max-idle', '0']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/handshake\s+FAILED: 404 .*answered by the ws-proxy-bench app/);
    const j = await probeJson([app.wsUrl.replace(/\/ws$/, '/nowhere')]);
    expect(j.code).toBe(1);
    expect(j.report.handshake).toMatchObject({ ok: false, status: 404, answeredBy: 'app' });
    expect(j.report.echo).toBeUndefined();
    expect(j.report.idle).toBeUndefined();
  });

  it('nothing listening: status 0 with the reason, exit code 1', async () => {
    const dead = createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const port = (dead.address() as AddressInfo).port;
    await new Promise((r) => dead.close(r));
    const j = await probeJson([`ws://127.0.0.1:${port}/ws`]);
    expect(j.code).toBe(1);
    expect(j.report.handshake.status).toBe(0);
    expect(j.report.handshake.error).toMatch(/ECONNREFUSED/);
  });

  it('a server that never answers "does not echo"', async () => {
    const r = await runProbe([silent.url, '--max-idle', '0', '--echo-timeout', '300ms']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/echo\s+does not echo: no message within 300 ms/);
    const j = await probeJson([silent.url, '--max-idle', '0', '--echo-timeout', '300ms']);
    expect(j.report.echo).toMatchObject({ echoes: false, sent: 10, echoed: 0 });
    expect(j.report.echo?.roundTripMs).toBeUndefined();
  });

  it.each([
    [[], /which endpoint\? give a ws:\/\/ or wss:\/\/ URL/],
    [['http://127.0.0.1:1/ws'], /give a ws:\/\/ or wss:\/\/ URL \(try ws:\/\/127\.0\.0\.1:1\/ws\)/],
    [['ws://a/ws', 'ws://b/ws'], /one URL at a time/],
    [['ws://127.0.0.1:1/ws', '--max-idle', 'forever'], /invalid --max-idle from flag --max-idle: "forever"; expected a duration/],
    [['ws://127.0.0.1:1/ws', '--echo-count', '-3'], /invalid --echo-count .*"-3"; expected an integer from 0 to 1000/],
    [['ws://127.0.0.1:1/ws', '--protocol', 'bad name'], /invalid --protocol .*"bad name"/],
    [['ws://127.0.0.1:1/ws', '--protocol'], /--protocol needs a value/],
    [['ws://127.0.0.1:1/ws', '--insecure'], /--insecure applies to wss:\/\/ URLs only/],
    [['wss://127.0.0.1:1/ws', '--ca', '/nonexistent/ca.pem'], /cannot read --ca file '\/nonexistent\/ca\.pem'/],
    [['ws://127.0.0.1:1/ws', '--frobnicate'], /unknown option '--frobnicate'/],
  ])('refuses %j with exit code 2 and a clear message', async (argv, message) => {
    const r = await runProbe(argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.out).toBe('');
  });

  it('wss:// with a self-signed certificate: refused by default, accepted with --insecure or --ca', async () => {
    const caFile = join(testTempDir('wspb-probe-ca-'), 'ca.pem');
    const tls = await selfSignedCertificate('127.0.0.1');
    writeFileSync(caFile, tls.cert);
    const server = createHttpsServer({ cert: tls.cert, key: tls.key });
    const wss = new WebSocketServer({ server });
    wss.on('connection', (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `wss://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const strict = await probeJson([url, '--max-idle', '0']);
      expect(strict.code).toBe(1);
      expect(strict.report.handshake).toMatchObject({ ok: false, status: 0 });
      expect(strict.report.handshake.error).toMatch(/self[- ]signed/i);
      const insecure = await probeJson([url, '--max-idle', '0', '--insecure', '--echo-count', '2']);
      expect(insecure.code).toBe(0);
      expect(insecure.report.echo).toMatchObject({ echoes: true, echoed: 2 });
      expect(insecure.report.handshake.answeredBy).toBe('proxy');
      const trusted = await probeJson([url, '--max-idle', '0', '--ca', caFile]);
      expect(trusted.code).toBe(0);
      expect(trusted.report.handshake.ok).toBe(true);
      const notPem = await runProbe([url, '--ca', join(import.meta.dirname, 'probe.test.ts')]);
      expect(notPem.code).toBe(2);
      expect(notPem.err).toMatch(/holds no PEM certificate/);
    } finally {
      for (const c of wss.clients) c.terminate();
      await new Promise((r) => wss.close(r));
      await new Promise((r) => server.close(r));
    }
  });

  it('--help lists every option', async () => {
    const r = await runProbe(['--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--protocol', '--deflate', '--max-idle', '--ping-interval', '--insecure', '--ca', '--json']) expect(r.out).toContain(flag);
  });
});
