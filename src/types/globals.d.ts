/** Replaced at build time (esbuild `define`, Vitest `define`) with package.json's version. */
declare const __WS_PROXY_BENCH_VERSION__: string;

/** Static text assets (the echo page) are bundled as strings. */
declare module '*.html' {
  const text: string;
  export default text;
}

/** The echo page's reconnect helpers as browser code (scripts/page-reconnect-bundle.mjs builds it). */
declare module 'virtual:page-reconnect' {
  const code: string;
  export default code;
}

/** The socket.io browser client's dist files (scripts/socketio-client-bundle.mjs reads them at build time). */
declare module 'virtual:socketio-client' {
  /** socket.io-client's version. */
  export const version: string;
  /** File name (socket.io.min.js, …) → its text. */
  export const files: Record<string, string>;
}
