// The socket.io browser client (socket.io-client's dist files) handed to the socket.io app as
// the text of a virtual module, `virtual:socketio-client`, so the app serves the script its page
// loads itself, offline and from a self-contained bundle. socket.io's own serveClient reads
// these files from disk next to its module (path.join(__dirname, "../client-dist/")), which does
// not exist in dist/socketio-server.mjs (there `__dirname` is not even defined, and a request for
// the script would crash the process). One mechanism for esbuild (scripts/build-options.mjs) and
// Vitest (vitest.config.ts), as scripts/page-reconnect-bundle.mjs does for the echo page.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

export const SOCKETIO_CLIENT_MODULE = 'virtual:socketio-client';

/** The files socket.io's serveClient serves under its path that the app serves too. */
export const SOCKETIO_CLIENT_FILES = ['socket.io.js', 'socket.io.js.map', 'socket.io.min.js', 'socket.io.min.js.map'];

// The package's exports map lists ./package.json but not every dist file: find the folder from it.
const packageDir = dirname(require.resolve('socket.io-client/package.json'));
const filePath = (name) => join(packageDir, 'dist', name);

/** `{ version, files: { name: text } }` as module source. */
export function socketioClientModule() {
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  const files = Object.fromEntries(SOCKETIO_CLIENT_FILES.map((name) => [name, readFileSync(filePath(name), 'utf8')]));
  return `export const version = ${JSON.stringify(version)};\nexport const files = ${JSON.stringify(files)};\n`;
}

/** esbuild plugin: resolves `virtual:socketio-client` to the client's files as strings. */
export const socketioClientEsbuildPlugin = {
  name: 'ws-proxy-bench:socketio-client',
  setup(build) {
    build.onResolve({ filter: /^virtual:socketio-client$/ }, (args) => ({ path: args.path, namespace: 'socketio-client' }));
    build.onLoad({ filter: /.*/, namespace: 'socketio-client' }, () => ({
      contents: socketioClientModule(),
      loader: 'js',
      watchFiles: [join(packageDir, 'package.json'), ...SOCKETIO_CLIENT_FILES.map(filePath)],
    }));
  },
};

/** The same for Vite/Vitest. */
export const socketioClientVitePlugin = {
  name: 'ws-proxy-bench:socketio-client',
  enforce: 'pre',
  resolveId(id) {
    return id === SOCKETIO_CLIENT_MODULE ? `\0${SOCKETIO_CLIENT_MODULE}` : null;
  },
  load(id) {
    return id === `\0${SOCKETIO_CLIENT_MODULE}` ? socketioClientModule() : null;
  },
};
