import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import type { EchoServerHandle } from '../../../src/echo/server.js';
import { closed, echo, nextMessage, openClient, startQuietServer } from './helpers.js';

describe('echo server echoes', () => {
  let server: EchoServerHandle;
  let ws: WebSocket;
  beforeAll(async () => {
    server = await startQuietServer();
    ws = await openClient(server.wsUrl);
  });
  afterAll(async () => {
    ws.close();
    await server.close();
  });

  const sizes = [0, 1, 64 * 1024, 1024 * 1024];

  it.each(sizes)('a %i-byte binary message byte for byte, as binary', async (size) => {
    const payload = randomBytes(size);
    const reply = await echo(ws, payload, true);
    expect(reply.isBinary).toBe(true);
    expect(reply.data.equals(payload)).toBe(true);
  });

  it.each(sizes)('a %i-byte text message byte for byte, as text', async (size) => {
    // 'é€x' is 6 bytes of UTF-8; pad with ASCII to exactly `size` bytes.
    const text = 'é€x'.repeat(Math.floor(size / 6)) + 'y'.repeat(size % 6);
    const payload = Buffer.from(text, 'utf8');
    expect(payload.length).toBe(size);
    const reply = await echo(ws, payload, false);
    expect(reply.isBinary).toBe(false);
    expect(reply.data.equals(payload)).toBe(true);
  });

  it('keeps message boundaries', async () => {
    const replies: string[] = [];
    const done = new Promise<void>((resolve) => {
      const onMessage = (data: Buffer): void => {
        replies.push(data.toString());
        if (replies.length === 3) {
          ws.off('message', onMessage);
          resolve();
        }
      };
      ws.on('message', onMessage);
    });
    for (const m of ['a', 'bb', 'ccc']) ws.send(m);
    await done;
    expect(replies).toEqual(['a', 'bb', 'ccc']);
  });

  it('reassembles a fragmented message and echoes it as one', async () => {
    const reply = nextMessage(ws);
    ws.send('frag', { fin: false });
    ws.send('ment', { fin: false });
    ws.send('ed', { fin: true });
    const got = await reply;
    expect(got.isBinary).toBe(false);
    expect(got.data.toString()).toBe('fragmented');
  });

  it('answers a client close with the same code and reason', async () => {
    const client = await openClient(server.wsUrl);
    const result = closed(client);
    client.close(4000, 'bye');
    expect(await result).toEqual({ code: 4000, reason: 'bye' });
  });

  it('answers a close without a code with an empty close (1005)', async () => {
    const client = await openClient(server.wsUrl);
    const result = closed(client);
    client.close();
    expect((await result).code).toBe(1005);
  });
});
