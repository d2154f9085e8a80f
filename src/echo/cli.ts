/**
 * `ws-proxy-bench serve [options]`: run the echo server until SIGTERM/SIGINT, then close every
 * WebSocket with 1001 and exit 0 (forced after 5 s).
 */
import { OptionError, optionsHelp } from '../options.js';
import { echoOptionSpecs, resolveEchoOptions } from './options.js';
import { startEchoServer } from './server.js';
import { PRODUCT } from '../version.js';
import { closeWithin, nextStopSignal } from '../shutdown.js';

export interface ServeIo {
  env?: Record<string, string | undefined>;
  out?: (line: string) => void;
  err?: (line: string) => void;
}

export async function runServeCommand(argv: string[], io: ServeIo = {}): Promise<number> {
  const env = io.env ?? process.env;
  const out = io.out ?? ((line: string) => console.log(line));
  const err = io.err ?? ((line: string) => console.error(line));
  if (argv.includes('--help') || argv.includes('-h')) {
    out(`Usage: ws-proxy-bench serve [options]   (${PRODUCT})\n\nThe WebSocket echo server. Options (a flag wins over its environment variable):\n${optionsHelp(echoOptionSpecs)}`);
    return 0;
  }
  let server;
  try {
    const options = resolveEchoOptions({ argv, env });
    server = await startEchoServer(options);
  } catch (e) {
    if (e instanceof OptionError) {
      err(e.message); // names the command itself (withCommand)
      return 2;
    }
    err(e instanceof Error ? e.message : String(e));
    return 1;
  }
  out(`echo server listening on ${server.url}  (WebSocket at ${server.wsUrl})`);
  const signal = await nextStopSignal();
  const started = Date.now();
  await closeWithin(() => server.close(1001), (line) => err(`serve: ${signal}: ${line}`));
  out(`echo server stopped after ${signal} in ${Date.now() - started} ms`);
  return 0;
}
