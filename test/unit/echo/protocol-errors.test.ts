import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import type { EchoServerHandle } from '../../../src/echo/server.js';
import { closeCodeIn, closed, echo, frame, openClient, rawHandshake, startQuietServer } from './helpers.js';

/** Each protocol violation closes only the offending connection; a second client keeps echoing. */
describe('echo server protocol errors', () => {
  let server: EchoServerHandle;
  let bystander: WebSocket;
  beforeAll(async () => {
    server = await startQuietServer({ maxMessageSize: 1024 });
    bystander = await openClient(server.wsUrl);
  });
  afterAll(async () => {
    bystander.close();
    await server.close();
  });

  async function bystanderEchoes(): Promise<void> {
    const reply = await echo(bystander, 'bystander', false);
    expect(reply.data.toString()).toBe('bystander');
  }

  it('closes with 1009 when a message is over the size limit', async () => {
    const big = await openClient(server.wsUrl);
    const result = closed(big);
    big.on('error', () => {});
    await bystanderEchoes();
    big.send(Buffer.alloc(1025));
    expect((await result).code).toBe(1009);
    const atLimit = await openClient(server.wsUrl);
    const reply = await echo(atLimit, Buffer.alloc(1024, 7), true);
    expect(reply.data.length).toBe(1024);
    atLimit.close();
    await bystanderEchoes();
  });

  it.each([
    ['1007 on invalid UTF-8 in a text message', frame(0x1, Buffer.from([0x68, 0xc3, 0x28, 0xff])), 1007],
    ['1002 on an unmasked client frame', frame(0x1, Buffer.from('hello'), { masked: false }), 1002],
  ])('closes with %s', async (_name, bad, code) => {
    const raw = await rawHandshake(server.port);
    raw.socket.write(bad);
    await bystanderEchoes();
    await raw.waitForClose();
    expect(closeCodeIn(raw.incoming())).toBe(code);
    await bystanderEchoes();
  });

  it('a raw masked text frame is echoed (the raw client itself is sound)', async () => {
    const raw = await rawHandshake(server.port);
    raw.socket.write(frame(0x1, Buffer.from('hello')));
    await expect.poll(() => raw.incoming().length, { timeout: 2_000 }).toBeGreaterThanOrEqual(7);
    expect(raw.incoming().subarray(0, 7)).toEqual(Buffer.from([0x81, 5, ...Buffer.from('hello')]));
    raw.socket.destroy();
  });
});
