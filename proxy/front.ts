/**
 * The Node `http-proxy` front: plain HTTP is proxied to the app; WebSocket upgrades are either
 * forwarded to the app (`websocket: 'off'`, proxy/pass-through.ts) or answered by the front
 * (`websocket: 'on'`, proxy/own-websocket.ts). Whatever the front answers itself carries X-Front.
 * With several targets (app replicas), each request and each forwarded upgrade goes to the one
 * proxy/balancer.ts picks: round robin, or the one the client's sticky cookie names.
 *
 * With a TLS certificate the one listener speaks h2 and HTTP/1.1 (by ALPN) and advertises
 * SETTINGS_ENABLE_CONNECT_PROTOCOL, so browsers open WebSockets over h2 (RFC 8441); those become
 * HTTP/1.1 upgrades toward the app (proxy/h2.ts). HTTP/1.1 over TLS takes the plain path.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createSecureServer, type Http2SecureServer, type Http2ServerRequest, type Http2ServerResponse, type Http2Session } from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import httpProxy from 'http-proxy';
import { createBalancer, type Target } from './balancer.js';
import { createH2Side } from './h2.js';
import { FRONT_HEADER, FRONT_IDENTITY } from './identity.js';
import { stdoutLog, type FrontLog } from './log.js';
import { frontTls, resolveFrontOptions, type FrontOptions } from './options.js';
import { createOwnWebsocket } from './own-websocket.js';
import { createPassThrough } from './pass-through.js';
import { boundConnect } from './connect-timeout.js';
import { answerRawSocket, errorText, unreachableAnswer } from './raw-response.js';
import { listenError } from '../src/listen-error.js';

export interface HttpFrontOptions extends Omit<FrontOptions, 'target'> {
  /** The app (one URL, or a comma list of them), or its replicas (a list): balanced round robin. */
  target: string | readonly string[];
  /** Where the one-line event log goes (default stdout; `silentLog` for tests). */
  log: FrontLog;
}

export interface HttpFrontHandle {
  host: string;
  port: number;
  /** `http://host:port` (`https://` with TLS), with a wildcard listen address replaced by loopback. */
  url: string;
  wsUrl(path?: string): string;
  options: FrontOptions;
  close(): Promise<void>;
}

function reachableHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

function answerUnreachable(res: ServerResponse, answer: ReturnType<typeof unreachableAnswer>): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(answer.status, { [FRONT_HEADER]: FRONT_IDENTITY, 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' });
  res.end(`${answer.body}\n`);
}

function readPem(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`http-front: cannot read the TLS ${what} ${path}: ${(err as Error).message}`);
  }
}

/** HTTP/1.1 requests, and on a TLS listener h2 ones (which Node hands over as compat objects). */
type AnyRequest = IncomingMessage | Http2ServerRequest;
type AnyResponse = ServerResponse | Http2ServerResponse;

function isH2(req: AnyRequest): req is Http2ServerRequest {
  return req.httpVersionMajor === 2;
}

export async function startHttpFront(input: Partial<HttpFrontOptions> = {}): Promise<HttpFrontHandle> {
  const { log = stdoutLog, target, ...rest } = input;
  const overrides = { ...rest, ...(target === undefined ? {} : { target: typeof target === 'string' ? [target] : [...target] }) };
  const options = resolveFrontOptions({ overrides });
  const tls = frontTls(options) ? { cert: readPem(options.tlsCert, 'certificate'), key: readPem(options.tlsKey, 'key') } : undefined;

  const balancer = createBalancer(options);
  // The target is chosen per request (proxy.web / proxy.ws are given it each time).
  const proxy = httpProxy.createProxyServer({ xfwd: options.forwardedHeaders, ws: true });
  // Per-call callbacks handle errors; this one only makes sure nothing unexpected can crash the front.
  proxy.on('error', (err) => log(`proxy error: ${errorText(err)}`));
  // Which target each plain request went to, for the sticky cookie on its response.
  const chosen = new WeakMap<IncomingMessage, Target>();
  // Connecting to the app is bounded (connect-timeout.ts); pass-through.ts bounds the upgrades'.
  proxy.on('proxyReq', (proxyReq, req) => boundConnect(proxyReq, chosen.get(req)?.url ?? 'the app', options.connectTimeout));
  proxy.on('proxyRes', (proxyRes, req) => {
    const t = chosen.get(req);
    if (t) balancer.stick(proxyRes.headers, req.headers, t);
  });

  const own = createOwnWebsocket(options.idleTimeout, log);
  const upgrades = options.websocket === 'on' ? own : createPassThrough(proxy, balancer, options, log);
  const h2side = createH2Side(options, balancer, own, log);

  // A request (or handshake) whose headers have not all arrived within headerTimeout gets 408 and
  // is disconnected; Node checks its connections at this interval.
  const timeouts = {
    headersTimeout: options.headerTimeout,
    requestTimeout: options.headerTimeout === 0 ? 0 : Math.max(options.headerTimeout, 300_000),
    connectionsCheckingInterval: Math.min(1_000, Math.max(100, options.headerTimeout / 4 || 1_000)),
  };
  const onRequest = (req: AnyRequest, res: AnyResponse): void => {
    if (isH2(req)) {
      h2side.handleRequest(req, res as Http2ServerResponse);
      return;
    }
    const h1res = res as ServerResponse;
    const t = balancer.pick(req.headers);
    chosen.set(req, t);
    proxy.web(req, h1res, { target: t.url }, (err) => {
      const answer = unreachableAnswer(t.url, err);
      log(`${req.method ?? '?'} ${req.url ?? '/'}: ${answer.status}, ${t.url} unreachable (${errorText(err)})`);
      answerUnreachable(h1res, answer);
    });
  };
  const sessions = new Set<Http2Session>();
  let server: Server | Http2SecureServer;
  if (tls) {
    const secure = createSecureServer({ ...tls, allowHTTP1: true, settings: { enableConnectProtocol: true } }, onRequest);
    // The HTTP/1.1 side of the listener reads these as an http.Server's options.
    Object.assign(secure, timeouts);
    // An h2 CONNECT comes as (request, response); an HTTP/1.1 one as (request, socket): refused.
    secure.on('connect', (req: AnyRequest, resOrSocket: Http2ServerResponse | Duplex) => {
      if (isH2(req)) {
        h2side.handleConnect(req);
        return;
      }
      log(`refused an HTTP/1.1 CONNECT ${req.url ?? ''}`);
      answerRawSocket(resOrSocket as Duplex, 405, '405 Method Not Allowed: the front is no CONNECT proxy');
    });
    secure.on('session', (session: Http2Session) => {
      sessions.add(session);
      session.once('close', () => sessions.delete(session));
      session.on('error', (err) => log(`h2 session error: ${errorText(err)}`));
    });
    server = secure;
  } else {
    server = createServer(timeouts, onRequest);
  }
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => upgrades.handleUpgrade(req, socket, head));
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      log(`cut a request whose headers did not arrive within ${options.headerTimeout} ms`);
      answerRawSocket(socket, 408, '408 Request Timeout');
      return;
    }
    log(`refused a malformed request: ${errorText(err)}`);
    answerRawSocket(socket, 400, '400 Bad Request');
  });

  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      reject(listenError(err, { what: 'http-front', host: options.host, port: options.port, portEnv: 'FRONT_PORT', hostEnv: 'FRONT_HOST' }));
    };
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  server.on('error', (err) => log(`server error: ${errorText(err)}`));

  const port = (server.address() as AddressInfo).port;
  const url = `${tls ? 'https' : 'http'}://${reachableHost(options.host)}:${port}`;
  let closing: Promise<void> | undefined;

  return {
    host: options.host,
    port,
    url,
    wsUrl: (path = '/ws') => `${url.replace(/^http/, 'ws')}${path.startsWith('/') ? path : `/${path}`}`,
    options,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        upgrades.closeAll();
        if (own !== upgrades) own.closeAll();
        h2side.closeAll();
        for (const session of sessions) session.destroy();
        for (const socket of sockets) socket.destroy();
        proxy.close();
      });
      return closing;
    },
  };
}
