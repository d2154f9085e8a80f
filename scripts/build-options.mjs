// esbuild options shared by scripts/build.mjs and the tests that build a bundle themselves
// (the echo server's process test), so a test runs exactly what a container runs.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pageReconnectEsbuildPlugin } from './page-reconnect-bundle.mjs';
import { socketioClientEsbuildPlugin } from './socketio-client-bundle.mjs';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

// The Node runtime in the offline stand-in images is Debian's (18.x): target it.
export const common = {
  platform: 'node',
  target: 'node18',
  format: 'esm',
  bundle: true,
  sourcemap: 'linked',
  logLevel: 'warning',
  loader: { '.html': 'text' },
  // `virtual:page-reconnect`: the echo page's browser code, built first and imported as text;
  // `virtual:socketio-client`: the socket.io browser client the socket.io app serves, as text.
  plugins: [pageReconnectEsbuildPlugin, socketioClientEsbuildPlugin],
  define: { __WS_PROXY_BENCH_VERSION__: JSON.stringify(pkg.version) },
  // ws probes these optional native helpers with try/require; they are not installed.
  external: ['bufferutil', 'utf-8-validate'],
  // Bundled CommonJS dependencies (express, http-proxy) call require() for Node built-ins.
  banner: { js: "import { createRequire as __wspbCreateRequire } from 'node:module';\nconst require = __wspbCreateRequire(import.meta.url);" },
};

/** Self-contained: copied into stock `node` images by the harness and docker-compose. */
export const containerBundles = [
  { entry: 'src/echo/main.ts', out: 'dist/echo-server.mjs' },
  // The second app kind: a socket.io server (express + socket.io on one HTTP server).
  { entry: 'src/socketio/main.ts', out: 'dist/socketio-server.mjs' },
  { entry: 'proxy/main.ts', out: 'dist/http-front.mjs' },
  // The perf bench's baseline: a bare ws echo server, run in the same node image as the app.
  { entry: 'src/bench/bare-echo.ts', out: 'dist/bare-echo.mjs' },
  // The scale benches' load generators: each a container of its own on the bench network.
  { entry: 'src/bench/scale-generator.ts', out: 'dist/bench-scale-generator.mjs' },
];
