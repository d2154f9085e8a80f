/**
 * The catalog's client checks, run in-process against the echo server and the http-proxy front:
 * each check passes where its claim holds and fails where it does not, so a container suite
 * that goes green means something.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpFront, type HttpFrontHandle } from '../../../proxy/front.js';
import { silentLog } from '../../../proxy/log.js';
import { startEchoServer, type EchoServerHandle } from '../../../src/echo/server.js';
import { closeCodeCarried } from '../../../src/scenarios/checks/close.js';
import { echoes, payloads } from '../../../src/scenarios/checks/echo.js';
import { appSawForwardedHeaders } from '../../../src/scenarios/checks/forwarded.js';
import { handshakeRefused, upgradeAnsweredBy } from '../../../src/scenarios/checks/handshake.js';
import { CLOCK_ALLOWANCE_MS, CUT_TOLERANCE_MS, idleConnectionCut, staysOpenPastTimeout } from '../../../src/scenarios/checks/idle.js';
import { websocketHandledBy } from '../../../src/scenarios/checks/ownership.js';
import { pageServed, pageUrl } from '../../../src/scenarios/checks/page.js';
import { frontReload } from '../../../src/scenarios/checks/reload.js';
import { runCheck, runChecks } from '../../../src/scenarios/run.js';
import type { Check, CheckContext } from '../../../src/scenarios/types.js';

// 2 s: client and server pings every T/2 = 1 s keep a connection open unless this process (the
// front's too) stalls for a second, and it stalls 500–600 ms at times; the cut is judged from both
// ends of the handshake.
const IDLE_MS = 2_000;
/** The holds last 1.5 T here (3 T in the catalog): 3 s, a second past where the front cuts a connection nothing keeps open. */
const HOLD_FACTOR = 1.5;
/** The reload checks' window here (3 s in the catalog). */
const RELOAD_WITHIN_MS = 300;
const quietApp = { logSink: () => {} };

function contextFor(wsUrl: string, app: EchoServerHandle, idleTimeoutMs = IDLE_MS): CheckContext {
  return { wsUrl, appStats: async (read) => app.stats(read), idleTimeoutMs, progress: () => {} };
}

async function outcome(check: Check, ctx: CheckContext) {
  const result = await runCheck(check, ctx);
  console.log(`  ${result.ok ? 'pass' : 'fail'} ${check.id}: ${result.figure}`);
  return result;
}

describe('client checks', () => {
  let app: EchoServerHandle;
  let pingingApp: EchoServerHandle;
  let passThrough: HttpFrontHandle;
  let frontAnswers: HttpFrontHandle;
  let pingingFront: HttpFrontHandle;

  beforeAll(async () => {
    app = await startEchoServer({ port: 0, keepAliveInterval: 0 }, quietApp);
    pingingApp = await startEchoServer({ port: 0, keepAliveInterval: IDLE_MS / 2 }, quietApp);
    const front = { port: 0, idleTimeout: IDLE_MS, log: silentLog };
    passThrough = await startHttpFront({ ...front, target: app.url, websocket: 'off' });
    frontAnswers = await startHttpFront({ ...front, target: app.url, websocket: 'on' });
    pingingFront = await startHttpFront({ ...front, target: pingingApp.url, websocket: 'off' });
  });

  afterAll(async () => {
    await Promise.all([passThrough?.close(), frontAnswers?.close(), pingingFront?.close()]);
    await Promise.all([app?.close(), pingingApp?.close()]);
  });

  it('handshake: tells the app from the front by identity header, and a refusal by status', async () => {
    const direct = contextFor(app.wsUrl, app);
    expect((await outcome(upgradeAnsweredBy('app'), direct)).ok).toBe(true);
    expect((await outcome(upgradeAnsweredBy('front'), direct)).ok).toBe(false);
    expect((await outcome(upgradeAnsweredBy('front'), contextFor(frontAnswers.wsUrl('/ws'), app))).ok).toBe(true);
    const wrongPath = contextFor(app.wsUrl.replace(/\/ws$/, '/elsewhere'), app);
    expect((await outcome(handshakeRefused(404, 'app'), wrongPath)).ok).toBe(true);
    expect((await outcome(handshakeRefused(400, 'app'), wrongPath)).ok).toBe(false);
    expect((await outcome(handshakeRefused(404, 'app'), direct)).ok).toBe(false);
  });

  it('echo and close: every payload comes back through the front, byte for byte', async () => {
    const ctx = contextFor(passThrough.wsUrl('/ws'), app);
    const results = await runChecks([...Object.values(payloads).map((p) => echoes(p)), closeCodeCarried(4000, 'bye')], () => ctx);
    for (const r of results) expect(r.ok, `${r.check}: ${r.detail}`).toBe(true);
  });

  it('forwarded headers: seen through the front, missing when the client talks to the app directly', async () => {
    const check = appSawForwardedHeaders(['X-Forwarded-For', 'X-Forwarded-Proto']);
    expect((await outcome(check, contextFor(passThrough.wsUrl('/ws'), app))).ok).toBe(true);
    expect((await outcome(check, contextFor(app.wsUrl, app))).ok).toBe(false);
    // With expected values: the http-proxy front over plain HTTP says "http", never "https".
    const through = contextFor(passThrough.wsUrl('/ws'), app);
    const http = await outcome(appSawForwardedHeaders({ 'X-Forwarded-Proto': 'http', 'X-Forwarded-For': undefined }), through);
    expect(http.ok).toBe(true);
    expect(http.figure).toBe('all present, X-Forwarded-Proto: http');
    const https = await outcome(appSawForwardedHeaders({ 'X-Forwarded-Proto': 'https' }), through);
    expect(https.ok).toBe(false);
    expect(https.figure).toBe('wrong X-Forwarded-Proto');
  });

  it('page: the echo page comes through the front, told its WebSocket path', async () => {
    expect(pageUrl('wss://127.0.0.1:8443/ws?x=1')).toBe('https://127.0.0.1:8443/');
    expect(pageUrl('ws://127.0.0.1:80/ws')).toBe('http://127.0.0.1/');
    const through = contextFor(passThrough.wsUrl('/ws'), app);
    expect((await outcome(pageServed('/ws'), through)).ok).toBe(true);
    expect((await outcome(pageServed('/elsewhere'), through)).ok).toBe(false);
  });

  it('ownership: the app counter moves only when the front passes the upgrade on', async () => {
    const off = contextFor(passThrough.wsUrl('/ws'), app);
    const on = contextFor(frontAnswers.wsUrl('/ws'), app);
    expect((await outcome(websocketHandledBy('app'), off)).ok).toBe(true);
    expect((await outcome(websocketHandledBy('front'), off)).ok).toBe(false);
    expect((await outcome(websocketHandledBy('front'), on)).ok).toBe(true);
    expect((await outcome(websocketHandledBy('app'), on)).ok).toBe(false);
  });

  // The two longest waits, side by side: neither reads the app's counters.
  it.concurrent('reload: "keeps" holds when a reload leaves connections alone, "drops" then fails, no reload command is an error', async () => {
    // Straight to the app (no idle timeout), with a reload that changes nothing.
    const noOpReload = { ...contextFor(app.wsUrl, app), reloadFront: async () => {} };
    const [keeps, drops, cannot, cutMeanwhile] = await Promise.all([
      outcome(frontReload('keeps', RELOAD_WITHIN_MS), noOpReload),
      outcome(frontReload('drops', RELOAD_WITHIN_MS), noOpReload),
      outcome(frontReload('drops', RELOAD_WITHIN_MS), contextFor(passThrough.wsUrl('/ws'), app)),
      // Through the front, whose idle timeout cuts the connections a second before the wait ends: "keeps" sees the drops.
      outcome(frontReload('keeps', 1.5 * IDLE_MS), { ...contextFor(passThrough.wsUrl('/ws'), app), reloadFront: async () => {} }),
    ]);
    expect(keeps.ok, keeps.detail).toBe(true);
    expect(drops.ok).toBe(false);
    expect(drops.figure).toMatch(/^0\/3 dropped/);
    expect(cannot.ok).toBe(false);
    expect(cannot.detail).toMatch(/cannot reload its front/);
    expect(cutMeanwhile.ok).toBe(false);
    expect(cutMeanwhile.figure).toMatch(/^0\/3 kept/);
  });

  it.concurrent('idle: a cut is measured at the timeout, client pings hold, and server pings are told apart', async () => {
    const quiet = contextFor(passThrough.wsUrl('/ws'), app);
    const pinging = contextFor(pingingFront.wsUrl('/ws'), pingingApp);
    const [cut, clientHold, serverHold, wrongPings, noPingsDirect, noPingsThroughFront, cutWith1006, cutWith1000] = await Promise.all([
      outcome(idleConnectionCut(), quiet),
      outcome(staysOpenPastTimeout({ pingsFrom: 'client', holdFactor: HOLD_FACTOR }), quiet),
      outcome(staysOpenPastTimeout({ pingsFrom: 'server', holdFactor: HOLD_FACTOR }), pinging),
      // The app does not ping here, so "server pings keep it open" must fail (it is cut).
      outcome(staysOpenPastTimeout({ pingsFrom: 'server', holdFactor: HOLD_FACTOR }), quiet),
      // No pings either way: the app alone has no idle timeout (holds); the front cuts (fails).
      outcome(staysOpenPastTimeout({ pingsFrom: 'none', holdFactor: HOLD_FACTOR }), contextFor(app.wsUrl, app)),
      outcome(staysOpenPastTimeout({ pingsFrom: 'none', holdFactor: HOLD_FACTOR }), quiet),
      // The front drops the connection without a close frame: the client sees 1006, not 1000.
      outcome(idleConnectionCut(CUT_TOLERANCE_MS, 1006), quiet),
      outcome(idleConnectionCut(CUT_TOLERANCE_MS, 1000), quiet),
    ]);
    expect(cut.ok, cut.detail).toBe(true);
    // From the request sent at least T, from the 101 read at most T + tolerance.
    expect(cut.measured?.cutAfterMs).toBeGreaterThanOrEqual(IDLE_MS - CLOCK_ALLOWANCE_MS);
    expect(cut.measured?.cutAfter101Ms).toBeLessThanOrEqual(IDLE_MS + CUT_TOLERANCE_MS);
    expect(clientHold.ok, clientHold.detail).toBe(true);
    expect(serverHold.ok, serverHold.detail).toBe(true);
    expect(wrongPings.ok).toBe(false);
    expect(noPingsDirect.ok, noPingsDirect.detail).toBe(true);
    expect(noPingsThroughFront.ok).toBe(false);
    expect(cutWith1006.ok, cutWith1006.detail).toBe(true);
    expect(cutWith1000.ok).toBe(false);
  });
});
