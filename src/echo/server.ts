/**
 * The echo server: express for plain HTTP, ws (noServer) behind our own upgrade gate.
 *
 *   const server = await startEchoServer({ port: 0 });
 *   // server.wsUrl is ws://127.0.0.1:<port>/ws
 *   await server.close();  // every client gets 1001 "server shutting down"
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { addressTrust, clientAddress } from './client-address.js';
import { attachEcho } from './echo-connection.js';
import { checkUpgrade, gateRules, requestPath, selectSubprotocol } from './handshake-gate.js';
import { createHttpApp } from './http-app.js';
import { startKeepalive } from '../client/keepalive.js';
import { createLogger, type EchoLogger, type LogSink } from './log.js';
import { resolveEchoOptions, type EchoOptions } from './options.js';
import { IDENTITY_HEADER, writeRefusal } from './refusal.js';
import { emptyStats, snapshotStats, type EchoStats, type StatsReadOptions } from './stats.js';
import { PRODUCT } from '../version.js';
import { listenError } from '../listen-error.js';

export interface EchoServerHandle {
  host: string;
  port: number;
  /** http://host:port */
  url: string;
  /** ws://host:port/ws (the configured path) */
  wsUrl: string;
  options: EchoOptions;
  stats(read?: StatsReadOptions): EchoStats;
  /** Stops accepting, closes every WebSocket with `code` ("server shutting down"); resolves within 5 s. */
  close(code?: number): Promise<void>;
}

export interface EchoRuntime {
  /** Where log lines go (default stdout); tests pass `silentSink` or a collector. */
  logSink?: LogSink;
  /** How long clients get to answer the close frame before they are terminated (default CLOSE_GRACE_MS; tests shorten it). */
  closeGraceMs?: number;
}

/** How long clients get to answer our close frame before they are terminated. */
export const CLOSE_GRACE_MS = 2000;
/** close() never takes longer than this. */
const CLOSE_LIMIT_MS = 4500;

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function listen(server: Server, options: EchoOptions): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      reject(listenError(err, { what: 'echo server', host: options.host, port: options.port, portEnv: 'ECHO_PORT', hostEnv: 'ECHO_HOST' }));
    };
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    });
  });
}

function remoteOf(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? '?';
}

export async function startEchoServer(options: Partial<EchoOptions> = {}, runtime: EchoRuntime = {}): Promise<EchoServerHandle> {
  const resolved = resolveEchoOptions({ overrides: options });
  const graceMs = Math.min(runtime.closeGraceMs ?? CLOSE_GRACE_MS, CLOSE_GRACE_MS);
  const log: EchoLogger = createLogger(resolved.logFormat, runtime.logSink);
  const stats = emptyStats();
  const trust = addressTrust(resolved.trustedProxies);
  const rules = gateRules(resolved);
  const clients = new Set<WebSocket>();
  let nextId = 1;
  let closing = false;

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: resolved.maxMessageSize,
    perMessageDeflate: resolved.perMessageDeflate,
    skipUTF8Validation: false,
    clientTracking: false,
    handleProtocols: (offered) => selectSubprotocol(offered, resolved.subprotocols),
  });
  wss.on('headers', (headers) => {
    headers.push(`${IDENTITY_HEADER}: ${PRODUCT}`);
  });
  // Handshake problems ws finds after our gate (a malformed Sec-WebSocket-Protocol or
  // -Extensions header) get our refusal too, with the identity header.
  wss.on('wsClientError', (err, socket, req) => {
    log({ event: 'refused', status: 400, reason: err.message, remote: remoteOf(req), method: req.method ?? '?', url: req.url ?? '' });
    writeRefusal(socket, 400, err.message);
  });

  const server = createServer(createHttpApp(resolved, (read) => snapshotStats(stats, read)));

  const accept = (ws: WebSocket, req: IncomingMessage): void => {
    const id = nextId++;
    clients.add(ws);
    stats.openConnections++;
    stats.totalConnections++;
    ws.once('close', () => clients.delete(ws));
    attachEcho(ws, id, stats, log);
    const forwardedFor = req.headers['x-forwarded-for'];
    const client = clientAddress(req.socket.remoteAddress, forwardedFor, trust);
    stats.lastClientAddress = client;
    log({
      event: 'open',
      id,
      remote: remoteOf(req),
      client,
      path: requestPath(req),
      ...(forwardedFor ? { forwardedFor: String(forwardedFor) } : {}),
      ...(ws.protocol ? { protocol: ws.protocol } : {}),
    });
    startKeepalive(ws, resolved.keepAliveInterval, {
      onPing: () => stats.pingsSent++,
      onPong: () => stats.pongsReceived++,
      onTimeout: () => {
        stats.pingTimeouts++;
        log({ event: 'ping timeout', id, intervalMs: resolved.keepAliveInterval });
      },
    });
    if (closing) ws.close(1001, 'server shutting down');
  };

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    stats.upgradesReceived++;
    stats.lastUpgradeHeaders = { ...req.headers };
    socket.on('error', () => {});
    const refusal = closing ? { status: 503, reason: 'server shutting down' } : checkUpgrade(req, rules);
    if (refusal) {
      log({ event: 'refused', status: refusal.status, reason: refusal.reason, remote: remoteOf(req), method: req.method ?? '?', url: req.url ?? '' });
      writeRefusal(socket, refusal.status, refusal.reason, refusal.headers);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws, req));
  });

  const address = await listen(server, resolved);
  const base = `${hostForUrl(resolved.host)}:${address.port}`;
  const url = `http://${base}`;
  const wsUrl = `ws://${base}${resolved.path}`;
  log({ event: 'listening', url, wsUrl });

  let closed: Promise<void> | undefined;
  const close = (code = 1001): Promise<void> => {
    closed ??= (async () => {
      closing = true;
      log({ event: 'shutdown', code, connections: clients.size });
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const sockets = [...clients];
      const allClosed = Promise.all(sockets.map((ws) => new Promise<void>((resolve) => {
        if (ws.readyState === ws.CLOSED) resolve();
        else ws.once('close', () => resolve());
      })));
      for (const ws of sockets) ws.close(code, 'server shutting down');
      const timeout = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());
      await Promise.race([allClosed, timeout(graceMs)]);
      for (const ws of clients) ws.terminate();
      server.closeAllConnections();
      await Promise.race([serverClosed, timeout(CLOSE_LIMIT_MS - graceMs)]);
      wss.close();
    })();
    return closed;
  };

  return {
    host: resolved.host,
    port: address.port,
    url,
    wsUrl,
    options: resolved,
    stats: (read) => snapshotStats(stats, read),
    close,
  };
}
