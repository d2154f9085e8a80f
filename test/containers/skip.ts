/** Whether the container suites were skipped on purpose (no engine, WS_PROXY_BENCH_SKIP_CONTAINERS=1; never under CI). */
export const containersSkipped: boolean = process.env.WS_PROXY_BENCH_SKIP_CONTAINERS === '1' && !process.env.CI;
