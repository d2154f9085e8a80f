/**
 * The RFC 8441 client (src/scenarios/check-helpers/h2-websocket.ts) against in-process h2
 * servers: what it reads of a server (ALPN, extended CONNECT), WebSockets as streams of one
 * session with ws's framing, and the HTTP/1.1 path a browser takes when h2 offers no WebSockets.
 */
import { constants as h2 } from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedCertificate, type TlsMaterial } from '../../../src/containers/tls.js';
import {
  connectH2,
  h2Target,
  NotH2Error,
  openH2WebSocket,
  openLikeBrowser,
  probeH2,
  rstCodeName,
  type EchoSocket,
} from '../../../src/scenarios/check-helpers/h2-websocket.js';
import { websocketOnStream } from '../../../src/websocket-on-stream.js';
import { CLOCK_ALLOWANCE_MS } from '../../../src/scenarios/checks/idle.js';
import { startH2EchoServer, type H2EchoServer } from '../../support/h2-echo-server.js';

let tls: TlsMaterial;
let good: H2EchoServer;
let silent: H2EchoServer;
let refusing: H2EchoServer;
let http1Only: H2EchoServer;
let idle: H2EchoServer;
/**
 * The idle server's stream timeout: the busy stream's pings, every 100 ms, keep it open with a
 * margin of a second over the loop's stalls (500–600 ms at times).
 */
const STREAM_IDLE_MS = 1_200;

beforeAll(async () => {
  tls = await selfSignedCertificate();
  [good, silent, refusing, http1Only, idle] = await Promise.all([
    startH2EchoServer({ tls, subprotocols: ['chat.v2', 'chat'] }),
    startH2EchoServer({ tls, advertise: false }),
    startH2EchoServer({ tls, connectStatus: 405 }),
    startH2EchoServer({ tls, h2: false }),
    startH2EchoServer({ tls, streamIdleMs: STREAM_IDLE_MS }),
  ]);
});

afterAll(async () => {
  await Promise.all([good, silent, refusing, http1Only, idle].map((s) => s?.close()));
});

async function echoes(socket: EchoSocket, data: string | Buffer, binary = typeof data !== 'string'): Promise<boolean> {
  const reply = socket.nextMessage();
  socket.send(data, { binary });
  const got = await reply;
  return got.isBinary === binary && got.data.equals(Buffer.from(data));
}

describe('h2Target', () => {
  it('takes the TLS endpoint, :authority and :path from a wss:// or https:// URL, and refuses cleartext', () => {
    expect(h2Target('wss://127.0.0.1:8443/ws?x=1')).toEqual({ host: '127.0.0.1', port: 8443, authority: '127.0.0.1:8443', path: '/ws?x=1' });
    expect(h2Target('https://example.test/')).toEqual({ host: 'example.test', port: 443, authority: 'example.test', path: '/' });
    expect(() => h2Target('ws://127.0.0.1:8080/ws')).toThrow(/need TLS.*not ws:/);
  });
});

describe('probeH2', () => {
  it('reports the ALPN result and whether SETTINGS_ENABLE_CONNECT_PROTOCOL came', async () => {
    const opts = { ca: tls.cert };
    expect(await probeH2(good.wsUrl, opts)).toEqual({ alpn: 'h2', connectProtocol: true });
    expect(await probeH2(silent.wsUrl, opts)).toEqual({ alpn: 'h2', connectProtocol: false });
    expect(await probeH2(http1Only.wsUrl, opts)).toEqual({ alpn: 'http/1.1', connectProtocol: false });
  });

  it('verifies the certificate unless told not to', async () => {
    await expect(probeH2(good.wsUrl)).rejects.toThrow(/TLS connection to 127.0.0.1:\d+ failed: self.signed/);
    expect(await probeH2(good.wsUrl, { insecure: true })).toEqual({ alpn: 'h2', connectProtocol: true });
  });

  it('connectH2 refuses an endpoint that did not choose h2, saying what it chose', async () => {
    const err = await connectH2(http1Only.wsUrl, { ca: tls.cert }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotH2Error);
    expect((err as NotH2Error).message).toMatch(/did not negotiate h2 \(ALPN http\/1\.1\)/);
  });
});

describe('WebSockets as extended CONNECT streams', () => {
  it('sends an RFC 8441 CONNECT: :protocol websocket, version 13, no key, no Upgrade; the server answers 200', async () => {
    const session = await connectH2(good.wsUrl, { ca: tls.cert });
    try {
      const before = good.connects.length;
      const handshake = await session.openWebSocket({ protocols: ['chat', 'other'] });
      expect(handshake.status).toBe(200);
      expect(handshake.socket?.protocol).toBe('chat');
      const seen = good.connects[before];
      expect(seen).toMatchObject({ ':method': 'CONNECT', ':protocol': 'websocket', ':scheme': 'https', ':path': '/ws', 'sec-websocket-version': '13', 'sec-websocket-protocol': 'chat, other' });
      expect(seen?.[':authority']).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(seen?.['sec-websocket-key']).toBeUndefined();
      expect(seen?.upgrade).toBeUndefined();
    } finally {
      session.close();
    }
  });

  it('echoes text, binary, a fragmented message and 1 MiB; pings get pongs', async () => {
    const { h2: session, socket } = await openH2WebSocket(good.wsUrl, { ca: tls.cert });
    try {
      expect(await echoes(socket, 'hello over h2 ✓')).toBe(true);
      expect(await echoes(socket, Buffer.from([0, 1, 2, 255]))).toBe(true);
      const large = Buffer.alloc(1024 * 1024, 7);
      large[12345] = 1;
      expect(await echoes(socket, large)).toBe(true);
      const reply = socket.nextMessage();
      socket.send('frag-one|', { binary: false, fin: false });
      socket.send('frag-two|', { binary: false, fin: false });
      socket.send('frag-three', { binary: false, fin: true });
      const got = await reply;
      expect(got.isBinary).toBe(false);
      expect(got.data.toString()).toBe('frag-one|frag-two|frag-three');
      const pong = new Promise<Buffer>((resolve) => socket.ws.once('pong', resolve));
      socket.ping(Buffer.from('are you there'));
      expect((await pong).toString()).toBe('are you there');
    } finally {
      socket.discard();
      session.close();
    }
  });

  it('masks what it sends: the server-side framing takes its frames and refuses unmasked ones', async () => {
    const session = await connectH2(good.wsUrl, { ca: tls.cert });
    try {
      const errors = good.serverErrors.length;
      const client = (await session.openWebSocket()).socket as EchoSocket;
      expect(await echoes(client, 'masked')).toBe(true);
      expect(good.serverErrors.slice(errors)).toEqual([]);
      // The same kind of stream with server framing (unmasked frames): refused as a protocol error.
      const stream = session.session.request({ ':method': 'CONNECT', ':protocol': 'websocket', ':scheme': 'https', ':path': '/ws', ':authority': session.target.authority, 'sec-websocket-version': '13' });
      await new Promise((resolve) => stream.once('response', resolve));
      const unmasked = websocketOnStream(stream, 'server');
      unmasked.on('error', () => {});
      const closed = new Promise<number>((resolve) => unmasked.once('close', resolve));
      unmasked.send('not masked');
      await closed;
      expect(good.serverErrors.slice(errors)).toEqual([expect.stringMatching(/MASK must be set/)]);
      client.discard();
    } finally {
      session.close();
    }
  });

  it('carries a close code and reason both ways, and reports it in `closed`', async () => {
    const { h2: session, socket } = await openH2WebSocket(good.wsUrl, { ca: tls.cert });
    try {
      socket.close(4000, 'bye over h2');
      const closed = await socket.closed;
      expect(closed.code).toBe(4000);
      expect(closed.reason).toBe('bye over h2');
      expect(session.session.destroyed).toBe(false);
    } finally {
      session.close();
    }
  });

  it('runs several WebSockets as streams of one session: closing one leaves the others echoing', async () => {
    const session = await connectH2(good.wsUrl, { ca: tls.cert });
    try {
      const sockets = await Promise.all([0, 1, 2].map(async () => (await session.openWebSocket()).socket as EchoSocket));
      expect(sockets.every(Boolean)).toBe(true);
      const results = await Promise.all(sockets.map((s, i) => echoes(s, `stream ${i}`)));
      expect(results).toEqual([true, true, true]);
      const [first, ...others] = sockets as [EchoSocket, ...EchoSocket[]];
      first.close(1000, 'done');
      expect((await first.closed).code).toBe(1000);
      expect(await Promise.all(others.map((s, i) => echoes(s, `still ${i}`)))).toEqual([true, true]);
      expect(session.session.destroyed).toBe(false);
      for (const s of others) s.discard();
    } finally {
      session.close();
    }
  });

  it('reports a refused CONNECT with its status and body, and no socket', async () => {
    const session = await connectH2(refusing.wsUrl, { ca: tls.cert });
    try {
      const handshake = await session.openWebSocket();
      expect(handshake.status).toBe(405);
      expect(handshake.socket).toBeUndefined();
      expect(handshake.body).toBe('405 refused by the test server');
      await expect(openH2WebSocket(refusing.wsUrl, { ca: tls.cert })).rejects.toThrow(/extended CONNECT failed: 405/);
    } finally {
      session.close();
    }
  });

  it('against a server that did not advertise it, the CONNECT is reset and the error says why', async () => {
    const session = await connectH2(silent.wsUrl, { ca: tls.cert });
    try {
      expect(session.connectProtocol).toBe(false);
      const handshake = await session.openWebSocket();
      expect(handshake.status).toBe(0);
      expect(handshake.error).toMatch(/PROTOCOL_ERROR/);
      await expect(openH2WebSocket(silent.wsUrl, { ca: tls.cert })).rejects.toThrow(/did not advertise SETTINGS_ENABLE_CONNECT_PROTOCOL/);
    } finally {
      session.close();
    }
  });

  it('sees a stream cut by the server as 1006, other streams of the session unaffected until idle', async () => {
    const session = await connectH2(idle.wsUrl, { ca: tls.cert });
    try {
      const opened = await session.openWebSocket();
      const quiet = opened.socket as EchoSocket;
      const busy = (await session.openWebSocket()).socket as EchoSocket;
      const pinger = setInterval(() => busy.ping(), 100);
      const cut = await quiet.closed;
      expect(cut.code).toBe(1006);
      // The server's stream timer starts as it answers the quiet stream's CONNECT: judged from
      // both ends of that handshake (the busy stream's opening counts in neither).
      expect(cut.at - (opened.requestSentAt ?? Infinity)).toBeGreaterThanOrEqual(STREAM_IDLE_MS - CLOCK_ALLOWANCE_MS);
      // At most a second late: the loop stalls 500–600 ms at times.
      expect(cut.at - (opened.responseAt ?? -Infinity)).toBeLessThan(STREAM_IDLE_MS + 1_000);
      expect(await echoes(busy, 'kept by pings')).toBe(true);
      clearInterval(pinger);
      busy.discard();
    } finally {
      session.close();
    }
  });

  it('names h2 error codes', () => {
    expect(rstCodeName(h2.NGHTTP2_CANCEL)).toBe('CANCEL');
    expect(rstCodeName(h2.NGHTTP2_PROTOCOL_ERROR)).toBe('PROTOCOL_ERROR');
    expect(rstCodeName(0x99)).toBe('0x99');
  });
});

describe('openLikeBrowser', () => {
  it('takes h2 when it is negotiated and extended CONNECT is advertised', async () => {
    const path = await openLikeBrowser(good.wsUrl, { ca: tls.cert });
    try {
      expect(path).toMatchObject({ via: 'h2', alpn: 'h2', connectProtocol: true, socketAlpn: 'h2' });
      expect(await echoes(path.socket, 'h2 path')).toBe(true);
    } finally {
      path.close();
    }
  });

  it('falls back to an HTTP/1.1 upgrade over the same listener when h2 offers no WebSockets', async () => {
    const before = silent.http1Upgrades;
    const path = await openLikeBrowser(silent.wsUrl, { ca: tls.cert });
    try {
      expect(path).toMatchObject({ via: 'http/1.1', alpn: 'h2', connectProtocol: false, socketAlpn: 'http/1.1' });
      expect(silent.http1Upgrades).toBe(before + 1);
      expect(await echoes(path.socket, 'fallback path')).toBe(true);
    } finally {
      path.close();
    }
  });

  it('uses HTTP/1.1 when the server does not speak h2 at all', async () => {
    const path = await openLikeBrowser(http1Only.wsUrl, { ca: tls.cert });
    try {
      expect(path).toMatchObject({ via: 'http/1.1', alpn: 'http/1.1', connectProtocol: false });
      expect(await echoes(path.socket, 'h1 only')).toBe(true);
    } finally {
      path.close();
    }
  });

  it('throws when the advertised path fails, rather than hiding it behind a fallback', async () => {
    await expect(openLikeBrowser(refusing.wsUrl, { ca: tls.cert })).rejects.toThrow(/advertised but failed: 405/);
  });
});
