import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { maskedControlFrame, openIdleWebSocket, readFrames } from '../../../src/bench/idle-websocket.js';
import { websocketAccept } from '../../../src/websocket-accept.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

/** A ws server on loopback; `connections` receives each server-side socket. */
async function wsServer(): Promise<{ url: string; next: () => Promise<WebSocket> }> {
  const http = createServer();
  const wss = new WebSocketServer({ server: http });
  const waiting: ((ws: WebSocket) => void)[] = [];
  const arrived: WebSocket[] = [];
  wss.on('connection', (ws) => { const w = waiting.shift(); if (w) w(ws); else arrived.push(ws); });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  closers.push(async () => { for (const c of wss.clients) c.terminate(); await new Promise((r) => wss.close(r)); await new Promise((r) => http.close(r)); });
  return {
    url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}/ws`,
    next: () => new Promise((r) => { const ws = arrived.shift(); if (ws) r(ws); else waiting.push(r); }),
  };
}

/** An HTTP server that answers every request with `respond`'s raw bytes. */
async function rawServer(respond: (key: string) => string): Promise<string> {
  const http: Server = createServer();
  http.on('upgrade', (req, socket) => { socket.end(respond(String(req.headers['sec-websocket-key']))); });
  http.on('request', (_, res) => { res.statusCode = 400; res.end(); });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise((r) => { http.closeAllConnections(); http.close(() => r()); }));
  return `ws://127.0.0.1:${(http.address() as AddressInfo).port}/ws`;
}

describe('openIdleWebSocket against the ws server', () => {
  it('opens, answers every ping with a pong carrying its payload, and reports the close code the server sends', async () => {
    const server = await wsServer();
    const closes: number[] = [];
    const client = openIdleWebSocket(server.url, { onClose: (code) => closes.push(code) });
    const [, peer] = await Promise.all([client, server.next()]);
    for (const payload of ['a', 'keepalive-2', '']) {
      const pong = new Promise<string>((r) => peer.once('pong', (data) => r(data.toString())));
      peer.ping(payload);
      expect(await pong).toBe(payload);
    }
    const closed = new Promise<number>((r) => peer.once('close', (code) => r(code)));
    peer.close(4001, 'bye');
    expect(await closed).toBe(4001); // the client echoed the Close, as RFC 6455 asks
    await expect.poll(() => closes).toEqual([4001]);
  });

  it('counts a connection cut without a Close as 1006', async () => {
    const server = await wsServer();
    const closes: number[] = [];
    const [, peer] = await Promise.all([openIdleWebSocket(server.url, { onClose: (code) => closes.push(code) }), server.next()]);
    peer.terminate();
    await expect.poll(() => closes).toEqual([1006]);
  });
});

describe('openIdleWebSocket refuses what is not an opening handshake', () => {
  it('a status other than 101', async () => {
    const url = await rawServer(() => 'HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n');
    await expect(openIdleWebSocket(url, { onClose: () => {} })).rejects.toThrow('Unexpected server response: 502');
  });

  it('a 101 whose Sec-WebSocket-Accept does not answer the key', async () => {
    const url = await rawServer(() => `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${websocketAccept('not the key')}\r\n\r\n`);
    await expect(openIdleWebSocket(url, { onClose: () => {} })).rejects.toThrow('Invalid Sec-WebSocket-Accept header');
  });

  it('a connection closed before any answer', async () => {
    const url = await rawServer(() => '');
    await expect(openIdleWebSocket(url, { onClose: () => {} })).rejects.toThrow('socket hang up');
  });

  it('no answer within the timeout', async () => {
    const http = createServer();
    const held: import('node:stream').Duplex[] = [];
    http.on('upgrade', (_, socket) => { held.push(socket); }); // holds the socket, answers nothing
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise((r) => { for (const s of held) s.destroy(); http.close(() => r()); }));
    await expect(openIdleWebSocket(`ws://127.0.0.1:${(http.address() as AddressInfo).port}/ws`, { onClose: () => {} }, 200)).rejects.toThrow('Opening handshake has timed out');
  });
});

describe('readFrames and maskedControlFrame', () => {
  const frame = (opcode: number, payload: Buffer): Buffer => {
    const len = payload.length;
    const head = len < 126 ? Buffer.from([0x80 | opcode, len]) : Buffer.from([0x80 | opcode, 126, len >> 8, len & 0xff]);
    return Buffer.concat([head, payload]);
  };

  it('hands over pings and closes, skips data frames of any length, and keeps an incomplete frame for the next chunk', () => {
    const seen: [number, string][] = [];
    const all = Buffer.concat([frame(0x1, Buffer.alloc(300, 0x61)), frame(0x9, Buffer.from('p1')), frame(0x8, Buffer.from([0x0f, 0xa0]))]);
    let rest = readFrames(all.subarray(0, 150), (op, p) => seen.push([op, p.toString('hex')]));
    expect(seen).toEqual([]);
    rest = readFrames(Buffer.concat([rest as Buffer, all.subarray(150, all.length - 1)]), (op, p) => seen.push([op, p.toString('hex')]));
    expect(seen).toEqual([[0x9, Buffer.from('p1').toString('hex')]]);
    rest = readFrames(Buffer.concat([rest as Buffer, all.subarray(all.length - 1)]), (op, p) => seen.push([op, p.toString('hex')]));
    expect(seen).toEqual([[0x9, Buffer.from('p1').toString('hex')], [0x8, '0fa0']]);
    expect((rest as Buffer).length).toBe(0);
  });

  it('refuses a masked frame from the server', () => {
    expect(readFrames(Buffer.from([0x89, 0x80, 1, 2, 3, 4]), () => {})).toBeInstanceOf(Error);
  });

  it('masks a control frame so that unmasking gives the payload back', () => {
    const f = maskedControlFrame(0xa, Buffer.from('hello'));
    expect([f[0], f[1]]).toEqual([0x8a, 0x85]);
    const mask = f.subarray(2, 6);
    expect(Buffer.from(f.subarray(6).map((b, i) => b ^ (mask[i & 3] as number))).toString()).toBe('hello');
    expect(() => maskedControlFrame(0x9, Buffer.alloc(126))).toThrow('at most 125 bytes');
  });
});
