/** Caddy: Caddyfiles in caddy/, read where the official image reads them. */
import { defineFront, versionAfter } from './types.js';
import { scanWith } from './config-scan.js';
import { WS_HANDLER_ALIAS, WS_HANDLER_SETUP } from './vars.js';

const CONFIG = '/etc/caddy/Caddyfile';

export const caddy = defineFront({
  kind: 'caddy',
  title: 'Caddy',
  image: { role: 'caddy', envVar: 'WS_PROXY_BENCH_IMAGE_CADDY', summary: 'Caddy front', debianPackages: ['caddy'] },
  configPath: CONFIG,
  command: ['caddy', 'run', '--config', CONFIG, '--adapter', 'caddyfile'],
  // --force: reload even though the file did not change (a deploy that touches nothing else).
  reloadCommand: ['caddy', 'reload', '--config', CONFIG, '--adapter', 'caddyfile', '--force'],
  // "v2.9.1 h1:…" (official builds) or "2.6.2" (Debian's)
  version: { command: ['caddy', 'version'], parse: versionAfter(/^/m) },
  processes: /^caddy /,
  local: { names: ['caddy'], debianPackage: 'caddy', args: (c) => ['run', '--config', c, ...(c.endsWith('.json') ? [] : ['--adapter', 'caddyfile'])] },
  docsPage: 'docs/caddy.md',
  // a site address with a port (`:80 {`, `http://localhost:8080 {`); `reverse_proxy [matcher] app:3000`
  configScan: scanWith('a site address with a port', [/^\s*(?:https?:\/\/)?[\w.*-]*:(\d+)\b[^\n{]*\{/m, /^\s*http_port\s+(\d+)\b/m], /^\s*reverse_proxy\s+(?:[@/][^\s]*\s+)?(?:\w+:\/\/)?([\w.-]+:\d+)/m),
  scaleOut: 'containers',
  setups: [
    { name: 'caddy', summary: 'Caddy reverse_proxy (upgrades WebSockets by itself)', template: 'caddy/Caddyfile.template' },
    {
      name: 'caddy-drain',
      summary: 'Caddy 2.7+ with stream_close_delay: a reload keeps open WebSockets for the delay, then closes them',
      template: 'caddy/drain.Caddyfile.template',
      needs: { version: '2.7.0', refusal: /unrecognized subdirective:? '?stream_close_delay/, feature: 'stream_close_delay' },
    },
    {
      name: 'caddy-h2',
      summary: 'Caddy terminating TLS with HTTP/2 and HTTP/1.1: whether it takes WebSockets over HTTP/2 depends on its version',
      template: 'caddy/h2.Caddyfile.template',
      tls: { certPath: '/etc/caddy/tls/cert.pem', keyPath: '/etc/caddy/tls/key.pem' },
    },
    {
      name: 'caddy-h2-front-handles-websocket',
      summary: "Caddy terminating TLS with HTTP/2, matching upgrades by their Connection and Upgrade headers to the front tier's own WebSocket handler: an RFC 8441 extended CONNECT carries neither",
      template: 'caddy/h2-front-handles-websocket.Caddyfile.template',
      tls: { certPath: '/etc/caddy/tls/cert.pem', keyPath: '/etc/caddy/tls/key.pem' },
      companions: { [WS_HANDLER_ALIAS]: WS_HANDLER_SETUP },
    },
    {
      name: 'caddy-front-handles-websocket',
      summary: "Caddy matching upgrades to the front tier's own WebSocket handler (front WebSocket handling on)",
      template: 'caddy/front-handles-websocket.Caddyfile.template',
      companions: { [WS_HANDLER_ALIAS]: WS_HANDLER_SETUP },
    },
    {
      name: 'caddy-replicas',
      summary: 'Caddy reverse_proxy over two app replicas, lb_policy round_robin (no stickiness: socket.io polling sessions fail)',
      template: 'caddy/replicas-round-robin.Caddyfile.template',
    },
    {
      name: 'caddy-replicas-sticky',
      summary: 'Caddy reverse_proxy over two app replicas, sticky by the cookie it sets (lb_policy cookie)',
      template: 'caddy/replicas-sticky.Caddyfile.template',
    },
  ],
});
