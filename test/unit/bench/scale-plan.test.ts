/**
 * How the scale benches size a run from the machine's limits, and what they refuse before
 * anything starts; how their counts from both ends add up and are judged.
 */
import { describe, expect, it } from 'vitest';
import { FRONT_KINDS, frontDescriptor } from '../../../src/fronts/index.js';
import { OptionError } from '../../../src/options.js';
import { addAppStats, addGeneratorStatuses, scaleProblems } from '../../../src/bench/scale-fleet.js';
import { memAvailableBytes } from '../../../src/bench/scale-limits.js';
import { MAX_CONTAINERS, planScale, PORTS_PER_DESTINATION, RESERVED_FILES, SCALE_SYSCTLS, THREADS_PER_CHILD, type MachineLimits } from '../../../src/bench/scale-plan.js';
import { intervalMs, windowMs } from '../../../src/bench/keepalive-window.js';
import { emptyStats } from '../../../src/echo/stats.js';
import type { ScaleGeneratorStatus } from '../../../src/bench/scale-status.js';

const HERE: MachineLimits = { filesPerProcess: 20_000, memAvailableBytes: 23 * 2 ** 30, conntrack: { max: 262_144, count: 100 } };
const usable = HERE.filesPerProcess - RESERVED_FILES;

describe('planScale', () => {
  it('nginx: one container whose workers share 100,000 (two files each), in front of apps that each stay under the cap', () => {
    const p = planScale(frontDescriptor('nginx'), 100_000, HERE);
    expect(p.fronts).toBe(1);
    expect(p.workersPerFront * (p.workerConnections - 256)).toBeGreaterThanOrEqual(2 * 100_000);
    expect(p.workerConnections + 128).toBeLessThanOrEqual(HERE.filesPerProcess);
    expect(p.apps).toBe(Math.ceil(100_000 / usable));
    expect(p.perGenerator.reduce((a, b) => a + b, 0)).toBe(100_000);
    expect(Math.max(...p.perGenerator)).toBeLessThanOrEqual(usable);
  });

  it('a front that holds its connections in one process: as many cells (front + its own app) as two files per connection need', () => {
    for (const kind of ['haproxy', 'caddy', 'nghttpx', 'http-front'] as const) {
      const p = planScale(frontDescriptor(kind), 20_000, HERE);
      expect(p.fronts, kind).toBe(Math.ceil(40_000 / usable));
      expect(p.apps, kind).toBe(p.fronts);
      expect((2 * 20_000) / p.fronts, kind).toBeLessThanOrEqual(usable);
      expect(p.nofile.front, kind).toBeLessThanOrEqual(HERE.filesPerProcess);
    }
  });

  it('httpd: children of THREADS_PER_CHILD threads, enough for its share of the connections, one thread each', () => {
    const p = planScale(frontDescriptor('httpd'), 20_000, HERE);
    expect(p.workerConnections).toBe(THREADS_PER_CHILD);
    expect(p.workersPerFront * THREADS_PER_CHILD * p.fronts).toBeGreaterThanOrEqual(20_000);
    expect(p.apps).toBe(p.fronts);
  });

  it('every front kind declares how it scales out, and small counts take one of each part', () => {
    for (const kind of FRONT_KINDS) {
      const p = planScale(frontDescriptor(kind), 1_000, HERE);
      expect([p.fronts, p.apps, p.generators], kind).toEqual([1, 1, 1]);
    }
  });

  it('refuses what the machine cannot hold, before anything starts, naming the limit and how to raise it', () => {
    const refusal = (n: number, limits: MachineLimits): string => {
      try {
        planScale(frontDescriptor('nginx'), n, limits);
      } catch (err) {
        expect(err).toBeInstanceOf(OptionError);
        return (err as Error).message;
      }
      throw new Error('not refused');
    };
    expect(refusal(100_000, { ...HERE, memAvailableBytes: 2 * 2 ** 30 })).toMatch(/MemAvailable.*fewer connections/);
    expect(refusal(100_000, { ...HERE, conntrack: { max: 65_536, count: 0 } })).toMatch(/nf_conntrack_max.*sysctl -w net\.netfilter\.nf_conntrack_max=\d+/);
    expect(refusal(100_000, { ...HERE, filesPerProcess: 4_096 })).toMatch(new RegExp(`${MAX_CONTAINERS}.*LimitNOFILE`));
    expect(refusal(10, { ...HERE, filesPerProcess: 256 })).toMatch(/only 256 files.*LimitNOFILE/);
  });

  it('keeps every address within half its local ports toward one destination (generator → front, nginx → each app), files allowing more', () => {
    const p = planScale(frontDescriptor('nginx'), 100_000, { ...HERE, filesPerProcess: 1_048_576 });
    expect(p.fronts).toBe(1);
    expect(PORTS_PER_DESTINATION).toBe(31_256);
    expect(Math.max(...p.perGenerator)).toBeLessThanOrEqual(PORTS_PER_DESTINATION);
    expect(p.generators).toBe(4);
    expect(p.apps).toBe(4); // 25,000 each from nginx's one address
    expect(SCALE_SYSCTLS['net.ipv4.ip_local_port_range']).toBe('1024 65535');
  });
});

describe('counted at both ends', () => {
  const gen = (over: Partial<ScaleGeneratorStatus>): ScaleGeneratorStatus => ({
    wanted: 10, opened: 10, failed: 0, retried: 0, retryErrors: {}, lastError: null, dropped: 0, closeCodes: {}, opening: false, openSeconds: 1, ...over,
  });

  it('adds the generators and the apps', () => {
    const g = addGeneratorStatuses([
      gen({ dropped: 1, closeCodes: { 1006: 1 }, openSeconds: 2, retried: 2, retryErrors: { 'socket hang up': 2 } }),
      gen({ dropped: 2, closeCodes: { 1006: 1, 1001: 1 }, opening: true, retried: 1, retryErrors: { 'socket hang up': 1 } }),
    ]);
    expect(g).toMatchObject({ wanted: 20, opened: 20, dropped: 3, closeCodes: { 1006: 2, 1001: 1 }, opening: true, openSeconds: 2, retried: 3, retryErrors: { 'socket hang up': 3 } });
    const a = addAppStats([{ ...emptyStats(), openConnections: 4, upgradesReceived: 5 }, { ...emptyStats(), openConnections: 6, upgradesReceived: 5 }]);
    expect(a).toMatchObject({ openConnections: 10, upgradesReceived: 10 });
  });

  it('meets the target only when every one opened, none dropped, and the apps took and hold as many', () => {
    const app = { ...addAppStats([{ ...emptyStats(), openConnections: 20, upgradesReceived: 20 }]) };
    const all = addGeneratorStatuses([gen({}), gen({})]);
    expect(scaleProblems(20, all, app)).toEqual([]);
    expect(scaleProblems(20, addGeneratorStatuses([gen({}), gen({ opened: 9, failed: 1, lastError: 'timed out' })]), app).join()).toMatch(/19\/20 opened \(1 failed: timed out\)/);
    expect(scaleProblems(20, addGeneratorStatuses([gen({}), gen({ dropped: 1, closeCodes: { 1006: 1 } })]), app).join()).toMatch(/1 dropped .*1006/);
    expect(scaleProblems(20, all, { ...app, openConnections: 19 }).join()).toMatch(/the apps hold 19, the generators 20/);
    expect(scaleProblems(20, all, { ...app, upgradesReceived: 21 }).join()).toMatch(/21 upgrades, not 20/);
  });
});

describe('the keepalive bench: intervals and windows', () => {
  it('reads a window of whole intervals, at least 10 s', () => {
    expect(intervalMs('none')).toBe(0);
    expect(intervalMs('30s')).toBe(30_000);
    expect([0, 1_000, 3_000, 10_000, 30_000].map(windowMs)).toEqual([10_000, 10_000, 12_000, 10_000, 30_000]);
  });
});

describe('memAvailableBytes', () => {
  it("reads /proc/meminfo's MemAvailable", () => {
    expect(memAvailableBytes('MemTotal: 100 kB\nMemAvailable:   2048 kB\n')).toBe(2 * 1024 * 1024);
    expect(() => memAvailableBytes('MemTotal: 100 kB\n')).toThrow(/MemAvailable/);
  });
});
