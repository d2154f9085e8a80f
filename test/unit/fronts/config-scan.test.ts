/** Reading a user's config of each kind: the ports it listens on and what it proxies to. */
import { describe, expect, it } from 'vitest';
import { frontDescriptor } from '../../../src/fronts/index.js';

const scan = (kind: string) => {
  const s = frontDescriptor(kind).configScan;
  if (!s) throw new Error(`${kind} has no configScan`);
  return s;
};

describe('configScan', () => {
  it('nginx: listen lines (with an address, options), upstream servers and proxy_pass targets; comments ignored', () => {
    const conf = 'upstream websocket {\n  server app:3000;\n  server app-2:3000 backup;\n}\nserver {\n  listen 127.0.0.1:8080 default_server;\n  # listen 9999;\n  listen [::]:8443 ssl;\n  location / { proxy_pass http://websocket; }\n  location /x { proxy_pass http://other:81/x; }\n}\n';
    expect(scan('nginx').listenPorts(conf)).toEqual([8080, 8443]);
    expect(scan('nginx').proxiedTo(conf)).toEqual(['app:3000', 'app-2:3000', 'websocket', 'other:81']);
  });

  it('HAProxy: bind and server lines', () => {
    const conf = 'frontend fe\n  bind :80\n  bind *:8443 ssl crt /x.pem\nbackend be\n  server s1 app:3000 check\n';
    expect(scan('haproxy').listenPorts(conf)).toEqual([80, 8443]);
    expect(scan('haproxy').proxiedTo(conf)).toEqual(['app:3000']);
  });

  it('httpd: Listen, ProxyPass and BalancerMember', () => {
    const conf = 'Listen 80\nlisten 0.0.0.0:8081\nProxyPass /ws ws://app:3000/ws\n<Proxy balancer://b>\n  BalancerMember http://app-2:3000\n</Proxy>\n';
    expect(scan('httpd').listenPorts(conf)).toEqual([80, 8081]);
    expect(scan('httpd').proxiedTo(conf)).toEqual(['app:3000', 'app-2:3000']);
  });

  it('Caddy: site addresses with a port, http_port, reverse_proxy with or without a matcher', () => {
    const conf = '{\n  http_port 8000\n}\n:80 {\n  reverse_proxy @ws app:3000\n}\nhttp://localhost:8080 {\n  reverse_proxy /api/* http://api:9000\n}\n';
    expect(scan('caddy').listenPorts(conf)).toEqual([80, 8080, 8000]);
    expect(scan('caddy').proxiedTo(conf)).toEqual(['app:3000', 'api:9000']);
  });

  it('nghttpx: frontend and backend lines', () => {
    const conf = 'frontend=*,3000;no-tls\nbackend=app,8080;;proto=http/1.1\n';
    expect(scan('nghttpx').listenPorts(conf)).toEqual([3000]);
    expect(scan('nghttpx').proxiedTo(conf)).toEqual(['app:8080']);
  });

  it('reads every shipped template of its kind: each listens on ${LISTEN_PORT}, so no number is found, and the example config on 80', async () => {
    const { readFileSync } = await import('node:fs');
    const { projectPath } = await import('../../../src/paths.js');
    expect(scan('nginx').listenPorts(readFileSync(projectPath('nginx/ws-proxy.conf.template'), 'utf8'))).toEqual([]);
    expect(scan('nginx').listenPorts(readFileSync(projectPath('examples/your-config/nginx.conf'), 'utf8'))).toEqual([80]);
  });
});
