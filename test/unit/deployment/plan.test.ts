/** run's user-deployment mode, planned from its flags: scenarios, ports, warnings and refusals (no Docker). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { primarySetups } from '../../../src/fronts/index.js';
import { OptionError } from '../../../src/options.js';
import { projectPath } from '../../../src/paths.js';
import { planRun, type RunPlan } from '../../../src/run/options.js';

const dir = mkdtempSync(join(tmpdir(), 'wspb-deployment-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const plan = (argv: string[]): RunPlan => {
  const p = planRun(argv, dir);
  if (p === 'help') throw new Error('unexpected help');
  return p;
};
const refusal = (argv: string[]): string => {
  try {
    plan(argv);
  } catch (err) {
    if (err instanceof OptionError) return err.message;
    throw err;
  }
  throw new Error(`planRun ${argv.join(' ')} was not refused`);
};
const NGINX = projectPath('examples/your-config/nginx.conf');

describe('run --config <setup>=<file> --upstream <host:port>', () => {
  it("runs the file unchanged: the app at the upstream's name and port, the front published on the file's listen port", () => {
    const p = plan(['--config', `nginx=${NGINX}`, '--upstream', 'app:3000', '--idle-timeout', '3s']);
    expect(p.scenarios.map((s) => s.id)).toEqual(['nginx/your-config']);
    const [s] = p.scenarios;
    expect(s?.deployment).toEqual({ upstream: { host: 'app', port: 3000 }, listenPort: 80, wsPath: '/ws', userConfig: NGINX });
    expect(s?.idleTimeoutSeconds).toBe(3);
    expect(s?.family).toBe('deployment');
    expect(s?.checks.map((c) => c.id)).toEqual(['handshake', 'handled-by', 'echo-text', 'echo-binary', 'echo-large', 'close-code', 'idle-cut', 'client-pings-hold']);
    expect(p.warnings).toEqual([]);
    expect(p.configs.get('nginx')).toBe(NGINX);
  });

  it('with no --idle-timeout the cut is found up to --max-idle, and the hold after it waits for what was found', () => {
    const [s] = plan(['--config', `nginx=${NGINX}`, '--upstream', 'app:3000', '--max-idle', '20s']).scenarios;
    const idle = s?.checks.find((c) => c.id === 'idle-cut');
    expect(idle?.title).toContain('no idle timeout stated');
    expect(idle?.title).toContain('20.00 s');
    // Sequential: the hold reads what the finder found.
    expect(s?.checks.filter((c) => !c.independent).map((c) => c.id)).toEqual(['handled-by', 'echo-text', 'echo-binary', 'echo-large', 'idle-cut', 'client-pings-hold']);
    expect(s?.summary).toContain('not stated: found up to 20 s (--max-idle)');
  });

  it('--listen-port wins over the file; several listen lines: the first, with a warning', () => {
    const two = file('two.conf', 'http { server { listen 8081; listen 8082; location / { proxy_pass http://app:3000; } } }\n');
    const p = plan(['--config', `nginx=${two}`, '--upstream', 'app:3000']);
    expect(p.scenarios[0]?.deployment?.listenPort).toBe(8081);
    expect(p.warnings).toEqual(['two.conf listens on 8081, 8082: the bench publishes 8081 (give another with --listen-port)']);
    expect(plan(['--config', `nginx=${two}`, '--upstream', 'app:3000', '--listen-port', '8082']).scenarios[0]?.deployment?.listenPort).toBe(8082);
  });

  it('a file with no listen line the bench recognises asks for --listen-port', () => {
    const none = file('none.conf', 'http { server { location / { proxy_pass http://app:3000; } } }\n');
    expect(refusal(['--config', `nginx=${none}`, '--upstream', 'app:3000'])).toBe('run: could not read the port none.conf listens on (no listen line the bench recognises): give it with --listen-port <n>');
  });

  it('an --upstream the config never names: a warning naming what it proxies to', () => {
    const p = plan(['--config', `nginx=${NGINX}`, '--upstream', 'backend:3000']);
    expect(p.warnings).toEqual(["--upstream backend:3000: nginx.conf never names 'backend'; it proxies to app:3000, websocket (try --upstream app:3000)"]);
  });

  it('with --app-image too: the user app listens on the upstream port; a different --app-port is refused', () => {
    const [s] = plan(['--config', `nginx=${NGINX}`, '--upstream', 'app:3000', '--app-image', 'my-app:1', '--app-env', 'PORT=3000']).scenarios;
    expect(s?.id).toBe('nginx/your-config-and-app');
    expect(s?.deployment?.app).toEqual({ image: 'my-app:1', port: 3000, env: { PORT: '3000' } });
    expect(refusal(['--config', `nginx=${NGINX}`, '--upstream', 'app:3000', '--app-image', 'my-app:1', '--app-port', '8080']))
      .toBe('run: --upstream app:3000 says your config proxies to port 3000, --app-port says your app listens on 8080: they must agree (drop --app-port)');
  });

  it('refuses what means nothing here, naming the flag it needs', () => {
    expect(refusal(['--upstream', 'app:3000'])).toBe('run: --upstream names what your config proxies to: give the config with --config <setup>=<file>');
    expect(refusal(['--idle-timeout', '3s'])).toBe('run: --idle-timeout describes your config run unchanged: give --config <setup>=<file> --upstream <host>:<port> with it');
    expect(refusal(['--listen-port', '80', '--max-idle', '5s'])).toContain('run: --listen-port, --max-idle describe your config run unchanged');
    expect(refusal(['--config', `nginx=${NGINX}`, '--upstream', 'app:3000', '--scenario', 'nginx/*'])).toContain('--scenario picks catalog scenarios');
    expect(refusal(['--config', `nginx=${NGINX}`, '--upstream', 'app:3000', '--local'])).toContain('drop --local');
    expect(refusal(['--config', `nginx=${NGINX}`, '--upstream', 'app:3000', '--front', 'haproxy'])).toBe('run: with --upstream the fronts are the --config setups; drop --front');
    expect(refusal(['--config', `nginx=${NGINX}`, '--upstream', 'app'])).toContain('--upstream');
  });
});

describe('run --app-image', () => {
  it("runs the user's app behind every kind's own setup and its TLS one, the bench's config stating its idle timeout", () => {
    const p = plan(['--app-image', 'my-app:1.4', '--app-port', '3000', '--app-path', '/chat', '--app-command', 'node  /srv/app.mjs']);
    expect(p.scenarios.map((s) => s.front)).toEqual([...primarySetups, 'nginx-tls', 'http-front-h2', 'haproxy-h2', 'httpd-h2', 'caddy-h2', 'nghttpx-h2']);
    const [s] = p.scenarios;
    expect(s?.id).toBe(`${primarySetups[0] ?? ''}/your-app`);
    expect(s?.deployment).toEqual({ upstream: { host: 'echo', port: 3000 }, listenPort: 8080, wsPath: '/chat', app: { image: 'my-app:1.4', port: 3000, env: {}, command: ['node', '/srv/app.mjs'] } });
    expect(s?.idleTimeoutSeconds).toBe(2);
    expect(s?.checks.find((c) => c.id === 'idle-cut')?.title).not.toContain('not stated');
  });

  it("a template with no idle timeout (Caddy's): the cut is looked for, as long as the catalog holds one", () => {
    const [s] = plan(['--app-image', 'a:1', '--front', 'caddy']).scenarios;
    expect(s?.checks.find((c) => c.id === 'idle-cut')?.title).toContain('no idle timeout stated');
    expect(s?.summary).toContain('none in the template: looked for up to 6 s');
  });

  it('--front picks the setups: a kind is its own setup, a setup name is that setup', () => {
    expect(plan(['--app-image', 'a:1', '--front', 'haproxy,nginx-tls']).scenarios.map((s) => s.id)).toEqual(['haproxy/your-app', 'nginx-tls/your-app']);
  });

  it('app flags without --app-image, and --idle-timeout with the bench configs, are refused', () => {
    expect(refusal(['--app-port', '3000', '--app-path', '/x'])).toBe('run: --app-port, --app-path describe your app: give --app-image <image> with them');
    expect(refusal(['--app-env', 'NOEQUALS', '--app-image', 'a:1'])).toContain('--app-env');
    expect(refusal(['--config', `nginx=${NGINX}`, '--app-image', 'a:1'])).toContain('needs --upstream');
  });
});
