/**
 * The Node `http-proxy` front: plain HTTP is proxied to the app; WebSocket upgrades are either
 * forwarded to the app (`websocket: 'off'`, proxy/pass-through.ts) or answered by the front
 * (`websocket: 'on'`, proxy/own-websocket.ts). Whatever the front answers itself carries X-Front.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import httpProxy from 'http-proxy';
import { FRONT_HEADER, FRONT_IDENTITY } from './identity.js';
import { stdoutLog, type FrontLog } from './log.js';
import { resolveFrontOptions, type FrontOptions } from './options.js';
import { createOwnWebsocket } from './own-websocket.js';
import { createPassThrough } from './pass-through.js';
import { answerRawSocket, badGatewayText, errorText } from './raw-response.js';

export interface HttpFrontOptions extends FrontOptions {
  /** Where the one-line event log goes (default stdout; `silentLog` for tests). */
  log: FrontLog;
}

export interface HttpFrontHandle {
  host: string;
  port: number;
  /** `http://host:port`, with a wildcard listen address replaced by loopback. */
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

function answerBadGateway(res: ServerResponse, target: string, err: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(502, { [FRONT_HEADER]: FRONT_IDENTITY, 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' });
  res.end(`${badGatewayText(target, err)}\n`);
}

export async function startHttpFront(input: Partial<HttpFrontOptions> = {}): Promise<HttpFrontHandle> {
  const { log = stdoutLog, ...overrides } = input;
  const options = resolveFrontOptions({ overrides });

  const proxy = httpProxy.createProxyServer({ target: options.target, xfwd: options.forwardedHeaders, ws: true });
  // Per-call callbacks handle errors; this one only makes sure nothing unexpected can crash the front.
  proxy.on('error', (err) => log(`proxy error: ${errorText(err)}`));

  const upgrades = options.websocket === 'on'
    ? createOwnWebsocket(options.idleTimeout, log)
    : createPassThrough(proxy, options, log);

  // A request (or handshake) whose headers have not all arrived within headerTimeout gets 408 and
  // is disconnected; Node checks its connections at this interval.
  const server = createServer({
    headersTimeout: options.headerTimeout,
    requestTimeout: options.headerTimeout === 0 ? 0 : Math.max(options.headerTimeout, 300_000),
    connectionsCheckingInterval: Math.min(1_000, Math.max(100, options.headerTimeout / 4 || 1_000)),
  }, (req: IncomingMessage, res: ServerResponse) => {
    proxy.web(req, res, {}, (err) => {
      log(`${req.method ?? '?'} ${req.url ?? '/'}: 502, ${options.target} unreachable (${errorText(err)})`);
      answerBadGateway(res, options.target, err);
    });
  });
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
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => log(`server error: ${errorText(err)}`));

  const port = (server.address() as AddressInfo).port;
  const url = `http://${reachableHost(options.host)}:${port}`;
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
        for (const socket of sockets) socket.destroy();
        proxy.close();
      });
      return closing;
    },
  };
}
