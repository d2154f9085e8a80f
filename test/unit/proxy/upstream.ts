/**
 * Test helpers for the front: a tiny `ws` echo app to stand behind it (counts upgrades, names
 * itself with `X-Echo-Server: test` on its 101, remembers the last upgrade's headers, can drop
 * its connections on demand) and a quiet front on a free port.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { connect as connectTcp, createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, expect } from 'vitest';
import { WebSocketServer } from 'ws';
import { startHttpFront, type HttpFrontHandle, type HttpFrontOptions } from '../../../proxy/front.js';
import { silentLog } from '../../../proxy/log.js';
import { closed, discard, nextMessage, open } from '../../../src/scenarios/check-helpers/client.js';

export interface TestUpstream {
  port: number;
  url: string;
  upgrades: number;
  lastUpgradeHeaders: IncomingHttpHeaders | undefined;
  lastRequestHeaders: IncomingHttpHeaders | undefined;
  /** WebSockets the app has open now. */
  openWebSockets(): number;
  /** Destroys every socket the app has open (an app crash or reset mid-connection). */
  dropConnections(): void;
  /** Resets every socket the app has open (TCP RST, as a crashed host or a firewall would). */
  resetConnections(): void;
  close(): Promise<void>;
}

/** Listens on `port` (0 = a free one): pass an earlier upstream's port to bring it back. */
export async function startUpstream(port = 0): Promise<TestUpstream> {
  const sockets = new Set<Socket>();
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  wss.on('headers', (headers) => headers.push('X-Echo-Server: test'));
  wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  });
  const server = createServer((req, res) => {
    upstream.lastRequestHeaders = req.headers;
    res.writeHead(200, { 'Content-Type': 'text/plain', 'X-Echo-Server': 'test' });
    res.end(`upstream saw ${req.method ?? '?'} ${req.url ?? '/'}`);
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('upgrade', (req, socket, head) => {
    upstream.upgrades += 1;
    upstream.lastUpgradeHeaders = req.headers;
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  const upstream: TestUpstream = {
    port: bound,
    url: `http://127.0.0.1:${bound}`,
    upgrades: 0,
    lastUpgradeHeaders: undefined,
    lastRequestHeaders: undefined,
    openWebSockets: () => wss.clients.size,
    dropConnections: () => {
      for (const socket of sockets) socket.destroy();
    },
    resetConnections: () => {
      for (const socket of sockets) socket.resetAndDestroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of wss.clients) ws.terminate();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  return upstream;
}

/** An app that accepts connections and never answers (hung). */
export async function startSilentApp(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}


export function startQuietFront(options: Partial<HttpFrontOptions>): Promise<HttpFrontHandle> {
  return startHttpFront({ host: '127.0.0.1', port: 0, log: silentLog, ...options });
}

/** Sends raw bytes and returns everything the front writes back until it closes. */
export function rawExchange(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp(port, '127.0.0.1', () => socket.write(request));
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => { text += chunk; });
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
}

/** Registers a test upstream and a quiet front over it for the enclosing describe block. */
export function useFrontOverUpstream(websocket: 'on' | 'off'): { upstream: TestUpstream; front: HttpFrontHandle } {
  const fixture = {} as { upstream: TestUpstream; front: HttpFrontHandle };
  beforeAll(async () => {
    fixture.upstream = await startUpstream();
    fixture.front = await startQuietFront({ target: fixture.upstream.url, websocket });
  });
  afterAll(async () => {
    await fixture.front?.close();
    await fixture.upstream?.close();
  });
  return fixture;
}

/** Opens a WebSocket at `url`, sends `payload` and expects it back byte for byte, type kept. */
export async function expectEchoed(url: string, payload: Buffer | string, binary = false, timeoutMs = 5_000): Promise<void> {
  const ws = await open(url);
  try {
    const reply = nextMessage(ws, timeoutMs);
    ws.send(payload, { binary });
    const got = await reply;
    expect(got.isBinary).toBe(binary);
    expect(got.data.equals(Buffer.from(payload))).toBe(true);
  } finally {
    discard(ws);
  }
}

/** Closes with 4000 "bye" and expects the same code and reason back. */
export async function expectCloseMirrored(url: string): Promise<void> {
  const ws = await open(url);
  const done = closed(ws, 5_000);
  ws.close(4000, 'bye');
  expect(await done).toMatchObject({ code: 4000, reason: 'bye' });
}
