/**
 * A TCP relay for tests that can freeze the path: while paused it reads nothing from either
 * side, so bytes wait in the kernel as they do behind a `docker pause`d proxy, and neither end
 * sees a close. `unpause()` lets them flow again.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface PausableRelay {
  port: number;
  pause(): void;
  /**
   * Pauses once the next bytes from a client (a ping, say) have been passed on, so that what
   * answers them cannot come back; resolves with when that was (performance.now()).
   */
  pauseAfterNextFromClient(): Promise<number>;
  unpause(): void;
  /** Destroys the current connections (what they held is lost); new ones are relayed again. */
  cut(): void;
  close(): Promise<void>;
}

export async function startRelay(targetPort: number): Promise<PausableRelay> {
  const sockets = new Set<Socket>();
  let paused = false;
  let onClientBytes: (() => void) | undefined;
  const track = (s: Socket): void => {
    sockets.add(s);
    s.on('error', () => {});
    s.once('close', () => sockets.delete(s));
    if (paused) s.pause();
  };
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    track(client);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    // After pipe's own listener: these bytes are on their way upstream when the relay pauses.
    client.on('data', () => onClientBytes?.());
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const pause = (): void => {
    paused = true;
    for (const s of sockets) s.pause();
  };
  return {
    port: (server.address() as AddressInfo).port,
    pause,
    pauseAfterNextFromClient: () => new Promise<number>((resolve) => {
      onClientBytes = () => {
        onClientBytes = undefined;
        pause();
        resolve(performance.now());
      };
    }),
    unpause: () => {
      paused = false;
      for (const s of sockets) s.resume();
    },
    cut: () => {
      paused = false;
      for (const s of sockets) s.destroy();
    },
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
