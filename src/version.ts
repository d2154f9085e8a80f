/** The project's version, as package.json states it (injected at build time). */
export const VERSION: string = __WS_PROXY_BENCH_VERSION__;

/** How this project names itself in identity headers: `ws-proxy-bench/<version>`. */
export const PRODUCT = `ws-proxy-bench/${VERSION}`;
