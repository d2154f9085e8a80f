/**
 * The socket.io app: express for plain HTTP and socket.io 4 on one HTTP server.
 *
 *   const server = await startSocketioServer({ port: 0, replicaId: 'r1' });
 *   // socket.io-client: io(server.url, { path: server.path })
 *   await server.close();  // WebSocket clients get 1001, polling clients engine.io's close packet
 *
 * Requests are routed in this order: the socket.io client script (`<path>socket.io.min.js`, …),
 * then engine.io (everything else under the path: handshakes, polling, upgrades), then express.
 */
import { createServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { Server as SocketioServer, type Socket } from 'socket.io';
import type { WebSocket } from 'ws';
import { writeRefusal } from '../echo/refusal.js';
import { clientFileName, serveClientFile } from './client-script.js';
import { attachEvents, sessionId } from './events.js';
import { createSocketioHttpApp } from './http-app.js';
import { identityHeaders } from './identity.js';
import { createSocketioLogger, type LogSink, type SocketioLogger } from './log.js';
import { resolveSocketioOptions, type SocketioOptions, type SocketioOptionValues } from './options.js';
import { emptyCounters, snapshotStats, type SocketioStats } from './stats.js';
import { trackingWsEngine } from './ws-engine.js';
import { listenError } from '../listen-error.js';

export interface SocketioServerHandle {
  host: string;
  port: number;
  /** http://host:port */
  url: string;
  /** socket.io's path, with its trailing slash (`/socket.io/`). */
  path: string;
  replicaId: string;
  options: SocketioOptions;
  /** The socket.io server itself, for tests and embedders. */
  io: SocketioServer;
  stats(): SocketioStats;
  /** The WebSocket connections open now (a session's may outlive its disconnect by a moment, until its close handshake ends). */
  openWebSockets(): number;
  /** Refuses new sessions, disconnects every client (WebSockets with 1001), then stops listening; resolves within 5 s (src/shutdown.ts's bound). */
  close(): Promise<void>;
}

export interface SocketioRuntime {
  /** Where log lines go (default stdout); tests pass `silentSink` or a collector. */
  logSink?: LogSink;
  /** How long close() lets sessions go by themselves before it cuts them (default 2 s). */
  closeGraceMs?: number;
}

/** How long clients get to go after the close frames and close packets before they are cut. */
const CLOSE_GRACE_MS = 2000;
/** close() never takes longer than this, the grace included. */
const CLOSE_LIMIT_MS = 4500;

/** The shape of engine.io's `connection_error` event. */
interface EngineConnectionError {
  req: IncomingMessage;
  code: number;
  message: string;
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function listen(server: HttpServer, options: SocketioOptions): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      reject(listenError(err, { what: 'socket.io server', host: options.host, port: options.port, portEnv: 'SOCKETIO_PORT', hostEnv: 'SOCKETIO_HOST' }));
    };
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    });
  });
}

const timeout = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

export async function startSocketioServer(options: Partial<SocketioOptionValues> = {}, runtime: SocketioRuntime = {}): Promise<SocketioServerHandle> {
  const resolved = resolveSocketioOptions({ overrides: options });
  const replica = resolved.replicaId;
  const log: SocketioLogger = createSocketioLogger(resolved.logFormat, replica, runtime.logSink);
  const headers = identityHeaders(replica);
  const counters = emptyCounters();
  /** The WebSockets engine.io accepted (upgrades of polling sessions and direct ones). */
  const websockets = new Set<WebSocket>();
  let closing = false;

  const sessions = (): Socket[] => [...io.of('/').sockets.values()];
  const stats = (): SocketioStats => snapshotStats(replica, counters, sessions().map((s) => s.conn.transport.name));

  // express first: engine.io's attach keeps the request listeners it finds and calls them for
  // every request outside its path.
  const server = createServer(createSocketioHttpApp(resolved, stats, () => closing));
  const acceptsWebSockets = resolved.transports.includes('websocket');
  server.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
    counters.upgradesReceived++;
    // engine.io answers upgrades on its path when it accepts WebSockets; any other upgrade gets a
    // refusal here (engine.io would only end it after a second, or, polling only, nothing would).
    const onPath = (req.url ?? '').startsWith(resolved.path);
    if (onPath && acceptsWebSockets) return;
    const reason = onPath
      ? `WebSocket upgrades are off here (transports: ${resolved.transports.join(',')})`
      : `no WebSocket endpoint here; socket.io is at ${resolved.path}`;
    log({ event: 'refused', status: onPath ? 400 : 404, reason, method: req.method ?? '?', url: req.url ?? '', remote: req.socket.remoteAddress ?? '?' });
    writeRefusal(socket, onPath ? 400 : 404, reason, headers);
  });
  const io = new SocketioServer(server, {
    path: resolved.path,
    // The client files are served below (from the bundle): socket.io's serveClient reads them
    // from disk next to its own module, which the self-contained bundle does not have.
    serveClient: false,
    transports: resolved.transports,
    pingInterval: resolved.pingInterval,
    pingTimeout: resolved.pingTimeout,
    wsEngine: trackingWsEngine(websockets),
    // During shutdown a new handshake is refused (403 {"code":4,"message":"server shutting down"}).
    allowRequest: (_req, answer) => {
      if (closing) answer('server shutting down', false);
      else answer(null, true);
    },
  });
  // engine.io middleware runs before every polling request and WebSocket upgrade it handles,
  // refused ones too: the identity headers are on polling responses, on the 101 (engine.io adds
  // what a middleware set to ws's response headers), and on engine.io's own refusals, such as
  // the 400 {"code":1,"message":"Session ID unknown"} a replica answers for another's session.
  io.engine.use((_req: IncomingMessage, res: { setHeader(name: string, value: string): void }, next: () => void) => {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    next();
  });
  io.engine.on('connection_error', (err: EngineConnectionError) => {
    counters.connectionErrors.set(err.message, (counters.connectionErrors.get(err.message) ?? 0) + 1);
    log({ event: 'connection error', code: err.code, message: err.message, method: err.req.method ?? '?', url: err.req.url ?? '', remote: err.req.socket.remoteAddress ?? '?' });
  });

  // The client script, ahead of engine.io (which would answer 400 "Transport unknown" for it).
  const inner = server.listeners('request').slice() as ((...args: unknown[]) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req, res) => {
    const name = clientFileName(req.url ?? '/', resolved.path);
    if (name !== null) {
      serveClientFile(name, req, res, headers);
      return;
    }
    for (const listener of inner) listener.call(server, req, res);
  });

  io.on('connection', (socket) => {
    counters.sessionsTotal++;
    const conn = socket.conn;
    const id = sessionId(socket);
    let transport = conn.transport.name;
    const forwardedFor = socket.handshake.headers['x-forwarded-for'];
    log({
      event: 'connect',
      id,
      transport,
      remote: conn.remoteAddress,
      ...(forwardedFor ? { forwardedFor: String(forwardedFor) } : {}),
    });
    conn.on('upgrade', (next: { name: string }) => {
      counters.upgrades++;
      log({ event: 'upgrade', id, from: transport, to: next.name });
      transport = next.name;
    });
    attachEvents(socket, replica, () => counters.messagesEchoed++);
    socket.on('disconnect', (reason) => {
      log({ event: 'disconnect', id, reason, transport: conn.transport.name });
    });
  });

  const address = await listen(server, resolved);
  const url = `http://${hostForUrl(resolved.host)}:${address.port}`;
  log({ event: 'listening', url, path: resolved.path, replica, transports: resolved.transports });

  /*
   * Closing, in this order: new sessions are refused at once (a handshake gets 403 "server
   * shutting down", /healthz 503); every WebSocket gets a close frame with 1001 (engine.io's own
   * close would send none: 1005); every polling session gets engine.io's close packet, in its
   * pending poll or its next one (socket.io-client: "transport close"). The listener stays open
   * until they are gone or the grace is over: a polling client's next request often comes on a
   * new connection, and a refused connection would be a "transport error" instead of a clean
   * close. Then the HTTP server and engine.io close, and whatever is left is cut.
   */
  const graceMs = Math.min(runtime.closeGraceMs ?? CLOSE_GRACE_MS, CLOSE_LIMIT_MS);
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      closing = true;
      const open = sessions();
      log({ event: 'shutdown', sessions: open.length, websockets: websockets.size });
      const allGone = Promise.all(open.map((s) => new Promise<void>((resolve) => {
        if (s.disconnected) resolve();
        else s.once('disconnect', () => resolve());
      })));
      for (const ws of websockets) ws.close(1001, 'server shutting down');
      for (const s of open) if (s.conn.transport.name === 'polling') s.conn.close();
      await Promise.race([allGone, timeout(graceMs)]);
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Whatever is left, and the engine.io server itself (io.close() closes the HTTP server too).
      const ioClosed = io.close();
      for (const ws of websockets) ws.terminate();
      server.closeAllConnections();
      await Promise.race([Promise.all([ioClosed, serverClosed]), timeout(CLOSE_LIMIT_MS - graceMs)]);
    })();
    return closed;
  };

  return {
    host: resolved.host,
    port: address.port,
    url,
    path: resolved.path,
    replicaId: replica,
    options: resolved,
    io,
    stats,
    openWebSockets: () => websockets.size,
    close,
  };
}
