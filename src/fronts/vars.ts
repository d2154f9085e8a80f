/**
 * The values a front's config template (or the http-front's options) may use: where the app
 * (or its two replicas) is, where the front listens, its idle timeout. Every front kind reads the
 * same set.
 */

/** The values a config template or a front's options may use. */
export interface FrontVars {
  /** host:port of the app on the scenario's network. */
  UPSTREAM: string;
  /** UPSTREAM's host and port apart, for configs that take them so (nghttpx's backend=host,port). */
  UPSTREAM_HOST: string;
  UPSTREAM_PORT: number;
  /** host:port of the first of two app replicas on the scenario's network (replicas setups). */
  REPLICA_1: string;
  /** host:port of the second app replica (replicas setups). */
  REPLICA_2: string;
  LISTEN_PORT: number;
  IDLE_TIMEOUT_SECONDS: number;
  WS_PATH: string;
  /** host:port of the front tier's own WebSocket handler (front-handles-WebSocket setups). */
  WS_HANDLER: string;
  /** nginx's worker_processes (httpd's ServerLimit where a config sets it). */
  WORKER_PROCESSES: number;
  /** nginx's worker_connections, per worker (each proxied WebSocket takes two); httpd's ThreadsPerChild where a config sets it. */
  WORKER_CONNECTIONS: number;
  /** nginx's worker_rlimit_nofile: the worker's file descriptor limit. */
  WORKER_RLIMIT_NOFILE: number;
  /** Connections held at once over all workers (WORKER_PROCESSES × WORKER_CONNECTIONS; httpd's MaxRequestWorkers). */
  MAX_CONNECTIONS: number;
  /** A client must send its request headers within this long (nginx client_header_timeout, http-front --header-timeout). */
  HEADER_TIMEOUT_SECONDS: number;
  /** How long a reload leaves the old generation its connections (nginx worker_shutdown_timeout, HAProxy hard-stop-after, Caddy stream_close_delay). */
  DRAIN_TIMEOUT_SECONDS: number;
}

/** The drain bound of the bounded-reload setups: short, so the suites see the cut within seconds. */
export const DRAIN_TIMEOUT_SECONDS = 2;

/** Short, so a slow-headers handshake is cut within seconds in the suites (nginx's default is 60). */
export const HEADER_TIMEOUT_SECONDS = 3;

/** nginx's worker_connections unless a run needs more (the scale bench does); nginx's own default is 512. */
export const DEFAULT_WORKER_CONNECTIONS = 1024;

/** nginx's workers, their worker_connections and the file descriptor limit that goes with them. */
export function workerLimits(connections: number, processes = 1): Pick<FrontVars, 'WORKER_PROCESSES' | 'WORKER_CONNECTIONS' | 'WORKER_RLIMIT_NOFILE' | 'MAX_CONNECTIONS'> {
  return { WORKER_PROCESSES: processes, WORKER_CONNECTIONS: connections, WORKER_RLIMIT_NOFILE: connections + 64, MAX_CONNECTIONS: processes * connections };
}

/** The alias of a front setup's companion that handles WebSockets for it (front-handles-WebSocket setups). */
export const WS_HANDLER_ALIAS = 'front-ws';

/** The http-front setup that answers WebSockets itself: the front tier's own handler. */
export const WS_HANDLER_SETUP = 'http-front-websocket-on';

/** REPLICA_1 and REPLICA_2: the first two replicas' hosts, in order, each with the app's port. */
export function replicaVars(hosts: readonly string[], port: number): Pick<FrontVars, 'REPLICA_1' | 'REPLICA_2'> {
  const [first, second] = hosts;
  if (first === undefined || second === undefined) throw new Error(`the replicas setups need two app replicas; given ${hosts.length}`);
  return { REPLICA_1: `${first}:${port}`, REPLICA_2: `${second}:${port}` };
}

/** UPSTREAM and its host and port apart. */
export function upstreamVars(host: string, port: number): Pick<FrontVars, 'UPSTREAM' | 'UPSTREAM_HOST' | 'UPSTREAM_PORT'> {
  return { UPSTREAM: `${host}:${port}`, UPSTREAM_HOST: host, UPSTREAM_PORT: port };
}
