/** The echo server's counters, served as JSON at `GET /stats`. */
import type { IncomingHttpHeaders } from 'node:http';

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
  };
}

/** A copy, so callers cannot change the live counters. */
export function snapshotStats(stats: EchoStats): EchoStats {
  return { ...stats, lastUpgradeHeaders: stats.lastUpgradeHeaders ? { ...(stats.lastUpgradeHeaders as IncomingHttpHeaders) } : null };
}
