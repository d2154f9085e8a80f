/** WebSocketFrontContainer's logic before any container runs: kinds, config reading, listen ports, the upstream named, options. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testTempDir } from '../../support/temp-dir.js';
import { readFileSync } from 'node:fs';
import { listenPorts, namesUpstream, planFront } from '../../../src/library/front-plan.js';
import { WebSocketFrontContainer } from '../../../src/library/websocket-front-container.js';
import { projectPath } from '../../../src/paths.js';

const NGINX = `events {}
http {
    upstream chat_backend {
        server chat:8080;
    }
    server {
        listen 80;
        # listen 9999;  (a comment, not a port)
        location / { proxy_pass http://chat_backend; }
    }
}
`;

describe('WebSocketFrontContainer, before it starts', () => {
  it('names the known kinds when given one it does not know', () => {
    expect(() => new WebSocketFrontContainer('iis')).toThrow("unknown front kind 'iis'; known: nginx, http-front, haproxy, httpd, caddy, nghttpx");
  });

  it('reads the config file unchanged, and says which file it could not read', () => {
    const dir = testTempDir('wspb-lib-');
    const file = join(dir, 'nginx.conf');
    writeFileSync(file, NGINX);
    const plan = planFront({ kind: 'nginx', config: { text: readFileSync(file, 'utf8'), source: file }, upstream: { names: ['chat'], port: 8080 } });
    expect(plan).toEqual({ kind: 'nginx', config: NGINX, port: 80 });
    expect(() => new WebSocketFrontContainer('nginx').withConfig(join(dir, 'missing.conf'))).toThrow(/cannot read the nginx config .*missing\.conf: ENOENT/);
  });

  it('refuses options that cannot be right, saying which', () => {
    const b = new WebSocketFrontContainer('nginx');
    expect(() => b.withIdleTimeout(0)).toThrow('the idle timeout must be a whole number of milliseconds above 0, got 0');
    expect(() => b.withIdleTimeout(1.5)).toThrow(/whole number of milliseconds/);
    expect(() => b.withExposedPort(70_000)).toThrow('the exposed port must be a TCP port (1–65535), got 70000');
    expect(() => b.withUpstream('chat', 0)).toThrow('the upstream port must be a TCP port (1–65535), got 0');
    expect(() => b.withUpstream('not a host', 8080)).toThrow(/is not a host name/);
    expect(() => b.withConfigContent('  ')).toThrow('the nginx config content is empty');
    expect(() => b.withImage('')).toThrow('the image name is empty');
  });

  it('starts nothing without a network to share with the app', async () => {
    await expect(new WebSocketFrontContainer('nginx').withConfigContent(NGINX).start()).rejects.toThrow(/needs a network to share with the app/);
    await expect(new WebSocketFrontContainer('nginx').withConfigContent(NGINX).withUpstream('chat', 8080).start()).rejects.toThrow(/needs a network/);
  });
});

describe('planFront', () => {
  const config = { text: NGINX, source: 'nginx.conf' };

  it('needs a config for a kind that reads one, and none for the http-front', () => {
    expect(() => planFront({ kind: 'haproxy' })).toThrow('a haproxy front needs its config: .withConfig(path) or .withConfigContent(text) (it is copied to /usr/local/etc/haproxy/haproxy.cfg)');
    expect(() => planFront({ kind: 'http-front', config, upstream: { names: ['chat'], port: 8080 } })).toThrow(/a http-front takes no config file \(nginx\.conf\)/);
    expect(() => planFront({ kind: 'http-front' })).toThrow(/a http-front needs its upstream/);
  });

  it('checks that the config names the upstream, by alias and port', () => {
    expect(() => planFront({ kind: 'nginx', config, upstream: { names: ['app'], port: 8080 } })).toThrow(
      "the nginx config nginx.conf does not name the upstream app:8080; the front reaches the app by the network alias the app's container was given, and the port it listens on");
    expect(() => planFront({ kind: 'nginx', config, upstream: { names: ['chat'], port: 3000 } })).toThrow(/does not name the upstream chat:3000/);
    expect(planFront({ kind: 'nginx', config, upstream: { names: ['abc123', 'chat'], port: 8080 } }).port).toBe(80);
  });

  it('takes the listening port from the config, or the one given; asks when it cannot tell', () => {
    expect(planFront({ kind: 'nginx', config, exposedPort: 8443 }).port).toBe(8443);
    expect(() => planFront({ kind: 'nginx', config: { text: 'events {}\nhttp { server { } }', source: 'x.conf' } })).toThrow(
      'found no port the nginx config x.conf listens on; name it: .withExposedPort(port)');
    expect(() => planFront({ kind: 'nginx', config: { text: 'listen 80;\nlisten 8080;', source: 'x.conf' } })).toThrow(
      'the nginx config x.conf listens on 80, 8080; say which one clients dial: .withExposedPort(port)');
  });

  it("gives the http-front its upstream and idle timeout as flags", () => {
    const plan = planFront({ kind: 'http-front', upstream: { names: ['chat'], port: 3000 }, idleTimeoutMs: 2_500 });
    expect(plan.port).toBe(8080);
    expect(plan.command).toEqual(['node', '/app/http-front.mjs', '--host', '0.0.0.0', '--port', '8080', '--target', 'http://chat:3000', '--idle-timeout', '2500ms']);
  });
});

describe('listenPorts', () => {
  it("reads each kind's listen syntax, leaving comments out", () => {
    expect(listenPorts('nginx', 'listen 80;\nlisten [::]:80;\nlisten 127.0.0.1:8081 reuseport;\n# listen 1;')).toEqual([80, 8081]);
    expect(listenPorts('haproxy', 'frontend fe\n    bind :8080\n    bind *:8080\n')).toEqual([8080]);
    expect(listenPorts('httpd', 'Listen 8080\n')).toEqual([8080]);
    expect(listenPorts('caddy', ':8080 {\n  reverse_proxy app:3000\n}\n')).toEqual([8080]);
    expect(listenPorts('caddy', '{\n  http_port 8081\n}\nhttp://localhost:9000 {\n}\n')).toEqual([9000, 8081]);
    expect(listenPorts('nghttpx', 'frontend=*,8080;no-tls\nbackend=app,3000\n')).toEqual([8080]);
  });

  it("finds 8080 in every shipped template of the bench (rendered), as the bench's containers listen there", () => {
    const templates: [Parameters<typeof listenPorts>[0], string][] = [
      ['nginx', 'nginx/ws-proxy.conf.template'], ['haproxy', 'haproxy/ws-proxy.cfg.template'], ['httpd', 'httpd/ws-proxy.conf.template'],
      ['caddy', 'caddy/Caddyfile.template'], ['nghttpx', 'nghttpx/ws-proxy.conf.template'],
    ];
    for (const [kind, file] of templates) {
      const text = readFileSync(projectPath(file), 'utf8').replaceAll('${LISTEN_PORT}', '8080');
      expect(listenPorts(kind, text), file).toEqual([8080]);
    }
  });
});

describe('namesUpstream', () => {
  it('matches whole names and ports only', () => {
    expect(namesUpstream('server chat:8080;', ['chat'], 8080)).toBe(true);
    expect(namesUpstream('backend=chat,8080', ['chat'], 8080)).toBe(true);
    expect(namesUpstream('server chatter:8080;', ['chat'], 8080)).toBe(false);
    expect(namesUpstream('server chat:18080;', ['chat'], 8080)).toBe(false);
    expect(namesUpstream('# server chat:8080;\nserver other:8080;', ['chat'], 8080)).toBe(false);
  });
});
