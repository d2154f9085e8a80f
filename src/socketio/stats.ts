/** The socket.io app's counters, served as JSON at `GET /stats`. */

export interface SocketioStats {
  /** Which replica answered (its --replica-id). */
  replica: string;
  /** HTTP upgrade requests that reached the app (WebSocket handshakes, refused ones included). */
  upgradesReceived: number;
  /** socket.io sessions (connections to the main namespace): open now, and since start. */
  sessions: { open: number; total: number };
  /** The open sessions by the transport each is on now. */
  transports: { polling: number; websocket: number };
  /** Sessions that moved from polling to websocket (engine.io's upgrade). */
  upgrades: number;
  /** `echo` events answered. */
  messagesEchoed: number;
  /**
   * Requests engine.io refused (its `connection_error`): by message, e.g.
   * `{ "Session ID unknown": 3 }`, what a replica says to a polling request of a session another
   * replica holds.
   */
  connectionErrors: Record<string, number>;
  /** The process's memory when the stats were read, in bytes. */
  memory: { rss: number; heapUsed: number };
}

/** The live counters; the per-transport counts are read from the open sessions at snapshot time. */
export interface SocketioCounters {
  upgradesReceived: number;
  sessionsTotal: number;
  upgrades: number;
  messagesEchoed: number;
  connectionErrors: Map<string, number>;
}

export function emptyCounters(): SocketioCounters {
  return { upgradesReceived: 0, sessionsTotal: 0, upgrades: 0, messagesEchoed: 0, connectionErrors: new Map() };
}

/** A plain copy, with the open sessions counted by their current transport. */
export function snapshotStats(replica: string, counters: SocketioCounters, openTransports: Iterable<string>): SocketioStats {
  const transports = { polling: 0, websocket: 0 };
  let open = 0;
  for (const name of openTransports) {
    open++;
    if (name === 'polling' || name === 'websocket') transports[name]++;
  }
  const { rss, heapUsed } = process.memoryUsage();
  return {
    replica,
    upgradesReceived: counters.upgradesReceived,
    sessions: { open, total: counters.sessionsTotal },
    transports,
    upgrades: counters.upgrades,
    messagesEchoed: counters.messagesEchoed,
    connectionErrors: Object.fromEntries(counters.connectionErrors),
    memory: { rss, heapUsed },
  };
}
