/** Replaced at build time (esbuild `define`, Vitest `define`) with package.json's version. */
declare const __WS_PROXY_BENCH_VERSION__: string;

/** Static text assets (the echo page) are bundled as strings. */
declare module '*.html' {
  const text: string;
  export default text;
}
