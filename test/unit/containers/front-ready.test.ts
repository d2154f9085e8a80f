import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { exitedBeforeReady } from '../../../src/containers/container.js';
import { frontAnswers, FrontAnswersWaitStrategy } from '../../../src/containers/front-ready.js';
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

describe('FrontAnswersWaitStrategy', () => {
  const loopback = async (): Promise<string> => '127.0.0.1';
  const boundTo = (port: number) => ({ getBinding: () => port }) as never;
  const container = (state: { Running: boolean; ExitCode: number }) => ({ inspect: async () => ({ State: state }) }) as never;

  it('fails at once, with the exit code, when the container has stopped running', async () => {
    const port = await listening(closesAtOnce());
    const started = performance.now();
    await expect(new FrontAnswersWaitStrategy(8080, false, loopback).withStartupTimeout(30_000).waitUntilReady(container({ Running: false, ExitCode: 1 }), boundTo(port)))
      .rejects.toThrow('it exited (code 1) before it was ready');
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('keeps probing a running container until its start timeout, then says what did not answer', async () => {
    const port = await listening(closesAtOnce());
    await expect(new FrontAnswersWaitStrategy(8080, false, loopback).withStartupTimeout(300).waitUntilReady(container({ Running: true, ExitCode: 0 }), boundTo(port)))
      .rejects.toThrow(/nothing answered an HTTP request on port 8080 \(published on .*:\d+\) within 300 ms/);
  });

  it('returns once the front answers', async () => {
    const port = await listening(createHttpServer((_, res) => res.end('ok')));
    await new FrontAnswersWaitStrategy(8080, false, loopback).waitUntilReady(container({ Running: true, ExitCode: 0 }), boundTo(port));
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
