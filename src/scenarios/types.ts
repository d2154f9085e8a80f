/** The vocabulary of the scenario catalog: scenarios are data, checks are reusable functions. */
import type { EchoStats, StatsReadOptions } from '../echo/stats.js';
import type { AppKind } from '../topology/apps.js';
import type { AppCapability, FrontProcess } from '../topology/handles.js';

export type Family = 'deployment' | 'upgrade' | 'misconfiguration' | 'keepalive' | 'front-websocket' | 'faults' | 'security' | 'reload' | 'h2' | 'socketio' | 'replicas';

/** What the faults family does to a running topology (containers: docker restart / pause). */
export interface TopologyControls {
  /** Restarts the front; resolves when it listens again. */
  restartFront(): Promise<void>;
  /** Restarts the app behind the running front; resolves when it answers /healthz again. */
  restartApp(): Promise<void>;
  /** Freezes the front (every process stopped, its sockets left open), then lets it run again. */
  pauseFront(): Promise<void>;
  unpauseFront(): Promise<void>;
}

/** What a check gets: the way in (through the front) and a view of the app behind it. */
export interface CheckContext {
  /** The WebSocket URL a client uses, through the front (ws://127.0.0.1:<port>/ws, or wss://). */
  wsUrl: string;
  /** For a wss:// front: the CA (PEM) that issued its certificate, for clients to trust. */
  ca?: string;
  /** The app's counters (read from the app directly, not through the front); `collectGarbage`: after a full collection. */
  appStats(read?: StatsReadOptions): Promise<EchoStats>;
  /**
   * The front's address as the app sees it (the TCP peer of the app's connections from the
   * front), where the topology knows it: the untrusted X-Forwarded-For check then requires the
   * app to record exactly this address.
   */
  frontAddress?: string;
  /** The idle timeout the front was configured with. */
  idleTimeoutMs: number;
  /** Makes the front reload its config, as a deploy does (where the front kind has a reload command). */
  reloadFront?(): Promise<void>;
  /** The front's processes now, with their memory (containers only): workers and the old generations reloads leave. */
  frontProcesses?(): Promise<FrontProcess[]>;
  /** Progress for long waits: printed by the test run and the report. */
  progress(line: string): void;
  /** Fault controls, where the topology has them (the faults family needs them). */
  controls?: TopologyControls;
  /** The front's base URL (http:// or https://), for clients that speak HTTP first (socket.io's polling). */
  frontUrl?: string;
  /** The app's replicas, when the front balances over several (or the one app): their JSON, and stopping and starting one. */
  replicas?: ReplicaHandle[];
}

/** One app replica as checks see it. */
export interface ReplicaHandle {
  alias: string;
  json<T = unknown>(path: string): Promise<T>;
  /** SIGTERM (the app closes its WebSockets with 1001 and exits); `start` brings it back on the same alias. */
  terminate(): Promise<void>;
  start(): Promise<void>;
}

export interface CheckResult {
  ok: boolean;
  /** The measured figure a report cell shows: "101 by app", "cut after 2.03 s". */
  figure: string;
  /** What was expected versus seen, for a failure message. */
  detail: string;
  /** Raw numbers (milliseconds, bytes, counts), for JSON reports. */
  measured?: Record<string, number>;
  /** Why the check did not run (the app does not serve what it needs, or what it measures was not found): reported as skipped, never passed. */
  skipped?: string;
}

export interface Check {
  /** Short stable id, a report column: "handshake", "echo-text", "idle-cut". */
  id: string;
  /** One line a person reads. */
  title: string;
  /** Does this check only use its own connections (so it may run beside the others)? */
  independent: boolean;
  /** What it needs of the app (default: nothing beyond the bench's own app); an app that lacks one skips it with the reason. */
  needs?: readonly AppCapability[];
  run(ctx: CheckContext): Promise<CheckResult>;
}

export interface Scenario {
  /** "<front setup>/<what>", e.g. "nginx/keepalive-server-pings". */
  id: string;
  family: Family;
  /** The front setup's name in the front registry (src/fronts/). */
  front: string;
  summary: string;
  /** The front's idle timeout for this scenario (rendered into its config). */
  idleTimeoutSeconds: number;
  /** The app's options, as its environment variables (ECHO_*, or SOCKETIO_* for the socket.io app). */
  app: Record<string, string>;
  /** The kind of app behind the front (default: the echo app). */
  appKind?: AppKind;
  /** How many replicas of the app the front balances over (default 1; with more, at app-1, app-2, …). */
  replicas?: number;
  checks: Check[];
  /** A user's deployment (run --config … --upstream, run --app-image): where the app listens, where the front's config listens, the user's app. */
  deployment?: Deployment;
}

/** A user's app image behind the front (run --app-image). */
export interface UserApp {
  image: string;
  /** The port it listens on in its container. */
  port: number;
  env: Readonly<Record<string, string>>;
  /** The container's command (default: the image's own). */
  command?: readonly string[];
}

/** What a deployment scenario's topology runs: the names and ports the user's config and app use. */
export interface Deployment {
  /** The app's network alias and port: what the front's config proxies to. */
  upstream: { host: string; port: number };
  /** The port the front's config listens on in its container (published). */
  listenPort: number;
  /** The path the WebSocket answers at. */
  wsPath: string;
  /** The config file is the user's, run as it is (placeholders aside): its refusal is reported as the front's own line. */
  userConfig?: string;
  /** The user's app in place of the bench's echo app. */
  app?: UserApp;
}

export interface CheckOutcome extends CheckResult {
  check: string;
  title: string;
  durationMs: number;
}

/** What ran, read from the running binaries: the front's version and the Node.js the app runs on. */
export interface RunVersions {
  front: string;
  /** Whose version `front` is when not the front's own ("Node.js" for the http-front). */
  frontOf?: string;
  /** Absent when the app was not running when the versions were read (a config the front refused), or it is a user's image. */
  appNode?: string;
  /** The user's app image (run --app-image). */
  appImage?: string;
}

export interface ScenarioOutcome {
  scenario: string;
  front: string;
  family: Family;
  /** Read from the running topology (absent when it did not start). */
  versions?: RunVersions;
  ok: boolean;
  checks: CheckOutcome[];
  durationMs: number;
  error?: string;
  /** Why the scenario could not run here (its checks were not run; never counted as passed). */
  skipped?: string;
}
