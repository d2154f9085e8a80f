/** The `echo` event: its acknowledgement returns the payload unchanged, on either transport. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSocketio, type SocketioConnection } from '../../../src/socketio/client.js';
import type { SocketioServerHandle } from '../../../src/socketio/server.js';
import { startQuietSocketio } from './helpers.js';

describe('socket.io app: echo', () => {
  let server: SocketioServerHandle;
  beforeAll(async () => { server = await startQuietSocketio({ replicaId: 'echo-1' }); });
  afterAll(async () => { await server.close(); });

  for (const transport of ['polling', 'websocket'] as const) {
    describe(`over ${transport}`, () => {
      let c: SocketioConnection;
      beforeAll(async () => { c = await connectSocketio(server.url, { transports: [transport] }); });
      afterAll(() => c.close());

      it('acknowledges a string with the same string', async () => {
        const { reply, roundTripMs } = await c.echo('héllo, wörld');
        expect(reply).toBe('héllo, wörld');
        expect(roundTripMs).toBeGreaterThan(0);
        expect(c.transport()).toBe(transport);
      });

      it('acknowledges binary with the same bytes, as a Buffer', async () => {
        const bytes = Buffer.from([0, 1, 2, 253, 254, 255]);
        const { reply } = await c.echo(bytes);
        expect(Buffer.isBuffer(reply)).toBe(true);
        expect(Buffer.compare(reply, bytes)).toBe(0);
      });

      it('acknowledges an object (with nested binary) with an equal object', async () => {
        const payload = { n: 42, list: ['a', null, true], nested: { bytes: Buffer.from('xyz') } };
        const { reply } = await c.echo(payload);
        expect(reply).toEqual(payload);
        expect(Buffer.isBuffer(reply.nested.bytes)).toBe(true);
      });
    });
  }

  it('sends several arguments back as several, and without an acknowledgement as an echo event', async () => {
    const c = await connectSocketio(server.url, { transports: ['websocket'] });
    try {
      expect(await c.socket.timeout(2000).emitWithAck('echo', 'a', 2, { three: 3 })).toBe('a');
      const both = await new Promise<unknown[]>((resolve) => {
        c.socket.emit('echo', 'a', 2, (...args: unknown[]) => resolve(args));
      });
      expect(both).toEqual(['a', 2]);
      const event = new Promise<unknown[]>((resolve) => c.socket.once('echo', (...args: unknown[]) => resolve(args)));
      c.socket.emit('echo', 'no ack', 7);
      expect(await event).toEqual(['no ack', 7]);
    } finally {
      c.close();
    }
  });

  it('says which replica holds the session (whoami)', async () => {
    const c = await connectSocketio(server.url, { transports: ['websocket'] });
    try {
      const who = await c.whoami();
      expect(who.replica).toBe('echo-1');
      expect(who.transport).toBe('websocket');
      expect(who.sid).toMatch(/^[\w-]{20}$/);
    } finally {
      c.close();
    }
  });
});
