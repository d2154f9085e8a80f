/**
 * `ws-proxy-bench compose up|down`, the command for docker-compose.yml where no registry answers:
 * what it runs, in what order, and that every way it can fail before compose runs names what to
 * do and the command to run again. Docker itself is stood in for here.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { COMPOSE_TLS_DIR_ENV } from '../../../src/compose/h2-profile.js';
import { EVERY_PROFILE } from '../../../src/compose/services.js';
import { COMPOSE_UP_COMMAND, composeArgs, runComposeCommand, type ComposeUpDeps } from '../../../src/compose/up.js';
import { writeComposeCertificate } from '../../../src/compose/certificate.js';

interface Fake { deps: Partial<ComposeUpDeps>; out: string[]; err: string[]; steps: string[]; runs: { command: readonly string[]; args: readonly string[]; env: NodeJS.ProcessEnv }[] }

function fake(over: Partial<ComposeUpDeps> = {}, env: NodeJS.ProcessEnv = {}): Fake {
  const f: Fake = { deps: {}, out: [], err: [], steps: [], runs: [] };
  f.deps = {
    env,
    out: (l) => f.out.push(l),
    err: (l) => f.err.push(l),
    checkEngine: async () => { f.steps.push('engine'); return { ok: true, version: '27.0', dockerHost: undefined }; },
    composeCommand: async () => { f.steps.push('compose?'); return ['docker-compose']; },
    resolveImages: async (e) => { f.steps.push('images'); e.WS_PROXY_BENCH_IMAGE_NGINX = 'ws-proxy-bench/offline-nginx:trixie-x'; },
    renderConfigs: () => { f.steps.push('render'); return []; },
    writeCertificate: async (dir) => { f.steps.push(`cert ${dir}`); },
    runCompose: async (command, args, e) => { f.steps.push('run'); f.runs.push({ command, args, env: e }); return 0; },
    ...over,
  };
  return f;
}

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

describe('ws-proxy-bench compose', () => {
  it('up: engine, images, configs, then compose up with the resolved images and the named profiles', async () => {
    const f = fake();
    expect(await runComposeCommand(['up', '--profile', 'mistakes,front-websocket', '--profile', 'nghttpx', '--', '--detach'], f.deps)).toBe(0);
    expect(f.steps).toEqual(['engine', 'compose?', 'images', 'render', 'run']);
    expect(f.runs[0]?.command).toEqual(['docker-compose']);
    expect(f.runs[0]?.args).toEqual(['--profile', 'mistakes', '--profile', 'front-websocket', '--profile', 'nghttpx', 'up', '--detach']);
    expect(f.runs[0]?.env.WS_PROXY_BENCH_IMAGE_NGINX).toBe('ws-proxy-bench/offline-nginx:trixie-x');
  });

  it('--all-profiles names every profile; down removes every service of every profile', async () => {
    const up = fake();
    expect(await runComposeCommand(['up', '--all-profiles'], up.deps)).toBe(0);
    expect(up.runs[0]?.args).toEqual(composeArgs(EVERY_PROFILE, 'up'));
    const down = fake();
    expect(await runComposeCommand(['down'], down.deps)).toBe(0);
    expect(down.steps).toEqual(['engine', 'compose?', 'run']);
    expect(down.runs[0]?.args).toEqual([...EVERY_PROFILE.flatMap((p) => ['--profile', p]), 'down', '--remove-orphans']);
  });

  it('when the images cannot be had, says why and names the command to run again, and runs no compose', async () => {
    const f = fake({ resolveImages: async () => { throw new Error('no image for nginx: … Fix: run `npm run images:offline` as root'); } });
    expect(await runComposeCommand(['up', '--profile', 'mistakes'], f.deps)).toBe(1);
    expect(f.runs).toEqual([]);
    expect(f.err.join('\n')).toContain('npm run images:offline');
    expect(f.err.join('\n')).toContain(`${COMPOSE_UP_COMMAND} --profile mistakes again`);
  });

  it('without an engine or a compose command, says how to get one and runs nothing', async () => {
    const noEngine = fake({ checkEngine: async () => ({ ok: false, reason: 'the docker command is not installed', dockerHost: undefined }) });
    expect(await runComposeCommand(['up'], noEngine.deps)).toBe(1);
    expect(noEngine.err.join('\n')).toMatch(/No Docker engine answers.*Then run npx ws-proxy-bench compose up again/);
    const noCompose = fake({ composeCommand: async () => undefined });
    expect(await runComposeCommand(['up'], noCompose.deps)).toBe(1);
    expect(noCompose.err.join('\n')).toContain('apt-get install docker-compose');
    expect([...noEngine.runs, ...noCompose.runs]).toEqual([]);
  });

  it('profile h2: writes the certificate where compose reads it when it is missing, and keeps one that is there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wspb-compose-cmd-'));
    dirs.push(dir);
    const missing = fake({}, { [COMPOSE_TLS_DIR_ENV]: join(dir, 'tls') });
    expect(await runComposeCommand(['up', '--profile', 'h2'], missing.deps)).toBe(0);
    expect(missing.steps).toContain(`cert ${join(dir, 'tls')}`);
    await writeComposeCertificate(join(dir, 'have'), 1);
    const present = fake({}, { [COMPOSE_TLS_DIR_ENV]: join(dir, 'have') });
    expect(await runComposeCommand(['up', '--profile', 'h2'], present.deps)).toBe(0);
    expect(present.steps.some((s) => s.startsWith('cert'))).toBe(false);
    expect(existsSync(join(dir, 'tls'))).toBe(false);
  });

  it('passes compose\'s exit code on, and says how to clean up after a failed up', async () => {
    const f = fake({ runCompose: async () => 1 });
    expect(await runComposeCommand(['up'], f.deps)).toBe(1);
    expect(f.err.join('\n')).toContain('ws-proxy-bench compose down');
  });

  it.each([
    [[], /name a subcommand: up or down/],
    [['start'], /unknown subcommand 'start'/],
    [['up', '--profile', 'nope'], /unknown profile 'nope'; profiles: mistakes, front-websocket, nghttpx, socketio, h2/],
    [['up', '--detach'], /Unknown option '--detach'/],
    [['up', 'extra'], /options for docker compose go after --/],
    [['down', '--profile', 'h2'], /down takes no options/],
  ])('refuses %j with exit 2 and says why', async (argv, message) => {
    const f = fake();
    expect(await runComposeCommand(argv, f.deps)).toBe(2);
    expect(f.err.join('\n')).toMatch(message);
    expect(f.steps).toEqual([]);
  });

  it('--help says what it does and lists the profiles', async () => {
    const f = fake();
    expect(await runComposeCommand(['--help'], f.deps)).toBe(0);
    expect(f.out.join('\n')).toContain('cannot pull the official images');
    for (const p of EVERY_PROFILE) expect(f.out.join('\n')).toContain(p);
  });
});
