/** The app believes X-Forwarded-For only from the proxies it is told to trust. */
import { afterEach, describe, expect, it } from 'vitest';
import { addressTrust, clientAddress, isAddressOrRange } from '../../../src/echo/client-address.js';
import { startEchoServer, type EchoServerHandle } from '../../../src/echo/server.js';
import { resolveEchoOptions } from '../../../src/echo/options.js';
import { closed, openClient } from './helpers.js';

describe('client address from X-Forwarded-For', () => {
  const trust = addressTrust(['10.0.0.0/8', '127.0.0.1', 'fd00::/8']);

  it('believes the header only when the peer is trusted, reading it from the right', () => {
    expect(clientAddress('192.0.2.9', '203.0.113.7', trust)).toBe('192.0.2.9'); // untrusted peer: forged header ignored
    expect(clientAddress('10.1.2.3', '203.0.113.7', trust)).toBe('203.0.113.7');
    expect(clientAddress('::ffff:10.1.2.3', '203.0.113.7', trust)).toBe('203.0.113.7');
    // The client wrote "6.6.6.6" itself; the trusted proxy appended what it saw.
    expect(clientAddress('10.1.2.3', '6.6.6.6, 203.0.113.7, 10.9.9.9', trust)).toBe('203.0.113.7');
    expect(clientAddress('10.1.2.3', '10.2.2.2, 127.0.0.1', trust)).toBe('10.2.2.2'); // all trusted: the left-most
    expect(clientAddress('10.1.2.3', 'garbage', trust)).toBe('10.1.2.3');
    expect(clientAddress('10.1.2.3', undefined, trust)).toBe('10.1.2.3');
    expect(clientAddress('fd00::1', '2001:db8::5', trust)).toBe('2001:db8::5');
  });

  it('trusts nobody by default', () => {
    expect(clientAddress('127.0.0.1', '203.0.113.7', addressTrust([]))).toBe('127.0.0.1');
  });

  it('accepts addresses and CIDR ranges and refuses anything else, naming the option', () => {
    expect(['10.0.0.0/8', '172.16.0.0/12', '::1', 'fd00::/8', '192.168.1.1'].every(isAddressOrRange)).toBe(true);
    expect(['10.0.0.0/33', 'example.com', '10.0.0.0/8/1', '1.2.3', 'fd00::/129', '10.0.0.0/x'].some(isAddressOrRange)).toBe(false);
    expect(resolveEchoOptions({ env: { ECHO_TRUSTED_PROXIES: '10.0.0.0/8, 127.0.0.1' } }).trustedProxies).toEqual(['10.0.0.0/8', '127.0.0.1']);
    expect(() => resolveEchoOptions({ env: { ECHO_TRUSTED_PROXIES: 'proxy.local' } })).toThrow(/ECHO_TRUSTED_PROXIES.*proxy\.local|proxy\.local.*ECHO_TRUSTED_PROXIES/);
  });
});

describe('the echo server reports the client address', () => {
  let server: EchoServerHandle | undefined;
  afterEach(async () => { await server?.close(); server = undefined; });

  async function openWithForwardedFor(trusted: string[]): Promise<{ stats: string | null; log: string }> {
    const lines: string[] = [];
    server = await startEchoServer({ host: '127.0.0.1', port: 0, trustedProxies: trusted }, { logSink: (l) => lines.push(l) });
    const ws = await openClient(server.wsUrl, { headers: { 'X-Forwarded-For': '203.0.113.7' } });
    const stats = server.stats().lastClientAddress;
    ws.close();
    await closed(ws);
    return { stats, log: lines.find((l) => / open #1 /.test(l)) ?? '' };
  }

  it('ignores X-Forwarded-For from an untrusted peer (the default)', async () => {
    const seen = await openWithForwardedFor([]);
    expect(seen.stats).toBe('127.0.0.1');
    expect(seen.log).toMatch(/open #1 from 127\.0\.0\.1 \/ws \(x-forwarded-for 203\.0\.113\.7\)$/);
  });

  it('uses X-Forwarded-For when the peer is a trusted proxy', async () => {
    const seen = await openWithForwardedFor(['127.0.0.0/8']);
    expect(seen.stats).toBe('203.0.113.7');
    expect(seen.log).toMatch(/open #1 from 203\.0\.113\.7 via 127\.0\.0\.1 \/ws/);
  });

  it('serves its memory in /stats', async () => {
    server = await startEchoServer({ host: '127.0.0.1', port: 0 }, { logSink: () => {} });
    const stats = (await (await fetch(`${server.url}/stats`)).json()) as { memory: { rss: number; heapUsed: number; collected?: boolean } };
    expect(stats.memory.rss).toBeGreaterThan(10_000_000);
    expect(stats.memory.heapUsed).toBeGreaterThan(1_000_000);
    expect(stats.memory.collected).toBeUndefined();
  });

  it('collects garbage before it reads its memory for /stats?gc=1, and says so', async () => {
    server = await startEchoServer({ host: '127.0.0.1', port: 0 }, { logSink: () => {} });
    const read = async (query: string): Promise<{ heapUsed: number; collected?: boolean }> =>
      ((await (await fetch(`${server!.url}/stats${query}`)).json()) as { memory: { heapUsed: number; collected?: boolean } }).memory;
    // This process is the app's: an object only a WeakRef holds is gone after a full collection.
    let held: { big: number[] } | undefined = { big: new Array<number>(1_000_000).fill(1) };
    const weak = new WeakRef(held);
    expect(weak.deref()?.big).toHaveLength(1_000_000);
    held = undefined;
    expect((await read('')).collected).toBeUndefined();
    expect((await read('?gc=1')).collected).toBe(true);
    expect(weak.deref()).toBeUndefined();
  });
});
