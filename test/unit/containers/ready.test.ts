import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { exitedBeforeReady } from '../../../src/containers/container.js';
import { AnswersWaitStrategy, frontAnswers, frontReady, httpAnswers, httpReady } from '../../../src/containers/ready.js';
import { watchLoopLag } from '../../support/loop-lag.js';
import { selfSignedCertificate } from '../../../src/containers/tls.js';

const servers: (Server | HttpServer)[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function listening<S extends Server | HttpServer>(server: S): Promise<number> {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

/** What the engine's port proxy does while nothing listens inside the container: accept, then close without a byte. */
const closesAtOnce = (): Server => createNetServer((socket) => socket.destroy());

describe('frontAnswers', () => {
  it('a plain front that answers an HTTP request is ready', async () => {
    const port = await listening(createHttpServer((_, res) => res.end('ok')));
    expect(await frontAnswers('127.0.0.1', port, false)).toBe(true);
  });

  it('a connection accepted and closed without a byte is not ready (a port proxy with nothing behind it)', async () => {
    const port = await listening(closesAtOnce());
    expect(await frontAnswers('127.0.0.1', port, false)).toBe(false);
  });

  it('a port nothing listens on is not ready', async () => {
    const port = await listening(createNetServer());
    await new Promise((r) => servers.pop()?.close(r));
    expect(await frontAnswers('127.0.0.1', port, false)).toBe(false);
  });

  it('a TLS front is ready once its handshake completes, and not when the connection is closed instead', async () => {
    const { cert, key } = await selfSignedCertificate();
    const tlsPort = await listening(createHttpsServer({ cert, key }, (_, res) => res.end('ok')));
    expect(await frontAnswers('127.0.0.1', tlsPort, true)).toBe(true);
    const closedPort = await listening(closesAtOnce());
    expect(await frontAnswers('127.0.0.1', closedPort, true)).toBe(false);
  });
});

const loopback = async (): Promise<string> => '127.0.0.1';
const boundTo = (port: number) => ({ getBinding: () => port }) as never;
const container = (state: { Running: boolean; ExitCode: number }) => ({ inspect: async () => ({ State: state }) }) as never;

describe('frontReady', () => {
  it('fails at once, with the exit code, when the container has stopped running', async () => {
    const port = await listening(closesAtOnce());
    const started = performance.now();
    await expect(frontReady(8080, false, loopback).withStartupTimeout(30_000).waitUntilReady(container({ Running: false, ExitCode: 1 }), boundTo(port)))
      .rejects.toThrow('it exited (code 1) before it was ready');
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('keeps probing a running container until its start timeout, then says what did not answer', async () => {
    const port = await listening(closesAtOnce());
    await expect(frontReady(8080, false, loopback).withStartupTimeout(300).waitUntilReady(container({ Running: true, ExitCode: 0 }), boundTo(port)))
      .rejects.toThrow(/nothing answered an HTTP request on port 8080 \(published on .*:\d+\) within 300 ms/);
  });

  it('returns once the front answers', async () => {
    const port = await listening(createHttpServer((_, res) => res.end('ok')));
    await frontReady(8080, false, loopback).waitUntilReady(container({ Running: true, ExitCode: 0 }), boundTo(port));
  });
});

describe('httpAnswers', () => {
  const status = (code: number) => createHttpServer((req, res) => { res.statusCode = req.url === '/healthz' ? code : 404; res.end(); });

  it('is true for a status the caller accepts on its path, false for another status', async () => {
    const healthy = await listening(status(200));
    expect(await httpAnswers('127.0.0.1', healthy, '/healthz', (s) => s === 200)).toBe(true);
    expect(await httpAnswers('127.0.0.1', healthy, '/elsewhere', (s) => s === 200)).toBe(false);
    const closing = await listening(status(503));
    expect(await httpAnswers('127.0.0.1', closing, '/healthz', (s) => s === 200)).toBe(false);
    expect(await httpAnswers('127.0.0.1', closing, '/healthz', () => true)).toBe(true);
  });

  it('is false for a connection closed without an answer, and for a port nothing listens on', async () => {
    expect(await httpAnswers('127.0.0.1', await listening(closesAtOnce()), '/healthz', () => true)).toBe(false);
    const port = await listening(createNetServer());
    await new Promise((r) => servers.pop()?.close(r));
    expect(await httpAnswers('127.0.0.1', port, '/healthz', () => true)).toBe(false);
  });
});

describe('httpReady', () => {
  it('probes every 100 ms until the app answers (testcontainers\' own HTTP check asks once a second)', async () => {
    const lag = watchLoopLag();
    const probedAt: number[] = [];
    // Refuses three times, as an app container does in its first 0.3 s, then answers.
    const probe = async (): Promise<boolean> => probedAt.push(performance.now()) > 3;
    await new AnswersWaitStrategy(8080, probe, 'GET /healthz with 200', loopback).waitUntilReady(container({ Running: true, ExitCode: 0 }), boundTo(1));
    const tolerance = lag.stop();
    expect(probedAt).toHaveLength(4);
    for (const [i, at] of probedAt.slice(1).entries()) {
      const gap = at - (probedAt[i] as number);
      // A probe reads the clock before the code under test arms its wait (Node counts a timer from
      // a clock it reads as it arms it), and the next probe reads it after that wait has fired: a
      // late callback on either side only widens the gap. So the gap is short of 100 ms by no more
      // than a timer may fire early by the clock read here: under 2 ms (its loop clock is whole
      // milliseconds, read from a clock up to 1 ms coarse). It fires late by at most the loop's
      // delay, once for the timer and once for the inspect in between.
      expect(gap).toBeGreaterThanOrEqual(98);
      expect(gap).toBeLessThanOrEqual(100 + 2 * tolerance);
    }
  });

  it('names the path and the status it waited for when nothing gave it', async () => {
    const port = await listening(createHttpServer((_, res) => { res.statusCode = 503; res.end(); }));
    await expect(httpReady(8080, '/healthz', (s) => s === 200, '200', loopback).withStartupTimeout(300).waitUntilReady(container({ Running: true, ExitCode: 0 }), boundTo(port)))
      .rejects.toThrow(/nothing answered GET \/healthz with 200 on port 8080 \(published on 127\.0\.0\.1:\d+\) within 300 ms/);
  });
});

describe('exitedBeforeReady: the one rule the start watch and the readiness check share', () => {
  it('a running container, or one still being created, has not exited; one that stopped has, with its code', () => {
    expect(exitedBeforeReady({ Running: true, Status: 'running', ExitCode: 0 })).toBeUndefined();
    expect(exitedBeforeReady({ Running: false, Status: 'created', ExitCode: 0 })).toBeUndefined();
    expect(exitedBeforeReady({ Running: false, Status: 'exited', ExitCode: 1 })?.message).toBe('it exited (code 1) before it was ready');
    expect(exitedBeforeReady({ Running: false, Status: 'dead', ExitCode: 137 })?.message).toBe('it exited (code 137) before it was ready');
  });
});
