/** The container entry point (bundled to dist/echo-server.mjs): `node echo-server.mjs [options]`. */
import { runServeCommand } from './cli.js';

runServeCommand(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`echo server: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
