/** The echo server's counters, served as JSON at `GET /stats`. */
import type { IncomingHttpHeaders } from 'node:http';
import { collectGarbage } from './collect-garbage.js';

export interface EchoStats {
  upgradesReceived: number;
  openConnections: number;
  totalConnections: number;
  messagesEchoed: number;
  bytesEchoed: number;
  pingsSent: number;
  pongsReceived: number;
  pingTimeouts: number;
  lastUpgradeHeaders: Record<string, string | string[] | undefined> | null;
  /** The client address of the last accepted WebSocket (X-Forwarded-For only from trusted proxies). */
  lastClientAddress: string | null;
  /**
   * The process's memory when the stats were read, in bytes; `collected`: after a full garbage
   * collection (`GET /stats?gc=1`), so `heapUsed` counts live objects only.
   */
  memory: { rss: number; heapUsed: number; collected?: boolean };
}

/** How the stats are read: `collectGarbage` runs a full collection first (`GET /stats?gc=1`). */
export interface StatsReadOptions {
  collectGarbage?: boolean;
}

export function emptyStats(): EchoStats {
  return {
    upgradesReceived: 0,
    openConnections: 0,
    totalConnections: 0,
    messagesEchoed: 0,
    bytesEchoed: 0,
    pingsSent: 0,
    pongsReceived: 0,
    pingTimeouts: 0,
    lastUpgradeHeaders: null,
    lastClientAddress: null,
    memory: { rss: 0, heapUsed: 0 },
  };
}

/** A copy, so callers cannot change the live counters. */
export function snapshotStats(stats: EchoStats, options: StatsReadOptions = {}): EchoStats {
  if (options.collectGarbage) collectGarbage();
  const { rss, heapUsed } = process.memoryUsage();
  return { ...stats, memory: { rss, heapUsed, ...(options.collectGarbage ? { collected: true } : {}) }, lastUpgradeHeaders: stats.lastUpgradeHeaders ? { ...(stats.lastUpgradeHeaders as IncomingHttpHeaders) } : null };
}
