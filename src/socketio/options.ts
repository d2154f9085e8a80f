/**
 * The socket.io app's options: one spec, resolved from code, flags and the environment by the
 * shared resolver (src/options.ts), as the echo app's are. docs/socket-io.md's options table is
 * generated from this spec.
 */
import { hostname } from 'node:os';
import { duration, integer, list, oneOf, option, resolveOptions, text, type OptionValues, type ResolveSources } from '../options.js';

/** Path characters (RFC 3986 pchar and '/'), nothing that needs escaping in HTML or a log. */
const PATH = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*$/;
/** What a replica id may be: it goes into a response header and a log line as it is. */
const REPLICA_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export const SOCKETIO_TRANSPORTS = ['polling', 'websocket'] as const;
export type SocketioTransport = (typeof SOCKETIO_TRANSPORTS)[number];

export const socketioOptionSpecs = {
  host: option({
    flag: '--host',
    env: 'SOCKETIO_HOST',
    default: '127.0.0.1',
    ...text('a host name or IP address to listen on, such as 127.0.0.1 or 0.0.0.0', (raw) => /^[A-Za-z0-9.:-]+$/.test(raw)),
    help: 'address to listen on (containers use 0.0.0.0)',
  }),
  port: option({
    flag: '--port',
    env: 'SOCKETIO_PORT',
    default: 8080,
    ...integer(0, 65535),
    help: 'TCP port to listen on (0 picks a free one and prints it)',
  }),
  path: option({
    flag: '--path',
    env: 'SOCKETIO_PATH',
    default: '/socket.io/',
    ...text("a URL path starting with '/', such as /socket.io/", (raw) => PATH.test(raw) && raw.replace(/\/+$/, '') !== ''),
    help: "socket.io's path: its handshakes, polling requests and WebSocket upgrades, and the client script (socket.io.min.js under it)",
  }),
  replicaId: option({
    flag: '--replica-id',
    env: 'SOCKETIO_REPLICA_ID',
    // Empty here means "the host name", filled in by resolveSocketioOptions: the spec's default
    // must not be this machine's name, or the generated docs would differ from one machine to the next.
    default: '',
    show: (value: string) => (value === '' ? '(the host name)' : value),
    ...text('letters, digits and . _ : - (up to 128, starting with a letter or digit)', (raw) => raw === '' || REPLICA_ID.test(raw)),
    help: 'which replica this is: sent as X-Replica on every response, logged, and in /stats (containers: the container host name)',
  }),
  pingInterval: option({
    flag: '--ping-interval',
    env: 'SOCKETIO_PING_INTERVAL_MS',
    default: 25_000,
    ...duration('ms', 3_600_000, 10),
    help: "engine.io's heartbeat: the server pings every client this often",
  }),
  pingTimeout: option({
    flag: '--ping-timeout',
    env: 'SOCKETIO_PING_TIMEOUT_MS',
    default: 20_000,
    ...duration('ms', 3_600_000, 10),
    help: 'a client that has not answered a ping within this long is disconnected (reason "ping timeout")',
  }),
  transports: option({
    flag: '--transports',
    env: 'SOCKETIO_TRANSPORTS',
    default: [...SOCKETIO_TRANSPORTS] as string[],
    ...list(SOCKETIO_TRANSPORTS.join(', '), (item) => (SOCKETIO_TRANSPORTS as readonly string[]).includes(item), true),
    help: 'the transports the server accepts; with both, clients start on polling and upgrade to websocket',
  }),
  logFormat: option({
    flag: '--log-format',
    env: 'SOCKETIO_LOG_FORMAT',
    default: 'plain' as 'plain' | 'json',
    ...oneOf(['plain', 'json'] as const),
    help: 'one line per event (connect, upgrade, disconnect, connection error) on stdout: plain text or JSON lines',
  }),
};

export type SocketioOptionValues = OptionValues<typeof socketioOptionSpecs>;

/** The resolved options: the replica id filled in, the transports typed. */
export interface SocketioOptions extends Omit<SocketioOptionValues, 'transports'> {
  transports: SocketioTransport[];
}

/** `/socket.io` and `/socket.io/` are the same path to socket.io: always with the trailing slash here. */
export function normalizePath(path: string): string {
  return `${path.replace(/\/+$/, '')}/`;
}

/** Validates and completes options; throws OptionError naming the option, the value and what is allowed. */
export function resolveSocketioOptions(sources: ResolveSources<typeof socketioOptionSpecs>): SocketioOptions {
  const resolved = resolveOptions(socketioOptionSpecs, { command: 'serve-socketio', ...sources });
  return {
    ...resolved,
    path: normalizePath(resolved.path),
    replicaId: resolved.replicaId || hostname(),
    // Each transport once, in the order given (the client is told them in that order).
    transports: [...new Set(resolved.transports)] as SocketioTransport[],
  };
}
