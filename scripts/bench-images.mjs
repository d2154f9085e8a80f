#!/usr/bin/env node
// Measures the offline images of every Debian suite: a cold build (stand-ins and their Debian
// bases removed first, so debootstrap runs for each suite), a warm re-run (everything present:
// must skip), and how long a stand-in container takes from `docker run` to answering HTTP (the
// default suite's nginx, median of a few samples).
// Prints the figures against their targets and writes bench-results/images.json.
// Needs: a Docker engine, root and debootstrap (the cold build), `npm run build` done
// (`npm run bench:images` does it).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist/cli.mjs');
const SUITES = ['bookworm', 'trixie', 'sid'];
const DEFAULT_SUITE = 'trixie';
const envFile = (suite) => join(root, `build/offline-images-${suite}.env`);
const TARGETS = { coldSeconds: 240, warmSeconds: 5, startSeconds: 1.5 };
const START_SAMPLES = 5;

const log = (line) => console.log(`[bench:images] ${line}`);

function docker(args, { allowFail = false } = {}) {
  const r = spawnSync('docker', args, { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0 && !allowFail) throw new Error(`docker ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return r;
}

function timedOffline(label) {
  log(`${label}: node dist/cli.mjs images offline --suite all`);
  const t = process.hrtime.bigint();
  execFileSync(process.execPath, [cli, 'images', 'offline', '--suite', 'all'], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 15 * 60_000 });
  return Number(process.hrtime.bigint() - t) / 1e9;
}

function offlineImages(suite) {
  return Object.fromEntries(readFileSync(envFile(suite), 'utf8').split('\n')
    .filter((l) => l.startsWith('WS_PROXY_BENCH_IMAGE_'))
    .map((l) => l.split('=', 2)));
}

/** Resolves when GET / on 127.0.0.1:port answers (any status), polling every 10 ms, for 20 s at most. */
function waitForHttp(port) {
  const deadline = Date.now() + 20_000;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const req = request({ host: '127.0.0.1', port, path: '/', timeout: 1_000 }, (res) => { res.resume(); resolve(); });
      req.on('error', retry);
      req.on('timeout', () => { req.destroy(); });
      req.end();
    };
    const retry = () => (Date.now() > deadline ? reject(new Error(`nothing answered on 127.0.0.1:${port} within 20 s`)) : setTimeout(attempt, 10));
    attempt();
  });
}

async function startSample(image, i) {
  const name = `ws-proxy-bench-start-sample-${process.pid}-${i}`;
  const t = process.hrtime.bigint();
  try {
    docker(['run', '-d', '--name', name, '--label', 'ws-proxy-bench=bench-images', '-p', '127.0.0.1::80', image]);
    const port = Number(docker(['port', name, '80/tcp']).stdout.trim().split('\n')[0].split(':').pop());
    await waitForHttp(port);
    return Number(process.hrtime.bigint() - t) / 1e9;
  } finally {
    docker(['rm', '-f', name], { allowFail: true });
  }
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

// Learn the current recipes' image names (builds whatever is missing), then remove them all.
timedOffline('prepare');
const sets = Object.fromEntries(SUITES.map((suite) => [suite, offlineImages(suite)]));
const images = sets[DEFAULT_SUITE];
const tags = Object.fromEntries(SUITES.map((suite) => [suite, sets[suite].WS_PROXY_BENCH_IMAGE_NGINX.split(':').pop()]));
const toRemove = SUITES.flatMap((suite) => [...Object.values(sets[suite]), `ws-proxy-bench/debian-base:${tags[suite]}`]);
log(`removing ${toRemove.join(', ')}`);
docker(['rmi', '-f', ...toRemove]);

const coldSeconds = timedOffline('cold build');
const warmSeconds = timedOffline('warm re-run');
const samples = [];
for (let i = 0; i < START_SAMPLES; i++) samples.push(await startSample(images.WS_PROXY_BENCH_IMAGE_NGINX, i));
const startSeconds = median(samples);

const sizes = Object.fromEntries(SUITES.flatMap((suite) => Object.values(sets[suite])).map((img) => [img, Number(docker(['image', 'inspect', '--format', '{{.Size}}', img]).stdout.trim())]));
const result = {
  measuredAt: new Date().toISOString(),
  suites: SUITES,
  recipes: tags,
  engine: docker(['info', '--format', '{{.ServerVersion}}']).stdout.trim(),
  coldSeconds: +coldSeconds.toFixed(2),
  warmSeconds: +warmSeconds.toFixed(2),
  start: { image: images.WS_PROXY_BENCH_IMAGE_NGINX, medianSeconds: +startSeconds.toFixed(3), samplesSeconds: samples.map((s) => +s.toFixed(3)) },
  imageBytes: sizes,
  targets: TARGETS,
  met: { cold: coldSeconds < TARGETS.coldSeconds, warm: warmSeconds < TARGETS.warmSeconds, start: startSeconds < TARGETS.startSeconds },
};
mkdirSync(join(root, 'bench-results'), { recursive: true });
writeFileSync(join(root, 'bench-results/images.json'), `${JSON.stringify(result, null, 2)}\n`);

const mark = (ok) => (ok ? 'ok  ' : 'MISS');
log(`${mark(result.met.cold)} cold build (3 suites: stand-ins + bases): ${result.coldSeconds} s   (target < ${TARGETS.coldSeconds} s)`);
log(`${mark(result.met.warm)} warm re-run (all present):                  ${result.warmSeconds} s   (target < ${TARGETS.warmSeconds} s)`);
log(`${mark(result.met.start)} nginx stand-in, docker run -> HTTP answer:  median ${result.start.medianSeconds} s of ${samples.map((s) => s.toFixed(2)).join(', ')}   (target < ${TARGETS.startSeconds} s)`);
// docs/offline-images.md shows these figures between its markers, with the date and the machine.
const doc = join(root, 'docs/offline-images.md');
const BEGIN = '<!-- images:begin (generated by npm run bench:images) -->';
const END = '<!-- images:end -->';
const text = readFileSync(doc, 'utf8');
const from = text.indexOf(BEGIN);
const to = text.indexOf(END);
if (from >= 0 && to > from) {
  const os = (readFileSync('/etc/os-release', 'utf8').match(/^PRETTY_NAME="?([^"\n]*)"?$/m) ?? [])[1] ?? 'Linux';
  const body = [
    `Measured on ${result.measuredAt.slice(0, 10)}: ${(await import('node:os')).cpus().length} cores, ${os}, Docker Engine ${result.engine}; recipes ${Object.entries(tags).map(([s, t]) => `${s} \`${t}\``).join(', ')}.`,
    '',
    '| step | measured | target |',
    '| --- | --- | --- |',
    `| cold build of ${SUITES.length} suites (stand-ins and bases removed first) | ${result.coldSeconds} s | < ${TARGETS.coldSeconds} s |`,
    `| warm re-run (all present, nothing built) | ${result.warmSeconds} s | < ${TARGETS.warmSeconds} s |`,
    `| nginx stand-in (${DEFAULT_SUITE}), \`docker run\` until it answers HTTP (median of ${START_SAMPLES}) | ${result.start.medianSeconds} s | < ${TARGETS.startSeconds} s |`,
  ].join('\n');
  writeFileSync(doc, `${text.slice(0, from + BEGIN.length)}\n${body}\n${text.slice(to)}`);
  log('wrote its section of docs/offline-images.md');
}
log('wrote bench-results/images.json');
process.exitCode = Object.values(result.met).every(Boolean) ? 0 : 1;
