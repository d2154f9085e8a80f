/**
 * When a container is ready: it answers on its published port, seen from where the bench's
 * clients dial it, probed every 100 ms. A front answers a bare HTTP request with any bytes (a
 * status line, or an h2 front's GOAWAY), or completes a TLS handshake; an app answers an HTTP
 * GET on its path with a status it is expected to give. A connection the engine's port proxy
 * accepts while nothing listens inside is closed without a byte, so it is not taken for ready.
 *
 * Instead of testcontainers' checks: its listening-ports check runs a command inside the
 * container every 100 ms until the port is bound (each a process start for the engine) and keeps
 * polling one that has exited until its start timeout, and its HTTP check asks once a second (an
 * app that listens 0.3 s after its start was taken for ready 1 s after it). This one asks the
 * engine for the container's state only when a probe fails, and fails at once when it has
 * stopped running.
 */
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { WaitStrategy } from 'testcontainers';
import { exitedBeforeReady } from './container.js';
import { runtimeClient } from './runtime.js';

type Container = Parameters<WaitStrategy['waitUntilReady']>[0];
type BoundPorts = Parameters<WaitStrategy['waitUntilReady']>[1];

const PROBE_INTERVAL_MS = 100;
/** How long one probe waits for an answer: a listening server answers within milliseconds. */
const PROBE_TIMEOUT_MS = 2_000;

/** One look at host:port: whether what listens there answers as expected. */
export type Probe = (host: string, port: number) => Promise<boolean>;

/** Whether the front at host:port answers: bytes back for a plain request, or a finished TLS handshake. */
export function frontAnswers(host: string, port: number, tls: boolean): Promise<boolean> {
  return new Promise((resolve) => {
    let socket: Socket;
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), PROBE_TIMEOUT_MS);
    if (tls) {
      socket = tlsConnect({ host, port, servername: 'localhost', rejectUnauthorized: false, ALPNProtocols: ['h2', 'http/1.1'] }, () => done(true));
    } else {
      socket = connect({ host, port }, () => socket.write('HEAD / HTTP/1.0\r\n\r\n'));
      socket.once('data', () => done(true));
    }
    socket.once('error', () => done(false));
    socket.once('close', () => done(false));
  });
}

/** Whether GET `path` at host:port answers with a status `accepts` takes (on a connection of its own, closed after). */
export function httpAnswers(host: string, port: number, path: string, accepts: (status: number) => boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host, port, path, agent: false, headers: { connection: 'close' }, timeout: PROBE_TIMEOUT_MS }, (res) => {
      res.resume();
      resolve(accepts(res.statusCode ?? 0));
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(false));
    req.end();
  });
}

/** A wait strategy that probes the container's published `port` from the host until `probe` says it answers. */
export class AnswersWaitStrategy implements WaitStrategy {
  private startupTimeoutMs = 60_000;
  private startupTimeoutSet = false;

  /**
   * `expected`: what did not answer, for the timeout's message ("an HTTP request").
   * `host`: where the published port is dialled (default: the engine's host, as testcontainers reaches it).
   */
  constructor(
    private readonly port: number,
    private readonly probe: Probe,
    private readonly expected: string,
    private readonly host: () => Promise<string> = async () => (await runtimeClient()).info.containerRuntime.host,
  ) {}

  withStartupTimeout(ms: number): this {
    this.startupTimeoutMs = ms;
    this.startupTimeoutSet = true;
    return this;
  }

  isStartupTimeoutSet(): boolean {
    return this.startupTimeoutSet;
  }

  getStartupTimeout(): number {
    return this.startupTimeoutMs;
  }

  async waitUntilReady(container: Container, boundPorts: BoundPorts): Promise<void> {
    const host = await this.host();
    const hostPort = boundPorts.getBinding(this.port);
    const deadline = performance.now() + this.startupTimeoutMs;
    for (;;) {
      if (await this.probe(host, hostPort)) return;
      const exited = exitedBeforeReady((await container.inspect()).State);
      if (exited) throw exited;
      if (performance.now() > deadline) {
        throw new Error(`nothing answered ${this.expected} on port ${this.port} (published on ${host}:${hostPort}) within ${this.startupTimeoutMs} ms`);
      }
      await new Promise((r) => setTimeout(r, PROBE_INTERVAL_MS));
    }
  }
}

/** A front is ready once it answers a bare request (or a TLS handshake) on its published port. */
export function frontReady(port: number, tls: boolean, host?: () => Promise<string>): AnswersWaitStrategy {
  return new AnswersWaitStrategy(port, (h, p) => frontAnswers(h, p, tls), tls ? 'a TLS handshake' : 'an HTTP request', host);
}

/** An app is ready once GET `path` on its published port answers with a status `accepts` takes (`expected` names it). */
export function httpReady(port: number, path: string, accepts: (status: number) => boolean, expected: string, host?: () => Promise<string>): AnswersWaitStrategy {
  return new AnswersWaitStrategy(port, (h, p) => httpAnswers(h, p, path, accepts), `GET ${path} with ${expected}`, host);
}
