/**
 * The identity headers on every HTTP response of the app, the WebSocket upgrade's 101 included,
 * and its plain-HTTP side: the page, the client script it loads, /healthz.
 */
import { request } from 'node:http';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderSocketioPage } from '../../../src/socketio/http-app.js';
import { SOCKETIO_CLIENT_VERSION } from '../../../src/socketio/client-script.js';
import type { SocketioServerHandle } from '../../../src/socketio/server.js';
import { VERSION } from '../../../src/version.js';
import { startQuietSocketio } from './helpers.js';

interface Answer { status: number; headers: Record<string, string | string[] | undefined>; body: string }

/** A raw HTTP/1.1 request (no client library in between), read to the end. */
function get(port: number, path: string, method = 'GET', headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

const PRODUCT = `ws-proxy-bench-socketio/${VERSION}`;

describe('socket.io app: identity headers and plain HTTP', () => {
  let server: SocketioServerHandle;
  // A short close grace: the raw polling session of the first test never polls again.
  beforeAll(async () => { server = await startQuietSocketio({ replicaId: 'replica-7', path: '/rt/' }, undefined, 200); });
  afterAll(async () => { await server.close(); });

  const identity = { 'x-echo-server': PRODUCT, 'x-replica': 'replica-7' };

  it('on a polling handshake and the polls of its session', async () => {
    const handshake = await get(server.port, '/rt/?EIO=4&transport=polling');
    expect(handshake.status).toBe(200);
    expect(handshake.headers).toMatchObject(identity);
    const sid = (JSON.parse(handshake.body.slice(1)) as { sid: string }).sid;
    const poll = await new Promise<Answer>((resolve, reject) => {
      // The session's first poll answers at once once the client has joined the namespace: send CONNECT first.
      const post = request({ host: '127.0.0.1', port: server.port, path: `/rt/?EIO=4&transport=polling&sid=${sid}`, method: 'POST', agent: false, headers: { 'Content-Type': 'text/plain' } }, (res) => {
        res.resume();
        res.on('end', () => get(server.port, `/rt/?EIO=4&transport=polling&sid=${sid}`).then(resolve, reject));
      });
      post.on('error', reject);
      post.end('40');
    });
    expect(poll.status).toBe(200);
    expect(poll.headers).toMatchObject(identity);
    expect(poll.body).toMatch(/^40\{"sid":/);
  });

  it("on engine.io's refusal of an unknown session (what a replica answers for another's session)", async () => {
    const refused = await get(server.port, '/rt/?EIO=4&transport=polling&sid=nobody-knows-this-one');
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body)).toEqual({ code: 1, message: 'Session ID unknown' });
    expect(refused.headers).toMatchObject(identity);
    expect(server.stats().connectionErrors['Session ID unknown']).toBeGreaterThanOrEqual(1);
  });

  it("on the WebSocket upgrade's 101", async () => {
    const headers = await new Promise<Record<string, string | string[] | undefined>>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/rt/?EIO=4&transport=websocket`);
      ws.once('upgrade', (res) => {
        expect(res.statusCode).toBe(101);
        resolve(res.headers);
      });
      ws.once('open', () => ws.close());
      ws.once('error', reject);
    });
    expect(headers).toMatchObject(identity);
  });

  it('on the page, /healthz, /stats, a 404, and a refused upgrade elsewhere', async () => {
    for (const path of ['/', '/healthz', '/stats', '/nothing-here']) {
      expect((await get(server.port, path)).headers, path).toMatchObject(identity);
    }
    expect(await get(server.port, '/healthz')).toMatchObject({ status: 200, body: 'ok' });
    const elsewhere = await new Promise<{ status: number; headers: Record<string, unknown> }>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`);
      ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      ws.once('error', () => {});
    });
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.headers).toMatchObject(identity);
  });

  it('serves the socket.io client itself at <path>socket.io.min.js (and socket.io.js), with an ETag of its version', async () => {
    const script = await get(server.port, '/rt/socket.io.min.js');
    expect(script.status).toBe(200);
    expect(script.headers).toMatchObject({ ...identity, 'content-type': 'application/javascript; charset=utf-8', etag: `"${SOCKETIO_CLIENT_VERSION}"` });
    expect(script.body).toContain(`Socket.IO v${SOCKETIO_CLIENT_VERSION}`);
    expect(SOCKETIO_CLIENT_VERSION).toMatch(/^4\.8\./);
    expect((await get(server.port, '/rt/socket.io.min.js', 'GET', { 'If-None-Match': `"${SOCKETIO_CLIENT_VERSION}"` })).status).toBe(304);
    const map = await get(server.port, '/rt/socket.io.min.js.map');
    expect(map.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(map.body)).toHaveProperty('mappings');
    expect((await get(server.port, '/rt/socket.io.js')).body).toContain('Socket.IO');
    // Not at socket.io's default path: this server's path is /rt/.
    expect((await get(server.port, '/socket.io/socket.io.min.js')).status).toBe(404);
  });

  it("serves its page, pointed at its own path and script, loading nothing from elsewhere", async () => {
    const page = await get(server.port, '/');
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('<meta name="socketio-path" content="/rt/">');
    expect(page.body).toContain('<script src="/rt/socket.io.min.js"></script>');
    expect(page.body.match(/<(script|link|img)[^>]+(src|href)=/g)).toEqual(['<script src=']);
    for (const id of ['connectButton', 'sendButton', 'closeButton', 'transportLabel', 'commsLog']) expect(page.body).toContain(`id="${id}"`);
    expect(renderSocketioPage('/socket.io/')).toContain('<script src="/socket.io/socket.io.min.js"></script>');
  });
});
