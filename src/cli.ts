/**
 * `ws-proxy-bench <command>`: dispatches to the part that owns the command, so each part keeps
 * its own flags, help and validation.
 */
import { VERSION } from './version.js';

interface Command {
  summary: string;
  run(argv: string[]): Promise<number>;
}

const commands: Record<string, Command> = {
  serve: {
    summary: 'run the WebSocket echo server (the app behind every front)',
    run: async (argv) => (await import('./echo/cli.js')).runServeCommand(argv),
  },
  front: {
    summary: 'run the http-proxy front (WebSocket handling on or off)',
    run: async (argv) => (await import('../proxy/cli.js')).runFrontCommand(argv),
  },
  run: {
    summary: 'run the scenario matrix and print the compatibility report (npm run bench)',
    run: async (argv) => (await import('./run/cli.js')).runRunCommand(argv),
  },
  probe: {
    summary: 'diagnose a ws:// or wss:// endpoint: handshake, echo latency, idle timeout, pings',
    run: async (argv) => (await import('./probe/cli.js')).runProbeCommand(argv, { env: process.env }),
  },
  engine: {
    summary: 'check for a Docker engine, or install and start one (Debian, root)',
    run: async (argv) => (await import('./containers/cli.js')).runEngineCommand(argv),
  },
  images: {
    summary: 'show the image catalog, or build offline stand-ins from Debian packages',
    run: async (argv) => (await import('./containers/cli.js')).runImagesCommand(argv),
  },
  render: {
    summary: "render a front's config template with your values",
    run: async (argv) => (await import('./render.js')).runRenderCommand(argv),
  },
  cert: {
    summary: "write the throwaway TLS certificate docker-compose.yml's profile h2 needs",
    run: async (argv) => (await import('./compose/cli.js')).runCertCommand(argv),
  },
  compose: {
    summary: 'docker-compose.yml where no registry answers: images (offline stand-ins if need be), configs, then docker compose up',
    run: async (argv) => (await import('./compose/up.js')).runComposeCommand(argv),
  },
  sweep: {
    summary: 'remove containers and networks left behind by crashed runs',
    run: async (argv) => (await import('./containers/cli.js')).runSweepCommand(argv),
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  return [
    `ws-proxy-bench ${VERSION}: will my WebSocket connections survive the proxy in front of my app?`,
    '',
    'Usage: ws-proxy-bench <command> [options]   (ws-proxy-bench <command> --help for its options)',
    '',
    'Commands:',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    console.log(VERSION);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    console.error(`ws-proxy-bench: unknown command '${name}'. Commands: ${Object.keys(commands).join(', ')}. Try --help.`);
    return 2;
  }
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    console.error(`ws-proxy-bench: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
