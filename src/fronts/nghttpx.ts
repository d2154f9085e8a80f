/** nghttpx, nghttp2's proxy: configs in nghttpx/, read from /etc/nghttpx/nghttpx.conf. */
import { defineFront, versionAfter } from './types.js';
import { scanWith } from './config-scan.js';

const CONFIG = '/etc/nghttpx/nghttpx.conf';

/**
 * The configs set frontend-header-timeout (the slowloris guard the hostile scenarios time):
 * nghttpx 1.52 (Debian bookworm) refuses it as an unknown option; 1.64 (trixie) is the oldest
 * version measured here to take it.
 */
const NEEDS_HEADER_TIMEOUT = { version: '1.64.0', refusal: /Unknown option: frontend-header-timeout/, feature: 'frontend-header-timeout' };

export const nghttpx = defineFront({
  kind: 'nghttpx',
  title: 'nghttpx',
  // nghttp2 publishes a Dockerfile but no image: the default is the stand-in built from Debian's package.
  image: { role: 'nghttpx', envVar: 'WS_PROXY_BENCH_IMAGE_NGHTTPX', summary: 'nghttpx front (no official image: the Debian stand-in)', debianPackages: ['nghttp2-proxy'], official: false },
  configPath: CONFIG,
  command: ['nghttpx', '--conf', CONFIG],
  // SIGHUP: the master rereads its config and starts new workers; the old ones finish their connections.
  reloadCommand: ['sh', '-c', 'kill -HUP 1'],
  // "nghttpx nghttp2/1.64.0"
  version: { command: ['nghttpx', '--version'], parse: versionAfter(/nghttp2\//) },
  processes: /^nghttpx /,
  local: { names: ['nghttpx'], debianPackage: 'nghttp2-proxy', args: (c) => ['--conf', c] },
  docsPage: 'docs/nghttpx.md',
  // `frontend=*,3000;no-tls`; `backend=app,3000`
  configScan: scanWith('frontend', /^\s*frontend\s*=\s*[^,\s]*,(\d+)\b/m, /^\s*backend\s*=\s*([\w.-]+),(\d+)/m, (m) => `${m[1] as string}:${m[2] as string}`),
  scaleOut: 'containers',
  setups: [
    { name: 'nghttpx', summary: 'nghttpx with the correct WebSocket proxy config (plain HTTP/1.1)', template: 'nghttpx/ws-proxy.conf.template', needs: NEEDS_HEADER_TIMEOUT },
    {
      name: 'nghttpx-h2',
      summary: 'nghttpx terminating TLS with HTTP/2 (ALPN h2, http/1.1): WebSockets over HTTP/2 (RFC 8441) become HTTP/1.1 upgrades to the app',
      template: 'nghttpx/h2.conf.template',
      tls: { certPath: '/etc/nghttpx/tls/cert.pem', keyPath: '/etc/nghttpx/tls/key.pem' },
      needs: NEEDS_HEADER_TIMEOUT,
    },
  ],
});
