#!/usr/bin/env node
// Builds what ships: self-contained bundles for containers (no npm install ever runs inside
// one) and the CLI/library entry points for the host. Usage:
//   node scripts/build.mjs            bundles + type declarations
//   node scripts/build.mjs --bundles  bundles only (what the container suites need; ~1 s)
//   node scripts/build.mjs --quiet    print nothing unless something fails
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { common, containerBundles, root } from './build-options.mjs';


const args = new Set(process.argv.slice(2));
const unknown = [...args].filter((a) => !['--bundles', '--quiet'].includes(a));
if (unknown.length > 0) {
  console.error(`build: unknown option ${unknown.join(', ')}; allowed: --bundles, --quiet`);
  process.exit(2);
}
const quiet = args.has('--quiet');
const log = (line) => { if (!quiet) console.log(line); };

/** Host side: dependencies stay in node_modules. */
const hostBundles = [
  { entry: 'src/cli.ts', out: 'dist/cli.mjs', shebang: true },
  { entry: 'src/index.ts', out: 'dist/index.mjs' },
  // The benchmarks (npm run bench:perf / bench:scale / bench:keepalive); the load worker sits next to them.
  { entry: 'src/bench/perf.ts', out: 'dist/bench-perf.mjs' },
  { entry: 'src/bench/scale.ts', out: 'dist/bench-scale.mjs' },
  { entry: 'src/bench/keepalive.ts', out: 'dist/bench-keepalive.mjs' },
  { entry: 'src/bench/matrix.ts', out: 'dist/bench-matrix.mjs' },
  { entry: 'src/bench/load-worker.ts', out: 'dist/bench-load-worker.mjs' },
];

const started = Date.now();
rmSync(join(root, 'dist'), { recursive: true, force: true });
await Promise.all([
  ...containerBundles.map((b) =>
    build({ ...common, entryPoints: [join(root, b.entry)], outfile: join(root, b.out) })),
  ...hostBundles.map((b) =>
    build({
      ...common,
      packages: 'external',
      target: 'node20',
      banner: { js: (b.shebang ? '#!/usr/bin/env node\n' : '') + common.banner.js },
      entryPoints: [join(root, b.entry)],
      outfile: join(root, b.out),
    })),
]);
log(`build: bundles in ${Date.now() - started} ms -> ${[...containerBundles, ...hostBundles].map((b) => b.out).join(', ')}`);

// docker-compose.yml mounts these (a compose file cannot render a template itself).
execFileSync(process.execPath, [join(root, 'dist/cli.mjs'), 'render', '--compose'], { stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit' });

if (!args.has('--bundles')) {
  const t = Date.now();
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  log(`build: type declarations in ${Date.now() - t} ms -> dist/types`);
}
