/**
 * The http-front over several targets (app replicas): round robin per request and per upgrade,
 * and with --sticky cookie a client that sends the wspb-target cookie back stays on one target,
 * its WebSocket upgrade included. A dead target still gets the front's 502; socket.io's polling
 * sessions fail without stickiness and hold with it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { connect as http2Connect } from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { STICKY_COOKIE, stickyCookie, stickyIndex } from '../../../proxy/balancer.js';
import type { HttpFrontHandle } from '../../../proxy/front.js';
import { FRONT_IDENTITY } from '../../../proxy/identity.js';
import { selfSignedCertificate } from '../../../src/containers/tls.js';
import { freePort } from '../../../src/free-port.js';
import { httpFrontOptions } from '../../../src/fronts/http-front.js';
import { frontSetup } from '../../../src/fronts/index.js';
import { closed, connect, discard } from '../../../src/scenarios/check-helpers/client.js';
import { openSessions } from '../../../src/socketio/client.js';
import type { SocketioServerHandle } from '../../../src/socketio/server.js';
import { frontVars } from '../../../src/topology/values.js';
import { startQuietSocketio } from '../socketio/helpers.js';
import { startQuietFront } from './upstream.js';

/** An app replica that says who it is: `X-Upstream: <name>` on every answer, its 101 included. */
interface NamedUpstream {
  name: string;
  url: string;
  requests: number;
  upgrades: number;
  /** The Cookie header of the last request or upgrade that reached it. */
  lastCookie: string | undefined;
  close(): Promise<void>;
}

async function startNamed(name: string, setCookie?: string): Promise<NamedUpstream> {
  const sockets = new Set<Socket>();
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  wss.on('headers', (headers) => headers.push(`X-Upstream: ${name}`));
  wss.on('connection', (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })));
  const remember = (headers: IncomingHttpHeaders): void => { upstream.lastCookie = headers.cookie; };
  const server: Server = createServer((req, res) => {
    upstream.requests += 1;
    remember(req.headers);
    res.writeHead(200, { 'Content-Type': 'text/plain', 'X-Upstream': name, ...(setCookie ? { 'Set-Cookie': setCookie } : {}) });
    res.end(name);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  server.on('upgrade', (req, socket, head) => {
    upstream.upgrades += 1;
    remember(req.headers);
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const upstream: NamedUpstream = {
    name,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: 0,
    upgrades: 0,
    lastCookie: undefined,
    close: () => new Promise<void>((resolve) => {
      for (const ws of wss.clients) ws.terminate();
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
  return upstream;
}

/** A plain GET: who answered, its status, the Set-Cookie headers it carried. */
async function get(url: string, cookie?: string): Promise<{ status: number; upstream: string | null; setCookie: string[]; body: string; front: string | null }> {
  const res = await fetch(`${url}/who`, { headers: cookie ? { cookie } : {} });
  return { status: res.status, upstream: res.headers.get('x-upstream'), setCookie: res.headers.getSetCookie(), body: await res.text(), front: res.headers.get('x-front') };
}

/** A WebSocket handshake: who answered it (closed at once). */
async function upgrade(wsUrl: string, cookie?: string): Promise<{ status: number; upstream: string | undefined; setCookie: string[] }> {
  const outcome = await connect(wsUrl, cookie ? { headers: { cookie } } : {});
  const setCookie = outcome.headers['set-cookie'] ?? [];
  const upstream = outcome.headers['x-upstream'] as string | undefined;
  if (outcome.socket) {
    const done = closed(outcome.socket, 2_000);
    outcome.socket.close(1000);
    await done;
  }
  discard(outcome.socket);
  return { status: outcome.status, upstream, setCookie };
}

/** The cookie pair a Set-Cookie list gives (what a cookie jar sends back). */
function jar(setCookie: string[]): string {
  return setCookie.map((c) => c.split(';')[0]).join('; ');
}

let a: NamedUpstream;
let b: NamedUpstream;
let front: HttpFrontHandle | undefined;

beforeAll(async () => {
  a = await startNamed('a');
  b = await startNamed('b', 'app=1; Path=/');
});
afterAll(async () => {
  await Promise.all([a.close(), b.close()]);
});
afterEach(async () => {
  await front?.close();
  front = undefined;
});

describe('round robin (several targets, not sticky)', () => {
  it('alternates plain requests between the targets, setting no cookie', async () => {
    front = await startQuietFront({ target: [a.url, b.url] });
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await get(front.url));
    expect(answers.map((r) => r.upstream)).toEqual(['a', 'b', 'a', 'b']);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(answers.flatMap((r) => r.setCookie).filter((c) => c.startsWith(`${STICKY_COOKIE}=`))).toEqual([]);
  });

  it('alternates WebSocket upgrades too, counting them in the same turn as plain requests', async () => {
    front = await startQuietFront({ target: [a.url, b.url] });
    const ws = front.wsUrl('/ws');
    expect((await upgrade(ws)).upstream).toBe('a');
    expect((await get(front.url)).upstream).toBe('b');
    expect((await upgrade(ws)).upstream).toBe('a');
    expect((await upgrade(ws)).upstream).toBe('b');
  });

  it('ignores a wspb-target cookie when not sticky', async () => {
    front = await startQuietFront({ target: [a.url, b.url], sticky: 'off' });
    const seen = [];
    for (let i = 0; i < 4; i++) seen.push((await get(front.url, `${STICKY_COOKIE}=1`)).upstream);
    expect(seen).toEqual(['a', 'b', 'a', 'b']);
  });

  it('takes the targets as a comma list in one string, as --target a,b reads', async () => {
    front = await startQuietFront({ target: `${a.url},${b.url}` });
    expect(front.options.target).toEqual([a.url, b.url]);
    expect([(await get(front.url)).upstream, (await get(front.url)).upstream]).toEqual(['a', 'b']);
  });
});

describe('--sticky cookie', () => {
  it('pins a client that sends the cookie back to one target; the cookie is set once, beside the app\'s own', async () => {
    front = await startQuietFront({ target: [a.url, b.url], sticky: 'cookie' });
    // Another client takes the first turn, so this one starts on b, whose app sets a cookie too.
    expect((await get(front.url)).upstream).toBe('a');
    const first = await get(front.url);
    expect(first.upstream).toBe('b');
    expect(first.setCookie).toEqual(['app=1; Path=/', stickyCookie(1)]);
    const cookie = jar(first.setCookie);
    for (let i = 0; i < 4; i++) {
      const again = await get(front.url, cookie);
      expect(again.upstream).toBe('b');
      expect(again.setCookie.filter((c) => c.startsWith(`${STICKY_COOKIE}=`))).toEqual([]);
    }
    // The cookie reaches the app as the client sent it.
    expect(b.lastCookie).toBe(cookie);
  });

  it('keeps balancing clients that send no cookie, each response offering its target', async () => {
    front = await startQuietFront({ target: [a.url, b.url], sticky: 'cookie' });
    const answers = [await get(front.url), await get(front.url), await get(front.url)];
    expect(answers.map((r) => r.upstream)).toEqual(['a', 'b', 'a']);
    expect(answers.map((r) => r.setCookie.filter((c) => c.startsWith(`${STICKY_COOKIE}=`)))).toEqual([[stickyCookie(0)], [stickyCookie(1)], [stickyCookie(0)]]);
  });

  it('sends an upgrade that carries the cookie to its target, and sets the cookie on a 101 to a client that had none', async () => {
    front = await startQuietFront({ target: [a.url, b.url], sticky: 'cookie' });
    const ws = front.wsUrl('/ws');
    const cookie = jar((await get(front.url)).setCookie);
    expect(cookie).toBe(`${STICKY_COOKIE}=0`);
    const before = a.upgrades;
    for (let i = 0; i < 3; i++) {
      const pinned = await upgrade(ws, cookie);
      expect(pinned).toMatchObject({ status: 101, upstream: 'a' });
      expect(pinned.setCookie).toEqual([]);
    }
    expect(a.upgrades - before).toBe(3);
    const fresh = await upgrade(ws);
    expect(fresh.status).toBe(101);
    expect(fresh.setCookie).toEqual([stickyCookie(fresh.upstream === 'a' ? 0 : 1)]);
  });

  it('replaces a cookie that names no target (stale, or not a number) with one for the target it chose', async () => {
    front = await startQuietFront({ target: [a.url, b.url], sticky: 'cookie' });
    const stale = await get(front.url, `other=x; ${STICKY_COOKIE}=7`);
    expect(stale.upstream).toBe('a');
    expect(stale.setCookie).toEqual([stickyCookie(0)]);
    const junk = await get(front.url, `${STICKY_COOKIE}=b`);
    expect(junk.upstream).toBe('b');
    expect(junk.setCookie).toContain(stickyCookie(1));
  });

  it('with one target, sends everything to it and still offers the cookie', async () => {
    front = await startQuietFront({ target: a.url, sticky: 'cookie' });
    const answers = [await get(front.url), await get(front.url, `${STICKY_COOKIE}=0`)];
    expect(answers.map((r) => r.upstream)).toEqual(['a', 'a']);
    expect(answers.map((r) => r.setCookie)).toEqual([[stickyCookie(0)], []]);
  });

  it('reads the cookie among others, in one header or several', () => {
    expect(stickyIndex(`a=1; ${STICKY_COOKIE}=1; z=2`, 2)).toBe(1);
    expect(stickyIndex(['a=1', `${STICKY_COOKIE}=0`], 2)).toBe(0);
    expect(stickyIndex(`${STICKY_COOKIE}=2`, 2)).toBeUndefined();
    expect(stickyIndex(`${STICKY_COOKIE}=-1; x${STICKY_COOKIE}=1`, 2)).toBeUndefined();
    expect(stickyIndex(undefined, 2)).toBeUndefined();
  });
});

describe('a target that is down', () => {
  it('gets the front\'s own 502 (X-Front, naming that target) for its turn, while the other serves', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    front = await startQuietFront({ target: [a.url, dead] });
    const first = await get(front.url);
    const second = await get(front.url);
    expect(first).toMatchObject({ status: 200, upstream: 'a' });
    expect(second).toMatchObject({ status: 502, front: FRONT_IDENTITY });
    expect(second.body).toContain(dead);
    const ws = front.wsUrl('/ws');
    expect((await upgrade(ws)).upstream).toBe('a');
    expect((await upgrade(ws)).status).toBe(502);
  });

  it('with --sticky cookie, a client pinned to it keeps getting 502 (no failover), and no cookie', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    front = await startQuietFront({ target: [a.url, dead], sticky: 'cookie' });
    for (let i = 0; i < 2; i++) {
      const r = await get(front.url, `${STICKY_COOKIE}=1`);
      expect(r).toMatchObject({ status: 502, setCookie: [] });
    }
    expect((await upgrade(front.wsUrl('/ws'), `${STICKY_COOKIE}=1`)).status).toBe(502);
  });
});

describe('over h2 (TLS)', () => {
  let dir: string;
  let ca: string;
  let files: { tlsCert: string; tlsKey: string };
  beforeAll(async () => {
    const tls = await selfSignedCertificate();
    ca = tls.cert;
    dir = mkdtempSync(join(tmpdir(), 'wspb-replicas-h2-'));
    files = { tlsCert: join(dir, 'cert.pem'), tlsKey: join(dir, 'key.pem') };
    writeFileSync(files.tlsCert, tls.cert);
    writeFileSync(files.tlsKey, tls.key);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function h2Get(url: string, cookie?: string): Promise<{ upstream: unknown; setCookie: unknown }> {
    const session = http2Connect(url, { ca });
    try {
      return await new Promise((resolve, reject) => {
        const stream = session.request({ ':path': '/who', ...(cookie ? { cookie } : {}) });
        stream.on('response', (h) => resolve({ upstream: h['x-upstream'], setCookie: h['set-cookie'] }));
        stream.on('error', reject);
        stream.resume();
      });
    } finally {
      session.close();
    }
  }

  it('balances h2 requests the same way, and follows the sticky cookie', async () => {
    front = await startQuietFront({ target: [a.url, b.url], sticky: 'cookie', ...files });
    const first = await h2Get(front.url);
    const second = await h2Get(front.url);
    expect([first.upstream, second.upstream]).toEqual(['a', 'b']);
    expect(second.setCookie).toEqual(['app=1; Path=/', stickyCookie(1)]);
    for (let i = 0; i < 2; i++) expect((await h2Get(front.url, `${STICKY_COOKIE}=1`)).upstream).toBe('b');
  });
});

describe('socket.io behind the http-front replicas setups', () => {
  let one: SocketioServerHandle;
  let two: SocketioServerHandle;
  beforeAll(async () => {
    one = await startQuietSocketio({ replicaId: 'replica-a' });
    two = await startQuietSocketio({ replicaId: 'replica-b' });
  });
  afterAll(async () => {
    await Promise.all([one.close(), two.close()]);
  });

  /** The setup's own options, with the two in-process replicas as REPLICA_1 and REPLICA_2. */
  function setupFront(name: string): Promise<HttpFrontHandle> {
    const vars = { ...frontVars({ idleTimeoutSeconds: 10 }), REPLICA_1: `127.0.0.1:${one.port}`, REPLICA_2: `127.0.0.1:${two.port}` };
    const options = httpFrontOptions(frontSetup(name), vars);
    expect(options.target).toEqual([`http://${vars.REPLICA_1}`, `http://${vars.REPLICA_2}`]);
    return startQuietFront({ ...options, host: '127.0.0.1', port: 0 });
  }

  it('http-front-replicas: polling sessions fail with "Session ID unknown"; WebSocket-only ones all open', async () => {
    front = await setupFront('http-front-replicas');
    // Echoes (and the sticky test's upgrades) get 2 s, well over a second more than they take:
    // the loop stalls 500–600 ms at times.
    const polling = await openSessions(front.url, 10, { upgradeBoundMs: 300, holdMs: 20, echoTimeoutMs: 2_000 });
    expect(polling.failed).toBeGreaterThan(0);
    expect(Object.keys(polling.messages).some((m) => m.includes('400 {"code":1,"message":"Session ID unknown"}'))).toBe(true);
    const before = [one.stats().sessions.total, two.stats().sessions.total];
    const ws = await openSessions(front.url, 10, { transports: ['websocket'], holdMs: 20, echoTimeoutMs: 2_000 });
    expect(ws).toMatchObject({ attempted: 10, failed: 0, finalTransports: { websocket: 10 } });
    expect([one.stats().sessions.total - (before[0] ?? 0), two.stats().sessions.total - (before[1] ?? 0)]).toEqual([5, 5]);
  });

  it('http-front-replicas-sticky: with a cookie jar every polling session holds and upgrades, over both replicas', async () => {
    front = await setupFront('http-front-replicas-sticky');
    const before = [one.stats().sessions.total, two.stats().sessions.total];
    const report = await openSessions(front.url, 10, { cookieJar: true, upgradeBoundMs: 2_000, holdMs: 20, echoTimeoutMs: 2_000 });
    expect(report).toMatchObject({ attempted: 10, failed: 0, failures: [], finalTransports: { websocket: 10 } });
    const served = [one.stats().sessions.total - (before[0] ?? 0), two.stats().sessions.total - (before[1] ?? 0)];
    expect(served[0]).toBeGreaterThan(0);
    expect(served[1]).toBeGreaterThan(0);
  });
});
