/** Container entry, bundled to dist/http-front.mjs: `node /app/http-front.mjs --target … --websocket on|off`. */
import { runFrontCommand } from './cli.js';

runFrontCommand(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    console.error(`http-front: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
