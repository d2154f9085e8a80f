/**
 * An in-process TLS echo server for the RFC 8441 tests: h2 with or without
 * SETTINGS_ENABLE_CONNECT_PROTOCOL, extended CONNECT answered 200 and echoed with ws's server-side
 * framing on the stream, HTTP/1.1 upgrades on the same listener; and the ways a front gets it
 * wrong (a refused CONNECT, streams cut when idle or early, a close answered with another code, a
 * session that dies with its first closed WebSocket, no h2 at all).
 */
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createSecureServer, constants as h2, type Http2SecureServer, type Http2Session, type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import WebSocket, { WebSocketServer } from 'ws';
import type { TlsMaterial } from '../../src/containers/tls.js';
import { websocketOnStream } from '../../src/websocket-on-stream.js';

export interface H2EchoServerOptions {
  tls: TlsMaterial;
  /** Offer h2 by ALPN at all (false: an HTTP/1.1-only TLS server). Default true. */
  h2?: boolean;
  /** SETTINGS_ENABLE_CONNECT_PROTOCOL. Default true. */
  advertise?: boolean;
  /** The status an extended CONNECT gets. Default 200 (then it echoes). */
  connectStatus?: number;
  /** Reset a WebSocket stream that moved nothing for this long (0 = never). */
  streamIdleMs?: number;
  /** Reset every WebSocket stream this long after it opened, busy or not (0 = never). */
  cutAfterMs?: number;
  /** The largest message the server takes (larger: it closes with 1009). */
  maxPayload?: number;
  /** Answer a client's close with this code and reason instead of mirroring it. */
  closeAnswer?: { code: number; reason: string };
  /** Closing one WebSocket destroys its whole h2 session. */
  sessionDiesWithStream?: boolean;
  /** Subprotocols the server accepts (it chooses the first offered one it knows). */
  subprotocols?: string[];
  /** HTTP/1.1 upgrades on the same listener: echoed (default) or refused with 403. */
  http1?: 'echo' | 'refuse';
}

export interface H2EchoServer {
  url: string;
  wsUrl: string;
  ca: string;
  /** Extended CONNECT streams the server saw, and their request headers. */
  connects: Array<Record<string, string | string[] | undefined>>;
  /** HTTP/1.1 upgrades the server saw. */
  http1Upgrades: number;
  /** Why the server's framing refused what a client sent ("MASK must be set"), in order. */
  serverErrors: string[];
  close(): Promise<void>;
}

/** Echoes every message back as it came (text as text, binary as binary). */
function echo(ws: WebSocket, options: H2EchoServerOptions, errors: string[]): void {
  ws.on('error', (err) => errors.push(err.message));
  ws.on('message', (data, isBinary) => ws.send(data as Buffer, { binary: isBinary }));
  const answer = options.closeAnswer;
  if (answer) {
    // ws answers a close frame by calling close(code, reason) on the instance: answer otherwise.
    const close = ws.close.bind(ws);
    ws.close = () => close(answer.code, answer.reason);
  }
}

function chooseProtocol(offered: string | string[] | undefined, known: string[] = []): string | undefined {
  const list = String(offered ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  return list.find((p) => known.includes(p));
}

export async function startH2EchoServer(options: H2EchoServerOptions): Promise<H2EchoServer> {
  const connects: H2EchoServer['connects'] = [];
  let http1Upgrades = 0;
  const serverErrors: string[] = [];
  const sockets = new Set<Socket>();
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    ...(options.maxPayload ? { maxPayload: options.maxPayload } : {}),
    handleProtocols: (offered) => chooseProtocol([...offered].join(','), options.subprotocols) ?? false,
  });

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    http1Upgrades += 1;
    socket.on('error', () => {});
    if (options.http1 === 'refuse') {
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => echo(ws, options, serverErrors));
  };

  const onStream = (stream: ServerHttp2Stream, headers: Record<string, string | string[] | undefined>): void => {
    stream.on('error', () => {});
    if (headers[':method'] !== 'CONNECT' || headers[':protocol'] !== 'websocket') {
      stream.respond({ ':status': 404 });
      stream.end('not here');
      return;
    }
    connects.push({ ...headers });
    const status = options.connectStatus ?? 200;
    if (status !== 200) {
      stream.respond({ ':status': status, 'content-type': 'text/plain' });
      stream.end(`${status} refused by the test server`);
      return;
    }
    const protocol = chooseProtocol(headers['sec-websocket-protocol'], options.subprotocols);
    stream.respond({ ':status': 200, ...(protocol ? { 'sec-websocket-protocol': protocol } : {}) });
    const ws = websocketOnStream(stream, 'server', { ...(options.maxPayload ? { maxPayload: options.maxPayload } : {}), ...(protocol ? { protocol } : {}) });
    echo(ws, options, serverErrors);
    const reset = (): void => { if (!stream.closed) stream.close(h2.NGHTTP2_CANCEL); };
    // ws set the stream's timeout to 0 when it took the stream over: arm it after.
    if (options.streamIdleMs) stream.setTimeout(options.streamIdleMs, reset);
    if (options.cutAfterMs) {
      const timer = setTimeout(reset, options.cutAfterMs);
      stream.once('close', () => clearTimeout(timer));
    }
    // Taken now: a closed stream no longer knows its session.
    const session = stream.session;
    if (options.sessionDiesWithStream) ws.once('close', () => session?.destroy());
  };

  let server: Http2SecureServer | HttpsServer;
  const sessions = new Set<Http2Session>();
  if (options.h2 === false) {
    server = createHttpsServer({ cert: options.tls.cert, key: options.tls.key });
  } else {
    const h2server = createSecureServer({
      cert: options.tls.cert,
      key: options.tls.key,
      allowHTTP1: true,
      settings: { enableConnectProtocol: options.advertise ?? true },
    });
    h2server.on('stream', onStream);
    h2server.on('session', (session: Http2Session) => {
      sessions.add(session);
      session.once('close', () => sessions.delete(session));
    });
    server = h2server;
  }
  server.on('upgrade', onUpgrade);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}/`,
    wsUrl: `wss://127.0.0.1:${port}/ws`,
    ca: options.tls.cert,
    connects,
    get http1Upgrades() { return http1Upgrades; },
    serverErrors,
    close: () => new Promise<void>((resolve) => {
      for (const ws of wss.clients) ws.terminate();
      for (const session of sessions) session.destroy();
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}
