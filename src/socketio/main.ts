/** The container entry point (bundled to dist/socketio-server.mjs): `node socketio-server.mjs [options]`. */
import { runSocketioServeCommand } from './cli.js';

runSocketioServeCommand(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`socket.io server: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
