/** One log line per event: plain text, or JSON lines that carry the replica. */
import { describe, expect, it } from 'vitest';
import { connectSocketio } from '../../../src/socketio/client.js';
import { createSocketioLogger } from '../../../src/socketio/log.js';
import { startQuietSocketio } from './helpers.js';

describe('socket.io app log', () => {
  it('writes a plain line per connect, upgrade, disconnect, refusal and shutdown', async () => {
    const lines: string[] = [];
    const server = await startQuietSocketio({ replicaId: 'log-1' }, (l) => lines.push(l));
    const c = await connectSocketio(server.url);
    await c.waitForTransport('websocket', 1500);
    c.close();
    await fetch(`${server.url}/socket.io/?EIO=4&transport=polling&sid=gone`);
    await expect.poll(() => lines.some((l) => / disconnect /.test(l))).toBe(true);
    // The session's disconnect is logged before its WebSocket's close handshake ends: wait for that too.
    await expect.poll(() => server.openWebSockets()).toBe(0);
    await server.close();
    const events = lines.map((l) => l.replace(/^\S+Z /, ''));
    expect(lines.every((l) => /^\d{4}-\d\d-\d\dT[\d:.]+Z /.test(l))).toBe(true);
    expect(events[0]).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+ \(socket\.io at \/socket\.io\/, transports polling,websocket, replica log-1\)$/);
    expect(events).toEqual(expect.arrayContaining([
      expect.stringMatching(/^connect [\w-]{20} via polling from 127\.0\.0\.1$/),
      expect.stringMatching(/^upgrade [\w-]{20} polling -> websocket$/),
      expect.stringMatching(/^disconnect [\w-]{20} on websocket: client namespace disconnect$/),
      expect.stringMatching(/^connection error \(engine\.io code 1\) "Session ID unknown": GET \/socket\.io\/\?EIO=4&transport=polling&sid=gone from 127\.0\.0\.1$/),
      'shutting down: disconnecting 0 session(s), closing 0 WebSocket(s) with 1001',
    ]));
    expect(events).toHaveLength(6);
  });

  it('writes JSON lines with the time and the replica on each', () => {
    const lines: string[] = [];
    createSocketioLogger('json', 'r9', (l) => lines.push(l))({ event: 'upgrade', id: 'abc', from: 'polling', to: 'websocket' });
    expect(JSON.parse(lines[0] ?? '')).toEqual({ time: expect.stringMatching(/Z$/), replica: 'r9', event: 'upgrade', id: 'abc', from: 'polling', to: 'websocket' });
  });
});
