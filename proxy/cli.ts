/**
 * `ws-proxy-bench front …` and the container entry (`node /app/http-front.mjs …`): resolve the
 * options from flags and the environment, start the front, stop cleanly on SIGTERM/SIGINT.
 */
import { OptionError, optionsHelp } from '../src/options.js';
import { closeWithin, nextStopSignal } from '../src/shutdown.js';
import { startHttpFront } from './front.js';
import { stdoutLog } from './log.js';
import { frontOptionSpecs, frontTls, resolveFrontOptions } from './options.js';

function usage(): string {
  return [
    'Usage: ws-proxy-bench front [options]',
    '',
    'Runs the Node http-proxy front: HTTP is proxied to --target; WebSocket upgrades are forwarded',
    'to it (--websocket off) or answered by the front itself (--websocket on). Several --target',
    'values are balanced round robin (--sticky cookie keeps a client on one). With --tls-cert and',
    '--tls-key it terminates TLS and speaks h2 too, WebSockets over h2 (RFC 8441) included.',
    '',
    'Options (flag, else environment variable, else default):',
    optionsHelp(frontOptionSpecs),
  ].join('\n');
}

export async function runFrontCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(usage());
    return 0;
  }
  let options;
  try {
    options = resolveFrontOptions({ argv, env: process.env });
  } catch (err) {
    if (err instanceof OptionError) {
      console.error(err.message); // names the command itself (withCommand)
      return 2;
    }
    throw err;
  }

  let front;
  try {
    front = await startHttpFront({ ...options, log: stdoutLog });
  } catch (err) {
    // As serve does: the port in use (or not ours to take) said in one line, exit 1.
    console.error(err instanceof Error ? err.message : String(err));
    return 1;
  }
  const idle = options.idleTimeout === 0 ? 'none' : `${options.idleTimeout / 1000}s`;
  const listen = frontTls(options) ? `https://${front.host}:${front.port} (h2 and HTTP/1.1)` : `http://${front.host}:${front.port}`;
  const balancing = [options.target.length > 1 ? 'round robin' : '', options.sticky === 'cookie' ? 'sticky cookie' : ''].filter(Boolean).map((b) => `${b}, `).join('');
  console.log(`http-front listening on ${listen} -> ${options.target.join(', ')} (${balancing}websocket ${options.websocket}, idle timeout ${idle})`);

  const signal = await nextStopSignal();
  console.log(`http-front: ${signal}, closing`);
  await closeWithin(() => front.close(), (line) => console.error(`http-front: ${line}`)).catch((error: unknown) => {
    console.error(`http-front: closing failed: ${error instanceof Error ? error.message : String(error)}`);
  });
  return 0;
}
