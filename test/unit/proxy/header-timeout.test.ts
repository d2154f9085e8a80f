/** A handshake that trickles its headers in is cut at --header-timeout (a slowloris guard). */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpFrontHandle } from '../../../proxy/front.js';
import { resolveFrontOptions } from '../../../proxy/options.js';
import { startQuietFront, startUpstream, type TestUpstream } from './upstream.js';

const HEADER_TIMEOUT_MS = 600;

describe('http-front header timeout', () => {
  let upstream: TestUpstream;
  let front: HttpFrontHandle;
  beforeAll(async () => {
    upstream = await startUpstream();
    front = await startQuietFront({ target: upstream.url, headerTimeout: HEADER_TIMEOUT_MS });
  });
  afterAll(async () => {
    await front.close();
    await upstream.close();
  });

  it('defaults to 10 s and takes --header-timeout', () => {
    expect(resolveFrontOptions({ env: {} }).headerTimeout).toBe(10_000);
    expect(resolveFrontOptions({ argv: ['--header-timeout', '3s'] }).headerTimeout).toBe(3_000);
  });

  it('answers 408 and disconnects a handshake whose headers arrive one byte at a time', async () => {
    const socket = connect(front.port, '127.0.0.1');
    const request = 'GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n';
    let reply = '';
    let i = 0;
    const started = performance.now();
    socket.on('data', (c: Buffer) => { reply += c.toString('latin1'); });
    socket.on('error', () => {});
    const trickle = setInterval(() => { if (i < request.length && !socket.destroyed) socket.write(request[i++] as string); }, 50);
    const cutAfter = await new Promise<number>((resolve) => socket.once('close', () => resolve(performance.now() - started)));
    clearInterval(trickle);
    console.log(`  http-front: slow headers cut after ${cutAfter.toFixed(0)} ms (header timeout ${HEADER_TIMEOUT_MS} ms), ${i} of ${request.length} bytes sent; answer ${JSON.stringify(reply.split('\r\n')[0])}`);
    expect(cutAfter).toBeGreaterThanOrEqual(HEADER_TIMEOUT_MS - 50);
    expect(cutAfter).toBeLessThan(HEADER_TIMEOUT_MS + 1_200);
    expect(i).toBeLessThan(request.length);
    expect(reply).toMatch(/^HTTP\/1\.1 408/);
  });
});
