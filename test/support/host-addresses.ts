/**
 * Waiting out the host's address changes before a browser test connects. Chromium aborts what it
 * is connecting with net::ERR_NETWORK_CHANGED whenever an address on the host appears, goes or
 * changes its flags, and starting containers does all three: a bridge gets its address, each veth
 * a link-local IPv6 address that is "tentative" until duplicate address detection ends (up to
 * about 2 s later, when the kernel announces it again). So: read the host's addresses with their
 * flags, and wait until none is tentative and nothing changed for a while (bounded).
 */
import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';

/** IFA_F_TENTATIVE in /proc/net/if_inet6's flags column (hex). */
const TENTATIVE = 0x40;

export interface AddressSnapshot {
  /** Every address with its interface (and for IPv6 its flags), one text to compare. */
  text: string;
  /** IPv6 addresses still in duplicate address detection. */
  tentative: string[];
}

/** The IPv6 addresses still tentative in /proc/net/if_inet6's text (address ifindex prefix scope flags name). */
export function tentativeAddresses(ifInet6: string): string[] {
  return ifInet6.split('\n').map((line) => line.trim().split(/\s+/)).filter((fields) => fields.length === 6)
    .filter((fields) => (Number.parseInt(fields[4] ?? '0', 16) & TENTATIVE) !== 0)
    .map((fields) => `${fields[5]} ${fields[0]}`);
}

function readHostAddresses(): AddressSnapshot {
  let ifInet6 = '';
  try { ifInet6 = readFileSync('/proc/net/if_inet6', 'utf8'); } catch { /* no IPv6 (or not Linux): the IPv4 list alone */ }
  const ipv4 = Object.entries(networkInterfaces())
    .flatMap(([name, list]) => (list ?? []).filter((a) => a.family === 'IPv4').map((a) => `${name} ${a.address}`)).sort();
  const ipv6 = ifInet6.split('\n').map((l) => l.trim()).filter(Boolean).sort();
  return { text: [...ipv4, ...ipv6].join('\n'), tentative: tentativeAddresses(ifInet6) };
}

export interface SteadyOptions {
  /** How long nothing may change (ms). */
  steadyMs?: number;
  /** The longest wait (ms): then it goes on and says the addresses never settled. */
  limitMs?: number;
  pollMs?: number;
  read?: () => AddressSnapshot;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface SteadyResult { steady: boolean; waitedMs: number; changes: number; tentative: string[] }

/** How the wait went, for a test's output: "steady after 2.8 s, 3 changes seen". */
export function describeSettling(r: SteadyResult): string {
  const state = r.steady ? 'steady' : `still changing (tentative: ${r.tentative.join(', ') || 'none'})`;
  return `${state} after ${(r.waitedMs / 1000).toFixed(1)} s, ${r.changes} changes seen`;
}

/** Waits until no host address is tentative and none changed for `steadyMs` (so at least that long), at most `limitMs`. */
export async function waitForSteadyHostAddresses(options: SteadyOptions = {}): Promise<SteadyResult> {
  const { steadyMs = 1500, limitMs = 15_000, pollMs = 100, read = readHostAddresses, now = () => performance.now() } = options;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => { setTimeout(resolve, ms); }));
  const start = now();
  let last = read();
  // Nothing is known about the moments before the first reading: the steady window starts now.
  let changedAt = start;
  let changes = 0;
  for (;;) {
    const at = now();
    if (last.tentative.length === 0 && at - changedAt >= steadyMs) return { steady: true, waitedMs: at - start, changes, tentative: [] };
    if (at - start >= limitMs) return { steady: false, waitedMs: at - start, changes, tentative: last.tentative };
    await sleep(pollMs);
    const next = read();
    if (next.text !== last.text) { changes += 1; changedAt = now(); }
    last = next;
  }
}
