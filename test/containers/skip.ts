/** The switch that skips the container suites on purpose on a machine without Docker (never honoured under CI). */
export const SKIP_ENV = 'WS_PROXY_BENCH_SKIP_CONTAINERS';

/** Whether the container suites were skipped on purpose (WS_PROXY_BENCH_SKIP_CONTAINERS=1; never under CI). */
export const containersSkipped: boolean = process.env[SKIP_ENV] === '1' && !process.env.CI;
