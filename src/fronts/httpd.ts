/** Apache httpd: configs in httpd/, each a complete httpd.conf for the official image's layout. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defineFront, versionAfter } from './types.js';
import { scanWith } from './config-scan.js';
import { WS_HANDLER_ALIAS, WS_HANDLER_SETUP } from './vars.js';

/** The official image's ServerRoot, which the templates name (modules/ under it). */
const IMAGE_SERVER_ROOT = '/usr/local/apache2';

/** Where a host's httpd keeps modules/: Debian and Ubuntu's apache2, a source build, Fedora/RHEL's httpd. */
export const HOST_SERVER_ROOTS = ['/usr/lib/apache2', '/usr/local/apache2', '/etc/httpd', '/usr/lib64/httpd', '/usr/lib/httpd'] as const;

/**
 * An httpd config written for the image, for this host (run --local): its ServerRoot becomes
 * the first of `roots` with modules/mod_proxy.so under it (a template's LoadModule lines are
 * relative to it), and its pid file moves into the run's own `dir`, so two httpd fronts side by
 * side do not take each other's. A config with another ServerRoot (your own) keeps it.
 */
export function httpdHostConfig(config: string, dir: string, roots: readonly string[] = HOST_SERVER_ROOTS): string {
  const imageRoot = new RegExp(`^ServerRoot\\s+"?${IMAGE_SERVER_ROOT}"?\\s*$`, 'm');
  let out = config.replace(/^PidFile\s+\/tmp\/httpd\.pid\s*$/m, `PidFile ${join(dir, 'httpd.pid')}`);
  if (!imageRoot.test(out)) return out;
  const root = roots.find((r) => existsSync(join(r, 'modules', 'mod_proxy.so')));
  if (root === undefined) {
    throw new Error(`no httpd modules folder on this host (looked for modules/mod_proxy.so under ${roots.join(', ')}); install apache2, or run with Docker`);
  }
  out = out.replace(imageRoot, `ServerRoot "${root}"`);
  return out;
}

export const httpd = defineFront({
  kind: 'httpd',
  title: 'Apache httpd',
  image: { role: 'httpd', envVar: 'WS_PROXY_BENCH_IMAGE_HTTPD', summary: 'Apache httpd front', debianPackages: ['apache2'] },
  configPath: '/usr/local/apache2/conf/httpd.conf',
  command: ['httpd-foreground'],
  // A graceful restart (httpd -k graceful): the parent (pid 1) rereads its config on SIGUSR1 and
  // replaces its children, each old one finishing the connections it holds.
  reloadCommand: ['sh', '-c', 'kill -USR1 1'],
  // "Server version: Apache/2.4.62 (Unix)"
  version: { command: ['httpd', '-v'], parse: versionAfter(/Apache\//) },
  processes: /^(?:\/usr\/sbin\/apache2|httpd|\/usr\/local\/apache2\/bin\/httpd) /,
  local: { names: ['apache2', 'httpd'], debianPackage: 'apache2', args: (c) => ['-DFOREGROUND', '-f', c], hostConfig: (config, dir) => httpdHostConfig(config, dir) },
  docsPage: 'docs/httpd.md',
  // `Listen 80`, `Listen 0.0.0.0:8080`; `ProxyPass /ws ws://app:3000/ws`, `BalancerMember http://app:3000`
  configScan: scanWith('Listen', /^\s*Listen\s+(?:\S+:)?(\d+)\b/mi, /^\s*(?:ProxyPass(?:Match)?\s+\S+|BalancerMember|RewriteRule\s+\S+)\s+\w+:\/\/([\w.-]+(?::\d+)?)/mi),
  scaleOut: 'threads',
  scaleSetup: 'httpd-many-connections',
  setups: [
    {
      name: 'httpd',
      summary: 'Apache httpd with ProxyPass … upgrade=websocket and ProxyTimeout (the correct WebSocket config)',
      template: 'httpd/ws-proxy.conf.template',
    },
    {
      name: 'httpd-many-connections',
      summary: 'Apache httpd with the correct WebSocket config and the event MPM sized to hold many WebSockets (one worker thread each)',
      template: 'httpd/many-connections.conf.template',
    },
    {
      name: 'httpd-no-upgrade',
      summary: 'Apache httpd without upgrade=websocket (or mod_proxy_wstunnel): the upgrade is not enabled (a classic mistake)',
      template: 'httpd/mistake-no-upgrade.conf.template',
    },
    {
      name: 'httpd-proxy-timeout-only',
      summary: 'Apache httpd with ProxyTimeout but no Timeout: a quiet WebSocket is not cut at ProxyTimeout (a classic mistake)',
      template: 'httpd/mistake-proxy-timeout-only.conf.template',
    },
    {
      name: 'httpd-h2',
      summary: 'Apache httpd terminating TLS with HTTP/2 and H2WebSockets on: WebSockets over HTTP/2 (RFC 8441) become HTTP/1.1 upgrades to the app',
      template: 'httpd/h2.conf.template',
      tls: { certPath: '/usr/local/apache2/conf/tls/cert.pem', keyPath: '/usr/local/apache2/conf/tls/key.pem' },
    },
    {
      name: 'httpd-h2-no-websockets',
      summary: 'Apache httpd terminating TLS with HTTP/2 but H2WebSockets off (the default): browsers upgrade over HTTP/1.1',
      template: 'httpd/h2-no-websockets.conf.template',
      tls: { certPath: '/usr/local/apache2/conf/tls/cert.pem', keyPath: '/usr/local/apache2/conf/tls/key.pem' },
    },
    {
      name: 'httpd-front-handles-websocket',
      summary: "Apache httpd rewriting upgrades to the front tier's own WebSocket handler (front WebSocket handling on)",
      template: 'httpd/front-handles-websocket.conf.template',
      companions: { [WS_HANDLER_ALIAS]: WS_HANDLER_SETUP },
    },
    {
      name: 'httpd-h2-front-handles-websocket',
      summary: "Apache httpd terminating TLS with HTTP/2 and H2WebSockets on, rewriting upgrades (HTTP/1.1 Upgrade and RFC 8441 extended CONNECT) to the front tier's own WebSocket handler",
      template: 'httpd/h2-front-handles-websocket.conf.template',
      tls: { certPath: '/usr/local/apache2/conf/tls/cert.pem', keyPath: '/usr/local/apache2/conf/tls/key.pem' },
      companions: { [WS_HANDLER_ALIAS]: WS_HANDLER_SETUP },
    },
    {
      name: 'httpd-replicas',
      summary: 'Apache httpd with the correct WebSocket config over two app replicas, mod_proxy_balancer byrequests (no stickiness: socket.io polling sessions fail)',
      template: 'httpd/replicas-round-robin.conf.template',
    },
    {
      name: 'httpd-replicas-sticky',
      summary: 'Apache httpd with the correct WebSocket config over two app replicas, sticky by a route cookie (ROUTEID, stickysession)',
      template: 'httpd/replicas-sticky.conf.template',
    },
  ],
});
