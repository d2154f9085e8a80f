/**
 * What a topology hands its checks: the app and the front, each as a handle. Containers
 * (src/containers/) and local mode (src/local/) both make these; checks never know which.
 */
import type { EchoStats, StatsReadOptions } from '../echo/stats.js';
import type { FrontKind } from '../fronts/index.js';

/**
 * What an app serves that a check may need: a WebSocket at its path, an echo of every message,
 * the bench's /stats counters, and the bench's identity header on its 101 (who answered). The bench's own apps serve all three; a user's app
 * (run --app-image) is probed for them when it starts.
 */
export type AppCapability = 'websocket' | 'echo' | 'stats' | 'identity';
export const ALL_APP_CAPABILITIES: readonly AppCapability[] = ['websocket', 'echo', 'stats', 'identity'];

export interface EchoAppHandle {
  alias: string;
  /** The container's address on the bench network: reachable from the host without docker-proxy (absent for local processes). */
  networkIp?: string;
  /** How other containers on the network reach the app: http://<alias>:8080. */
  internalUrl: string;
  httpUrl: string;
  wsUrl(path?: string): string;
  /** The echo app's /stats (what the checks read); `collectGarbage`: after a full collection (/stats?gc=1). */
  stats(read?: StatsReadOptions): Promise<EchoStats>;
  /** Any JSON the app serves (the socket.io app's /stats). */
  json<T = unknown>(path: string): Promise<T>;
  logs(): Promise<string>;
  stop(): Promise<void>;
  /** Stops the app (SIGTERM) and starts it again; resolves when it answers /healthz. The published port may change; the alias does not. */
  restart(): Promise<void>;
  /** The Node.js version the app runs on, read from the running process's binary (absent: a user's image, which may run anything). */
  nodeVersion?(): Promise<string>;
  /** The user's image it runs (run --app-image); absent for the bench's own apps. */
  image?: string;
  /** What it serves of what checks need (absent: everything, the bench's own apps). */
  capabilities?: readonly AppCapability[];
  /** Stops the app as an orchestrator does (SIGTERM, then it exits); `start` brings it back. Containers only. */
  terminate?(): Promise<void>;
  start?(): Promise<void>;
}

export interface FrontHandle {
  kind: FrontKind;
  alias: string;
  /** The container's address on the bench network: reachable from the host without docker-proxy (absent for local processes). */
  networkIp?: string;
  httpUrl: string;
  wsUrl(path?: string): string;
  /** The CA (PEM) to trust when the front terminates TLS (its URLs are then https/wss). */
  ca?: string;
  logs(): Promise<string>;
  stop(): Promise<void>;
  restart(): Promise<void>;
  /** Makes the running front reload its config (its kind's reload command; absent where it has none). */
  reload?(): Promise<void>;
  /** The front's version, read from the running binary (its kind's version command). */
  version(): Promise<string>;
  pause(): Promise<void>;
  unpause(): Promise<void>;
  /** The front's processes now (its kind's), each with its resident memory: workers, and old generations a reload left. */
  processes(): Promise<FrontProcess[]>;
}

export interface FrontProcess {
  command: string;
  rssBytes: number;
}
