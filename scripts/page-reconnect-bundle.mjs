// The echo page's reconnect helpers (src/echo/page-reconnect.ts: the project's own backoff and
// outbox, src/client/) built for the browser as an IIFE, and handed to the server code as the
// text of a virtual module, `virtual:page-reconnect`. One mechanism for both places that load the
// server: esbuild (scripts/build-options.mjs, the container and CLI bundles) and Vitest
// (vitest.config.ts, which runs the TypeScript sources).
import { buildSync } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export const PAGE_RECONNECT_MODULE = 'virtual:page-reconnect';
export const PAGE_RECONNECT_ENTRY = join(root, 'src/echo/page-reconnect.ts');

/** The IIFE's code: it sets `window.wsPageReconnect`. Built in memory, ~20 ms. */
export function buildPageReconnect() {
  const result = buildSync({
    entryPoints: [PAGE_RECONNECT_ENTRY],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: false,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const code = result.outputFiles[0].text;
  // The page inlines it in a <script> element: a closing tag inside would end that element early.
  if (/<\/script/i.test(code)) throw new Error(`${PAGE_RECONNECT_ENTRY}: the bundle contains "</script"; the page cannot inline it`);
  return code;
}

const asModule = () => `export default ${JSON.stringify(buildPageReconnect())};`;

/** esbuild plugin: resolves `virtual:page-reconnect` to the IIFE's code as a string. */
export const pageReconnectEsbuildPlugin = {
  name: 'ws-proxy-bench:page-reconnect',
  setup(build) {
    build.onResolve({ filter: /^virtual:page-reconnect$/ }, (args) => ({ path: args.path, namespace: 'page-reconnect' }));
    build.onLoad({ filter: /.*/, namespace: 'page-reconnect' }, () => ({ contents: asModule(), loader: 'js', watchFiles: [PAGE_RECONNECT_ENTRY] }));
  },
};

/** The same for Vite/Vitest (a Vite plugin object; no import of vite needed). */
export const pageReconnectVitePlugin = {
  name: 'ws-proxy-bench:page-reconnect',
  enforce: 'pre',
  resolveId(id) {
    return id === PAGE_RECONNECT_MODULE ? `\0${PAGE_RECONNECT_MODULE}` : null;
  },
  load(id) {
    return id === `\0${PAGE_RECONNECT_MODULE}` ? asModule() : null;
  },
};
