/** HAProxy: configs in haproxy/, read where the official image reads them. */
import { defineFront, versionAfter } from './types.js';
import { scanWith } from './config-scan.js';
import { WS_HANDLER_ALIAS, WS_HANDLER_SETUP } from './vars.js';

const CONFIG = '/usr/local/etc/haproxy/haproxy.cfg';

export const haproxy = defineFront({
  kind: 'haproxy',
  title: 'HAProxy',
  image: { role: 'haproxy', envVar: 'WS_PROXY_BENCH_IMAGE_HAPROXY', summary: 'HAProxy front', debianPackages: ['haproxy'] },
  configPath: CONFIG,
  // Master-worker mode in the foreground, as the official image's entrypoint runs it: the master
  // (pid 1) reloads on SIGUSR2, starting new workers and leaving the old ones their connections.
  command: ['haproxy', '-W', '-db', '-f', CONFIG],
  reloadCommand: ['sh', '-c', 'kill -USR2 1'],
  // "HAProxy version 2.6.12-1+deb12u1 2023/12/16 - https://haproxy.org/"
  version: { command: ['haproxy', '-v'], parse: versionAfter(/HAProxy version/) },
  processes: /^haproxy /,
  local: { names: ['haproxy'], debianPackage: 'haproxy', args: (c) => ['-db', '-f', c] },
  docsPage: 'docs/haproxy.md',
  // `bind :80`, `bind *:8080 ssl crt …`; `server app1 app:3000 check`
  configScan: scanWith('bind', /^\s*bind\s+[^\s:]*:(\d+)\b/m, /^\s*server\s+\S+\s+([\w.-]+:\d+)/m),
  scaleOut: 'containers',
  setups: [
    { name: 'haproxy', summary: 'HAProxy in mode http with timeout tunnel (the correct WebSocket config)', template: 'haproxy/ws-proxy.cfg.template' },
    {
      name: 'haproxy-no-timeout-tunnel',
      summary: 'HAProxy without timeout tunnel: upgraded connections keep timeout client/server (a classic mistake)',
      template: 'haproxy/mistake-no-timeout-tunnel.cfg.template',
    },
    {
      name: 'haproxy-tcp',
      summary: 'HAProxy in mode tcp: bytes pass through untouched (front WebSocket handling off)',
      template: 'haproxy/tcp-pass-through.cfg.template',
    },
    {
      name: 'haproxy-drain',
      summary: 'HAProxy with the correct config and hard-stop-after: a reload stops the old workers, and what they hold, after the bound',
      template: 'haproxy/drain.cfg.template',
    },
    {
      name: 'haproxy-h2',
      summary: 'HAProxy terminating TLS with HTTP/2 (ALPN h2, http/1.1): WebSockets over HTTP/2 (RFC 8441) become HTTP/1.1 upgrades to the app',
      template: 'haproxy/h2.cfg.template',
      // HAProxy loads the key from <crt>.key beside the certificate.
      tls: { certPath: '/usr/local/etc/haproxy/tls/cert.pem', keyPath: '/usr/local/etc/haproxy/tls/cert.pem.key' },
    },
    {
      name: 'haproxy-front-handles-websocket',
      summary: "HAProxy routing upgrades to the front tier's own WebSocket handler (front WebSocket handling on)",
      template: 'haproxy/front-handles-websocket.cfg.template',
      companions: { [WS_HANDLER_ALIAS]: WS_HANDLER_SETUP },
    },
    {
      name: 'haproxy-h2-front-handles-websocket',
      summary: "HAProxy terminating TLS with HTTP/2, routing upgrades (HTTP/1.1 Upgrade and RFC 8441 extended CONNECT) to the front tier's own WebSocket handler",
      template: 'haproxy/h2-front-handles-websocket.cfg.template',
      tls: { certPath: '/usr/local/etc/haproxy/tls/cert.pem', keyPath: '/usr/local/etc/haproxy/tls/cert.pem.key' },
      companions: { [WS_HANDLER_ALIAS]: WS_HANDLER_SETUP },
    },
    {
      name: 'haproxy-replicas',
      summary: 'HAProxy with the correct WebSocket config over two app replicas, balance roundrobin (no stickiness: socket.io polling sessions fail)',
      template: 'haproxy/replicas-round-robin.cfg.template',
    },
    {
      name: 'haproxy-replicas-sticky',
      summary: 'HAProxy with the correct WebSocket config over two app replicas, sticky by the cookie it inserts (cookie SERVERID insert indirect nocache)',
      template: 'haproxy/replicas-sticky.cfg.template',
    },
  ],
});
