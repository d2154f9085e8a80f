/**
 * X-Forwarded-* on forwarded upgrades. http-proxy's `xfwd` adds For/Port/Proto to upgrades but
 * names the scheme `ws`/`wss` and leaves out X-Forwarded-Host; plain requests get `http`/`https`
 * and a Host. This makes an upgrade carry what a plain request carries (as nginx's $scheme does).
 */
import type { ClientRequest, IncomingMessage } from 'node:http';

const HTTP_SCHEME: Record<string, string> = { ws: 'http', wss: 'https' };

export function alignUpgradeForwardedHeaders(proxyReq: ClientRequest, req: IncomingMessage): void {
  const proto = proxyReq.getHeader('x-forwarded-proto');
  if (typeof proto === 'string') {
    const chain = proto.split(',');
    const last = chain.length - 1;
    chain[last] = HTTP_SCHEME[chain[last] ?? ''] ?? chain[last] ?? '';
    proxyReq.setHeader('x-forwarded-proto', chain.join(','));
  }
  if (proxyReq.getHeader('x-forwarded-host') === undefined) {
    proxyReq.setHeader('x-forwarded-host', req.headers.host ?? '');
  }
}
