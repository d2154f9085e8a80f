/**
 * The socket.io app's command line (`node dist/socketio-server.mjs [options]`, the container
 * entry): run until SIGTERM/SIGINT, then disconnect every client (WebSockets with 1001) and exit
 * 0, or 1 when closing outlasts the project's stop bound (src/shutdown.ts).
 */
import { OptionError, optionsHelp } from '../options.js';
import { closeWithin, nextStopSignal } from '../shutdown.js';
import { SOCKETIO_PRODUCT } from './identity.js';
import { resolveSocketioOptions, socketioOptionSpecs } from './options.js';
import { startSocketioServer, type SocketioServerHandle } from './server.js';

export interface SocketioServeIo {
  env?: Record<string, string | undefined>;
  out?: (line: string) => void;
  err?: (line: string) => void;
}

export async function runSocketioServeCommand(argv: string[], io: SocketioServeIo = {}): Promise<number> {
  const env = io.env ?? process.env;
  const out = io.out ?? ((line: string) => console.log(line));
  const err = io.err ?? ((line: string) => console.error(line));
  if (argv.includes('--help') || argv.includes('-h')) {
    out(`Usage: node socketio-server.mjs [options]   (${SOCKETIO_PRODUCT})\n\nThe socket.io echo app. Options (a flag wins over its environment variable):\n${optionsHelp(socketioOptionSpecs)}`);
    return 0;
  }
  let server: SocketioServerHandle;
  try {
    const options = resolveSocketioOptions({ argv, env });
    server = await startSocketioServer(options);
  } catch (e) {
    if (e instanceof OptionError) {
      err(e.message); // names the command itself (withCommand)
      return 2;
    }
    err(e instanceof Error ? e.message : String(e));
    return 1;
  }
  out(`socket.io server listening on ${server.url}  (socket.io at ${server.path}, replica ${server.replicaId})`);
  const signal = await nextStopSignal();
  const started = Date.now();
  await closeWithin(() => server.close(), (line) => err(`serve-socketio: ${signal}: ${line}`));
  out(`socket.io server stopped after ${signal} in ${Date.now() - started} ms`);
  return 0;
}
