/**
 * When a front is ready: it answers on its published port, seen from where the bench's clients
 * dial it. A plain front answers a bare HTTP request with any bytes (a status line, or an h2
 * front's GOAWAY); a TLS front completes a TLS handshake. A connection the engine's port proxy
 * accepts while nothing listens inside is closed without a byte, so it is not taken for ready.
 *
 * Instead of testcontainers' listening-ports check, which runs a command inside the container
 * every 100 ms until the port is bound (each a process start for the engine) and keeps polling
 * one that has exited until its start timeout: this one asks the engine for the container's
 * state only when a probe fails, and fails at once when it has stopped running.
 */
import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { WaitStrategy } from 'testcontainers';
import { exitedBeforeReady } from './container.js';
import { runtimeClient } from './runtime.js';

type Container = Parameters<WaitStrategy['waitUntilReady']>[0];
type BoundPorts = Parameters<WaitStrategy['waitUntilReady']>[1];

const PROBE_INTERVAL_MS = 100;
/** How long one probe waits for the front's answer: a listening front answers within milliseconds. */
const PROBE_TIMEOUT_MS = 2_000;

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

export class FrontAnswersWaitStrategy implements WaitStrategy {
  private startupTimeoutMs = 60_000;
  private startupTimeoutSet = false;

  /** `host`: where the published port is dialled (default: the engine's host, as testcontainers reaches it). */
  constructor(
    private readonly port: number,
    private readonly tls: boolean,
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
      if (await frontAnswers(host, hostPort, this.tls)) return;
      const exited = exitedBeforeReady((await container.inspect()).State);
      if (exited) throw exited;
      if (performance.now() > deadline) {
        throw new Error(`nothing answered ${this.tls ? 'a TLS handshake' : 'an HTTP request'} on port ${this.port} (published on ${host}:${hostPort}) within ${this.startupTimeoutMs} ms`);
      }
      await new Promise((r) => setTimeout(r, PROBE_INTERVAL_MS));
    }
  }
}
