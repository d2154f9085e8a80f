/**
 * The browser tests' wait for the host's addresses to settle: tentative IPv6 addresses are read
 * from /proc/net/if_inet6's flags, and the wait ends only after a whole steady window with none.
 */
import { describe, expect, it } from 'vitest';
import { describeSettling, tentativeAddresses, waitForSteadyHostAddresses, type AddressSnapshot } from '../support/host-addresses.js';

const IF_INET6 = [
  '00000000000000000000000000000001 01 80 10 80       lo',
  'fe8000000000000000fc00fffe000001 04 40 20 80     eth0',
  'fe800000000000000074091fffe2d76b 16 40 20 c0 veth7eef84d',
].join('\n');

describe('tentativeAddresses', () => {
  it('names the addresses whose flags carry IFA_F_TENTATIVE (0x40), and only those', () => {
    expect(tentativeAddresses(IF_INET6)).toEqual(['veth7eef84d fe800000000000000074091fffe2d76b']);
    expect(tentativeAddresses(IF_INET6.replace(' c0 ', ' 80 '))).toEqual([]);
    expect(tentativeAddresses('')).toEqual([]);
  });
});

/** A fake clock and a scripted series of readings, one per poll. */
function scripted(readings: AddressSnapshot[]): { read: () => AddressSnapshot; now: () => number; sleep: (ms: number) => Promise<void> } {
  let t = 0;
  let i = 0;
  return {
    read: () => readings[Math.min(i++, readings.length - 1)]!,
    now: () => t,
    sleep: async (ms) => { t += ms; },
  };
}
const quiet: AddressSnapshot = { text: 'a', tentative: [] };

describe('waitForSteadyHostAddresses', () => {
  it('waits one whole steady window even when nothing changes', async () => {
    const result = await waitForSteadyHostAddresses({ steadyMs: 1000, pollMs: 100, ...scripted([quiet]) });
    expect(result).toMatchObject({ steady: true, changes: 0 });
    expect(result.waitedMs).toBe(1000);
  });

  it('restarts the window at each change and waits while an address is tentative', async () => {
    const readings = [quiet, quiet, { text: 'b', tentative: ['veth x'] }, { text: 'b', tentative: ['veth x'] }, ...Array(30).fill({ text: 'c', tentative: [] })];
    const result = await waitForSteadyHostAddresses({ steadyMs: 1000, pollMs: 100, ...scripted(readings) });
    // changes at 200 ms (tentative appears) and 400 ms (it settles): steady from 400 ms to 1400 ms
    expect(result).toMatchObject({ steady: true, changes: 2 });
    expect(result.waitedMs).toBe(1400);
  });

  it('gives up at the limit, saying what stayed tentative', async () => {
    const stuck: AddressSnapshot = { text: 'b', tentative: ['veth x'] };
    const result = await waitForSteadyHostAddresses({ steadyMs: 1000, limitMs: 3000, pollMs: 100, ...scripted([stuck]) });
    expect(result).toEqual({ steady: false, waitedMs: 3000, changes: 0, tentative: ['veth x'] });
    expect(describeSettling(result)).toBe('still changing (tentative: veth x) after 3.0 s, 0 changes seen');
  });
});
