/** nginx: configs in nginx/, the official image's /etc/nginx/nginx.conf replaced by ours. */
import { defineFront, versionAfter } from './types.js';
import { scanWith } from './config-scan.js';
import { WS_HANDLER_ALIAS, WS_HANDLER_SETUP } from './vars.js';

export const nginx = defineFront({
  kind: 'nginx',
  title: 'nginx',
  image: { role: 'nginx', envVar: 'WS_PROXY_BENCH_IMAGE_NGINX', summary: 'nginx front', debianPackages: ['nginx-light'] },
  configPath: '/etc/nginx/nginx.conf',
  command: ['nginx', '-g', 'daemon off;'],
  reloadCommand: ['nginx', '-s', 'reload'],
  // "nginx version: nginx/1.22.1" (on stderr)
  version: { command: ['nginx', '-v'], parse: versionAfter(/nginx\//) },
  processes: /^nginx: /,
  local: { names: ['nginx'], debianPackage: 'nginx-light', args: (c, d) => ['-e', 'stderr', '-p', `${d}/`, '-c', c, '-g', 'daemon off;'] },
  docsPage: 'docs/nginx.md',
  // `listen 80;`, `listen 127.0.0.1:8080 default_server;`; `server app:3000;` in an upstream, `proxy_pass http://app:3000;` (after a line start, `{` or `;`)
  configScan: scanWith('listen', /(?:^|[{;])\s*listen\s+(?:\[[^\]]*\]:|[\w.-]+:)?(\d+)\b/m, /(?:^|[{;])\s*(?:server\s+|proxy_pass\s+\w+:\/\/)([\w.-]+(?::\d+)?)\s*[;/\s]/m),
  scaleOut: 'workers',
  setups: [
    { name: 'nginx', summary: 'nginx with the correct WebSocket proxy config', template: 'nginx/ws-proxy.conf.template' },
    { name: 'nginx-no-http11', summary: 'nginx without proxy_http_version 1.1 (a classic mistake)', template: 'nginx/mistake-no-http11.conf.template' },
    { name: 'nginx-no-upgrade-headers', summary: 'nginx without the Upgrade/Connection headers (a classic mistake)', template: 'nginx/mistake-no-upgrade-headers.conf.template' },
    {
      name: 'nginx-tls',
      summary: 'nginx terminating TLS (wss:// outside, ws:// to the app) with the correct WebSocket proxy config',
      template: 'nginx/tls.conf.template',
      tls: { certPath: '/etc/nginx/tls/cert.pem', keyPath: '/etc/nginx/tls/key.pem' },
    },
    {
      name: 'nginx-drain',
      summary: 'nginx with the correct config and worker_shutdown_timeout: a reload cuts what old workers hold after the bound',
      template: 'nginx/drain.conf.template',
    },
    {
      name: 'nginx-h2',
      summary: 'nginx terminating TLS with HTTP/2 (ALPN h2, http/1.1): no WebSockets over HTTP/2, so browsers upgrade over HTTP/1.1',
      template: 'nginx/h2.conf.template',
      tls: { certPath: '/etc/nginx/tls/cert.pem', keyPath: '/etc/nginx/tls/key.pem' },
    },
    {
      name: 'nginx-front-handles-websocket',
      summary: 'nginx whose front tier answers WebSockets itself (front WebSocket handling on)',
      template: 'nginx/front-handles-websocket.conf.template',
      companions: { [WS_HANDLER_ALIAS]: WS_HANDLER_SETUP },
    },
    {
      name: 'nginx-replicas',
      summary: 'nginx with the correct WebSocket proxy config over two app replicas, round robin (no stickiness: socket.io polling sessions fail)',
      template: 'nginx/replicas-round-robin.conf.template',
    },
    {
      name: 'nginx-replicas-sticky',
      summary: 'nginx with the correct WebSocket proxy config over two app replicas, sticky by client address (ip_hash: one address, one replica)',
      template: 'nginx/replicas-sticky.conf.template',
    },
  ],
});
