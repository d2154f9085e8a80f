import { describe, expect, it } from 'vitest';
import * as entry from '../../../src/index.js';
import type { EchoOptions, EchoServerHandle, EchoStats } from '../../../src/index.js';

describe('package entry', () => {
  it('exports the echo server, its options, OptionError and VERSION', async () => {
    expect(typeof entry.startEchoServer).toBe('function');
    expect(Object.keys(entry.echoOptionSpecs)).toContain('keepAliveInterval');
    expect(new entry.OptionError('x')).toBeInstanceOf(Error);
    expect(entry.VERSION).toMatch(/^\d+\.\d+\.\d+/);
    const options: Partial<EchoOptions> = { port: 0, keepAliveInterval: 0 };
    const server: EchoServerHandle = await entry.startEchoServer(options, { logSink: () => {} });
    const stats: EchoStats = server.stats();
    expect(stats.totalConnections).toBe(0);
    await server.close();
  });
});
