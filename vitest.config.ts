import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vitest/config';
import { pageReconnectVitePlugin } from './scripts/page-reconnect-bundle.mjs';
import { socketioClientVitePlugin } from './scripts/socketio-client-bundle.mjs';
import { CostSequencer } from './test/support/cost-sequencer.js';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

/** Static text assets (the echo page) import as strings, as esbuild's `text` loader does in the build. */
const htmlAsText: Plugin = {
  name: 'ws-proxy-bench:html-as-text',
  enforce: 'pre',
  load(id) {
    if (!id.endsWith('.html')) return null;
    return `export default ${JSON.stringify(readFileSync(id, 'utf8'))};`;
  },
};

/** What every project that starts containers has: the engine and images set up once, and timeouts for container starts. */
const containerSuite = {
  globalSetup: ['test/containers/global-setup.ts'],
  testTimeout: 60_000,
  hookTimeout: 120_000,
};

/**
 * The container suites' group (the containers and examples projects): vitest runs one group's
 * projects in one pool, so its worker bound is one setting. Six suites at a time on 2 cores: a
 * suite mostly waits (container starts, idle timeouts, holds, drains), and every timing check
 * brackets its own clock, so the waits may overlap. Measured on 2 cores, these two projects alone:
 * five at a time took 233 s and left the machine 12 % idle; six, 225 s twice (8 % idle); seven,
 * 226 s (4 % idle). Past six the CPU bounds them, not the waits.
 */
const containerGroup = {
  ...containerSuite,
  maxWorkers: 6,
  fileParallelism: true,
  // One module graph per worker, not one per file: importing testcontainers and the bench's
  // modules again for each of 40 files cost about 1.3 s of CPU a file. The suites share no state
  // through modules but the run's id, which the global setup gives them all.
  isolate: false,
  sequence: { groupOrder: 1 },
};

export default defineConfig({
  // The echo page's browser code and the socket.io client's files as text, as the esbuild build
  // does it (one module for both).
  plugins: [htmlAsText, pageReconnectVitePlugin, socketioClientVitePlugin],
  define: { __WS_PROXY_BENCH_VERSION__: JSON.stringify(pkg.version) },
  test: {
    reporters: ['default'],
    // Each project's files longest first, by the last run's durations (test/support/cost-sequencer.ts).
    sequence: { sequencer: CostSequencer },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 15_000,
          // Six files at a time on 2 cores: the unit tests mostly wait on in-process sockets and
          // timers, so a file's waits overlap the others' instead of queueing behind them; every
          // timing check brackets its own clock, and those whose front, client and timers share
          // one event loop keep about a second of margin (a loop stalls 500-600 ms at times).
          // Measured: three at a time took 30 s, four 23-24 s (the CPU 45 % busy), six 18-19 s
          // (55 %); eight 15-16 s, but 70 % busy, where a loop's stalls grow.
          // One module graph per worker (no isolation): importing it again for each of 70 files
          // cost about 10 s; the tests restore what they change (env, timers) themselves.
          maxWorkers: 6,
          isolate: false,
          // The fast tests first; the container suites after them, with their own worker bound.
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'containers',
          include: ['test/containers/**/*.test.ts'],
          exclude: ['test/containers/browser/**'],
          ...containerGroup,
        },
      },
      {
        extends: true,
        test: {
          // The examples of using the package in one's own suite (examples/*/): they import it by
          // its name, as a user's suite does (the package's "exports", resolved from its own
          // checkout), so they run the built dist/ that the global setup rebuilds. In the
          // container suites' group; under CI they never skip either.
          name: 'examples',
          include: ['examples/**/*.test.ts'],
          ...containerGroup,
        },
      },
      {
        extends: true,
        test: {
          name: 'containers-browser',
          include: ['test/containers/browser/**/*.test.ts'],
          ...containerSuite,
          // After every other suite, alone: Chromium aborts what it is connecting with
          // net::ERR_NETWORK_CHANGED whenever the host's addresses change, and every network and
          // container a suite creates or removes changes them (a bridge address, a veth's
          // link-local one). Alone, the only changes are the file's own topologies', which it waits
          // out once before any page loads (test/support/host-addresses.ts). Beside the unit tests
          // instead (which start no containers), its container starts and Chromium stalled a unit
          // test's timers past their margin in one run of three.
          maxWorkers: 1,
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
