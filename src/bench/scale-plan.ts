/**
 * How many containers of each part a scale run needs for N WebSockets through one front kind,
 * given what the machine allows, and the refusal (naming the limit and how to raise it) when
 * the machine cannot hold N at all. Pure: the limits are read elsewhere (scale-limits.ts).
 *
 * Every process is capped by the open files a container may have (the engine's own limit: a
 * container gets no more than dockerd has). A proxied WebSocket takes two files in the front (the
 * client's and the app's side), one in the app and one in the generator. So the app and the
 * generators run as several containers, each under the cap, and the front as one container of
 * several workers (nginx, in front of apps sharing one name) or as several containers, each
 * with an app of its own (the others).
 */
import { OptionError } from '../options.js';

export interface MachineLimits {
  /** Open files one process in a container may have (`ulimit -n` inside one). */
  filesPerProcess: number;
  /** Memory the kernel says is available (MemAvailable), in bytes. */
  memAvailableBytes: number;
  /** The kernel's connection-tracking table: its size and what it holds now (undefined: no conntrack). */
  conntrack?: { max: number; count: number };
}

export interface ScalePlan {
  connections: number;
  /** Front containers and, per container, its worker processes and their worker_connections (nginx). */
  fronts: number;
  workersPerFront: number;
  workerConnections: number;
  apps: number;
  generators: number;
  /** Connections each generator opens (they add up to `connections`). */
  perGenerator: number[];
  /** Open-files limit to give each kind of container. */
  nofile: { front: number; app: number; generator: number };
}

/**
 * The local ports of every scale container that connects (generators, fronts): its own network
 * namespace's net.ipv4.ip_local_port_range, set as it starts (SCALE_SYSCTLS), whatever the
 * host's is.
 */
export const SCALE_PORT_RANGE = { first: 1024, last: 65535 } as const;
export const SCALE_SYSCTLS: Readonly<Record<string, string>> = { 'net.ipv4.ip_local_port_range': `${SCALE_PORT_RANGE.first} ${SCALE_PORT_RANGE.last}` };
/**
 * Connections one address keeps toward one address and port: half its local ports, less a
 * margin. connect() takes ports of one parity first and searches that whole half before the
 * other, so past half the range every connect scans thousands of taken ports: with the default
 * range (28,232 ports) the opening of 100,000 through nginx stalled at about 85 %, some 14,200
 * connections from each generator to nginx and from nginx to each app.
 */
export const PORTS_PER_DESTINATION = Math.floor((SCALE_PORT_RANGE.last - SCALE_PORT_RANGE.first + 1) / 2) - 1_000;

/** Files a process keeps for itself besides its connections (listeners, logs, libraries, the event loop). */
export const RESERVED_FILES = 512;
/** reuseport spreads connections over nginx's workers by a hash of the address: headroom for the unevenness. */
const WORKER_HEADROOM = 1.15;
/** Threads per child process of a front that holds a connection per thread (httpd's ThreadsPerChild). */
export const THREADS_PER_CHILD = 250;
/** Memory one held connection costs across the path, generator, front and app together, with margin (measured ~25 KiB). */
export const BYTES_PER_CONNECTION_ESTIMATE = 64 * 1024;
/** More containers than this for one front is not a bench this machine should run. */
export const MAX_CONTAINERS = 40;

function split(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

const RAISE_FILES = "raise the open-files limit dockerd runs with (LimitNOFILE in its systemd unit, or `ulimit -n` before starting it; raising it needs CAP_SYS_RESOURCE)";

export function planScale(front: { kind: string; scaleOut: 'workers' | 'threads' | 'containers' }, connections: number, limits: MachineLimits): ScalePlan {
  const usable = limits.filesPerProcess - RESERVED_FILES;
  if (usable < 100) {
    throw new OptionError(`bench:scale: a container may open only ${limits.filesPerProcess} files, too few to hold connections; ${RAISE_FILES}`);
  }
  const needBytes = connections * BYTES_PER_CONNECTION_ESTIMATE;
  if (needBytes > limits.memAvailableBytes * 0.8) {
    throw new OptionError(`bench:scale: ${connections} connections through ${front.kind} need about ${(needBytes / 2 ** 30).toFixed(1)} GiB ` +
      `(${BYTES_PER_CONNECTION_ESTIMATE / 1024} KiB each across generator, front and app) and this machine has ${(limits.memAvailableBytes / 2 ** 30).toFixed(1)} GiB available (MemAvailable); ` +
      `use fewer connections or free memory`);
  }
  if (limits.conntrack) {
    // Each held WebSocket is two tracked connections: generator → front, front → app.
    const free = limits.conntrack.max - limits.conntrack.count;
    if (2 * connections > free * 0.95) {
      throw new OptionError(`bench:scale: ${connections} connections through ${front.kind} need ${2 * connections} entries in the kernel's connection-tracking table, ` +
        `which has room for ${free} (net.netfilter.nf_conntrack_max ${limits.conntrack.max}, ${limits.conntrack.count} in use); ` +
        `raise it (sysctl -w net.netfilter.nf_conntrack_max=${Math.ceil((2 * connections + limits.conntrack.count) * 1.1)}) or use fewer connections`);
    }
  }
  // A generator is one address toward one front, and a front one address toward each app.
  const perAddress = Math.min(usable, PORTS_PER_DESTINATION);
  const generators = Math.ceil(connections / perAddress);
  let fronts: number;
  let apps: number;
  let workersPerFront = 1;
  let workerConnections: number;
  if (front.scaleOut === 'workers') {
    // One front; the apps share one network alias, and nginx balances over its addresses.
    fronts = 1;
    apps = Math.ceil(connections / perAddress);
    workersPerFront = Math.ceil((2 * connections * WORKER_HEADROOM) / usable);
    workerConnections = Math.ceil((2 * connections * WORKER_HEADROOM) / workersPerFront) + 256;
  } else if (front.scaleOut === 'threads') {
    // Cells, as below, but a container's children share its connections, one thread each, so
    // the app's cap decides how many cells; each container's MPM is sized for its share.
    fronts = Math.ceil(connections / usable);
    apps = fronts;
    workerConnections = THREADS_PER_CHILD;
    workersPerFront = Math.ceil((Math.ceil(connections / fronts) * WORKER_HEADROOM) / THREADS_PER_CHILD);
  } else {
    // Cells: each front container proxies to an app of its own (a front that resolves the app's
    // name once would send all of a shared alias's connections to one address).
    fronts = Math.ceil((2 * connections) / usable);
    apps = fronts;
    workerConnections = Math.ceil((2 * connections) / fronts) + 256;
  }
  const containers = fronts + apps + generators;
  if (containers > MAX_CONTAINERS) {
    throw new OptionError(`bench:scale: ${connections} connections through ${front.kind} would take ${containers} containers ` +
      `(each process may open ${limits.filesPerProcess} files, the engine's limit for a container; the bench runs at most ${MAX_CONTAINERS}); ` +
      `use fewer connections, or ${RAISE_FILES}`);
  }
  const perFrontProcess = front.scaleOut === 'threads' ? limits.filesPerProcess : Math.min(limits.filesPerProcess, workerConnections + 128);
  return {
    connections,
    fronts,
    workersPerFront,
    workerConnections,
    apps,
    generators,
    perGenerator: split(connections, generators),
    nofile: { front: perFrontProcess, app: limits.filesPerProcess, generator: limits.filesPerProcess },
  };
}
