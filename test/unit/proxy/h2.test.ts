/**
 * The http-front with a TLS certificate: one listener speaking h2 and HTTP/1.1. A WebSocket over
 * h2 (RFC 8441 extended CONNECT) becomes an HTTP/1.1 Upgrade toward the echo app and echoes; the
 * app sees X-Forwarded-Proto https; HTTP/1.1 over the same listener still works; the idle timeout
 * cuts an idle stream and leaves the session's other streams alone.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect as http2Connect } from 'node:http2';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpFrontHandle } from '../../../proxy/front.js';
import { resolveFrontOptions } from '../../../proxy/options.js';
import { startEchoServer, type EchoServerHandle } from '../../../src/echo/server.js';
import { selfSignedCertificate, type TlsMaterial } from '../../../src/containers/tls.js';
import { connectH2, openH2WebSocket, openHttp1, probeH2, type EchoSocket } from '../../../src/scenarios/check-helpers/h2-websocket.js';
import { startQuietFront, startSilentApp } from './upstream.js';
import { sleep } from '../../../src/scenarios/check-helpers/wait.js';
import { CLOCK_ALLOWANCE_MS } from '../../../src/scenarios/checks/idle.js';

// 1.5 s: the pinged stream (a ping every 250 ms) stays open unless this process, the front's too,
// stalls for the 1.25 s between a ping and the timeout; the loop stalls 500–600 ms at times.
const IDLE_MS = 1_500;
const PING_EVERY_MS = 250;
/** How late the cut may come, counted from the 200 the client read: the loop stalls 500–600 ms at times. */
const TOLERANCE_MS = 1_500;

let tls: TlsMaterial;
let dir: string;
let files: { tlsCert: string; tlsKey: string };
let app: EchoServerHandle;
let front: HttpFrontHandle;

async function echoes(socket: EchoSocket, data: string | Buffer): Promise<boolean> {
  const binary = typeof data !== 'string';
  const reply = socket.nextMessage();
  socket.send(data, { binary });
  const got = await reply;
  return got.isBinary === binary && got.data.equals(Buffer.from(data));
}

/** One h2 request on a fresh session: status, headers, body. */
async function h2Get(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const session = http2Connect(url, { ca: tls.cert });
  try {
    return await new Promise((resolve, reject) => {
      const stream = session.request(headers, headers[':method'] === 'CONNECT' ? { endStream: false } : {});
      let body = '';
      let got: Record<string, unknown> = {};
      stream.setEncoding('utf8');
      stream.on('response', (h) => { got = h; });
      stream.on('data', (c: string) => { body += c; });
      stream.on('end', () => resolve({ status: Number(got[':status']), headers: got, body }));
      stream.on('error', reject);
    });
  } finally {
    session.close();
  }
}

beforeAll(async () => {
  tls = await selfSignedCertificate();
  dir = mkdtempSync(join(tmpdir(), 'wspb-h2-front-'));
  files = { tlsCert: join(dir, 'cert.pem'), tlsKey: join(dir, 'key.pem') };
  writeFileSync(files.tlsCert, tls.cert);
  writeFileSync(files.tlsKey, tls.key);
  app = await startEchoServer({ port: 0, keepAliveInterval: 0 }, { logSink: () => {} });
  front = await startQuietFront({ target: app.url, idleTimeout: IDLE_MS, ...files });
});

afterAll(async () => {
  await front?.close();
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('http-front TLS options', () => {
  it('takes --tls-cert and --tls-key together, and refuses one alone', () => {
    expect(resolveFrontOptions({ argv: ['--tls-cert', 'c.pem', '--tls-key', 'k.pem'] })).toMatchObject({ tlsCert: 'c.pem', tlsKey: 'k.pem' });
    expect(resolveFrontOptions({ env: {} })).toMatchObject({ tlsCert: '', tlsKey: '' });
    expect(() => resolveFrontOptions({ argv: ['--tls-cert', 'c.pem'] })).toThrow(/--tls-cert and --tls-key go together \(got only --tls-cert\)/);
    expect(() => resolveFrontOptions({ env: { FRONT_TLS_KEY: 'k.pem' } })).toThrow(/got only --tls-key/);
  });

  it('says which file it cannot read', async () => {
    await expect(startQuietFront({ target: app.url, tlsCert: join(dir, 'missing.pem'), tlsKey: files.tlsKey })).rejects.toThrow(/cannot read the TLS certificate .*missing\.pem/);
  });

  it('listens on https:// and wss://, offers h2 and advertises extended CONNECT', async () => {
    expect(front.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(front.wsUrl('/ws')).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\/ws$/);
    expect(await probeH2(front.wsUrl('/ws'), { ca: tls.cert })).toEqual({ alpn: 'h2', connectProtocol: true });
  });
});

describe('WebSockets over h2 through the front', () => {
  it('echoes text, binary and 1 MiB, and carries a close code back, the 200 being the app\'s', async () => {
    const session = await connectH2(front.wsUrl('/ws'), { ca: tls.cert });
    try {
      const handshake = await session.openWebSocket();
      expect(handshake.status).toBe(200);
      expect(handshake.headers['x-echo-server']).toMatch(/^ws-proxy-bench\//);
      expect(handshake.headers['x-front']).toBeUndefined();
      expect(handshake.headers['sec-websocket-accept']).toBeUndefined();
      const socket = handshake.socket as EchoSocket;
      expect(await echoes(socket, 'hello over h2 through the front')).toBe(true);
      expect(await echoes(socket, Buffer.from([1, 2, 3, 0, 255]))).toBe(true);
      expect(await echoes(socket, Buffer.alloc(1024 * 1024, 3))).toBe(true);
      socket.close(4000, 'bye');
      expect(await socket.closed).toMatchObject({ code: 4000, reason: 'bye' });
    } finally {
      session.close();
    }
  });

  it('reaches the app as an HTTP/1.1 Upgrade with a fresh key, the client\'s version and X-Forwarded-Proto https', async () => {
    const before = app.stats().upgradesReceived;
    const { h2: session, socket } = await openH2WebSocket(front.wsUrl('/ws?room=1'), { ca: tls.cert, headers: { origin: 'https://page.example' } });
    try {
      const stats = app.stats();
      expect(stats.upgradesReceived).toBe(before + 1);
      const seen = stats.lastUpgradeHeaders ?? {};
      expect(String(seen.upgrade).toLowerCase()).toBe('websocket');
      expect(String(seen.connection).toLowerCase()).toBe('upgrade');
      expect(Buffer.from(String(seen['sec-websocket-key']), 'base64')).toHaveLength(16);
      expect(seen['sec-websocket-version']).toBe('13');
      expect(seen['x-forwarded-proto']).toBe('https');
      expect(seen['x-forwarded-for']).toMatch(/127\.0\.0\.1/);
      expect(seen['x-forwarded-host']).toBe(session.target.authority);
      expect(seen.host).toBe(session.target.authority);
      expect(seen.origin).toBe('https://page.example');
      expect(Object.keys(seen).some((name) => name.startsWith(':'))).toBe(false);
      expect(await echoes(socket, 'with a query')).toBe(true);
    } finally {
      session.close();
    }
  });

  it('passes the subprotocol both ways', async () => {
    const withProtocols = await startEchoServer({ port: 0, keepAliveInterval: 0, subprotocols: ['chat'] }, { logSink: () => {} });
    const protoFront = await startQuietFront({ target: withProtocols.url, ...files });
    try {
      const { h2: session, socket } = await openH2WebSocket(protoFront.wsUrl('/ws'), { ca: tls.cert, protocols: ['other', 'chat'] });
      expect(socket.protocol).toBe('chat');
      expect(withProtocols.stats().lastUpgradeHeaders?.['sec-websocket-protocol']).toBe('other, chat');
      session.close();
    } finally {
      await protoFront.close();
      await withProtocols.close();
    }
  });

  it('runs several WebSockets as streams of one session, each its own app connection; closing one leaves the others', async () => {
    const before = app.stats().upgradesReceived;
    const session = await connectH2(front.wsUrl('/ws'), { ca: tls.cert });
    try {
      const sockets = await Promise.all([0, 1, 2].map(async () => (await session.openWebSocket()).socket as EchoSocket));
      expect(app.stats().upgradesReceived).toBe(before + 3);
      expect(await Promise.all(sockets.map((s, i) => echoes(s, `stream ${i}`)))).toEqual([true, true, true]);
      const [first, ...others] = sockets as [EchoSocket, ...EchoSocket[]];
      first.close(1000, 'done');
      expect(await first.closed).toMatchObject({ code: 1000, reason: 'done' });
      expect(await Promise.all(others.map((s) => echoes(s, 'still open')))).toEqual([true, true]);
      expect(session.session.destroyed).toBe(false);
    } finally {
      session.close();
    }
  });

  it('passes the app\'s refusal with its status', async () => {
    const session = await connectH2(front.wsUrl('/elsewhere'), { ca: tls.cert });
    try {
      const handshake = await session.openWebSocket();
      expect(handshake.status).toBe(404);
      expect(handshake.headers['x-echo-server']).toMatch(/^ws-proxy-bench\//);
      expect(handshake.socket).toBeUndefined();
    } finally {
      session.close();
    }
  });

  it('answers 502 itself when the app cannot be reached, and 504 when it never answers', async () => {
    const silent = await startSilentApp();
    const [down, hung] = await Promise.all([
      startQuietFront({ target: 'http://127.0.0.1:1', ...files }),
      startQuietFront({ target: silent.url, idleTimeout: IDLE_MS, ...files }),
    ]);
    try {
      const refused = await openH2WebSocket(down.wsUrl('/ws'), { ca: tls.cert }).catch((e: Error) => e.message);
      expect(refused).toMatch(/extended CONNECT failed: 502 from front/);
      const started = performance.now();
      const session = await connectH2(hung.wsUrl('/ws'), { ca: tls.cert });
      const handshake = await session.openWebSocket({ timeoutMs: IDLE_MS + TOLERANCE_MS + 2_000 });
      session.close();
      expect(handshake.status).toBe(504);
      expect(handshake.headers['x-front']).toMatch(/^http-front\//);
      expect(performance.now() - started).toBeGreaterThanOrEqual(IDLE_MS - 50);
    } finally {
      await Promise.all([down.close(), hung.close()]);
      await silent.close();
    }
  });

  it('refuses a plain CONNECT (405) and another :protocol (501), over h2 and HTTP/1.1', async () => {
    const authority = new URL(front.url).host;
    const plain = await h2Get(front.url, { ':method': 'CONNECT', ':authority': authority });
    expect(plain.status).toBe(405);
    expect(plain.headers['x-front']).toMatch(/^http-front\//);
    const other = await h2Get(front.url, { ':method': 'CONNECT', ':protocol': 'webtransport', ':scheme': 'https', ':path': '/ws', ':authority': authority });
    expect(other.status).toBe(501);
    const h1 = await new Promise<string>((resolve) => {
      const socket = tlsConnect({ host: '127.0.0.1', port: front.port, ca: tls.cert, ALPNProtocols: ['http/1.1'] }, () => socket.write(`CONNECT example.test:443 HTTP/1.1\r\nHost: example.test:443\r\n\r\n`));
      let text = '';
      socket.on('data', (c: Buffer) => { text += c.toString('latin1'); });
      socket.on('close', () => resolve(text));
      socket.on('error', () => resolve(text));
    });
    expect(h1).toMatch(/^HTTP\/1\.1 405/);
  });

  it('with front WebSocket handling on, answers the CONNECT itself and echoes; the app sees nothing', async () => {
    const own = await startQuietFront({ target: app.url, websocket: 'on', ...files });
    const before = app.stats().upgradesReceived;
    try {
      const session = await connectH2(own.wsUrl('/ws'), { ca: tls.cert });
      const handshake = await session.openWebSocket({ protocols: ['chat'] });
      expect(handshake.status).toBe(200);
      expect(handshake.headers['x-front']).toMatch(/^http-front\//);
      const socket = handshake.socket as EchoSocket;
      expect(socket.protocol).toBe('chat');
      expect(await echoes(socket, 'answered by the front')).toBe(true);
      socket.close(4001, 'front');
      expect(await socket.closed).toMatchObject({ code: 4001, reason: 'front' });
      session.close();
      expect(app.stats().upgradesReceived).toBe(before);
    } finally {
      await own.close();
    }
  });
});

describe('HTTP/1.1 over the same TLS listener', () => {
  it('upgrades and echoes, the app seeing X-Forwarded-Proto https', async () => {
    const before = app.stats().upgradesReceived;
    const { alpn, socket } = await openHttp1(front.wsUrl('/ws'), { ca: tls.cert });
    try {
      expect(alpn).toBe('http/1.1');
      expect(await echoes(socket, 'over HTTP/1.1 and TLS')).toBe(true);
      expect(app.stats().upgradesReceived).toBe(before + 1);
      expect(app.stats().lastUpgradeHeaders?.['x-forwarded-proto']).toBe('https');
    } finally {
      socket.discard();
    }
  });

  it('serves plain requests over h2 and HTTP/1.1 alike', async () => {
    const over2 = await h2Get(front.url, { ':path': '/healthz' });
    expect(over2.status).toBe(200);
    expect(over2.body).toBe('ok');
    const over1 = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpsRequest(`${front.url}/healthz`, { ca: tls.cert }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => { body += c; });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(over1).toEqual({ status: 200, body: 'ok' });
  });
});

describe(`the idle timeout (${IDLE_MS} ms) on h2 streams`, () => {
  it('cuts an idle stream at the timeout (1006), while a pinged stream of the same session stays open and echoing at 2×', async () => {
    const session = await connectH2(front.wsUrl('/ws'), { ca: tls.cert });
    try {
      const opened = await session.openWebSocket();
      const quiet = opened.socket as EchoSocket;
      const pinged = (await session.openWebSocket()).socket as EchoSocket;
      const started = performance.now();
      const pinger = setInterval(() => pinged.ping(), PING_EVERY_MS);
      const cut = await quiet.closed;
      // The front's timer for the quiet stream starts within its CONNECT's round trip: judged
      // from both ends of it (the pinged stream's opening counts in neither).
      const fromRequest = cut.at - (opened.requestSentAt ?? Infinity);
      const fromAnswer = cut.at - (opened.responseAt ?? -Infinity);
      console.log(`  http-front over h2: idle stream cut ${fromRequest.toFixed(0)} ms after its CONNECT, ${fromAnswer.toFixed(0)} ms after the 200, with ${cut.code} (idle timeout ${IDLE_MS} ms)`);
      expect(cut.code).toBe(1006);
      expect(fromRequest).toBeGreaterThanOrEqual(IDLE_MS - CLOCK_ALLOWANCE_MS);
      expect(fromAnswer).toBeLessThanOrEqual(IDLE_MS + TOLERANCE_MS);
      const held = await Promise.race([pinged.closed.then(() => false), sleep(2 * IDLE_MS - (performance.now() - started)).then(() => true)]);
      clearInterval(pinger);
      expect(held, 'the pinged stream was cut').toBe(true);
      expect(await echoes(pinged, 'still here at 2T')).toBe(true);
      expect(session.session.destroyed).toBe(false);
    } finally {
      session.close();
    }
  });
});
