/**
 * The socket.io browser client, served by the app at `<path>socket.io.min.js` (and
 * socket.io.js, with their source maps), as socket.io's serveClient serves it: same URLs, an
 * ETag of the client's version, 304 on a match. The files are inlined at build time
 * (scripts/socketio-client-bundle.mjs), so the bundle needs no node_modules and the page works
 * offline.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { files, version } from 'virtual:socketio-client';

export const SOCKETIO_CLIENT_VERSION = version;

/** The client file a request asks for (`/socket.io/socket.io.min.js?v=1` → `socket.io.min.js`), or null. */
export function clientFileName(url: string, path: string): string | null {
  if (!url.startsWith(path)) return null;
  const name = url.slice(path.length).split('?')[0] ?? '';
  return Object.hasOwn(files, name) ? name : null;
}

/** Answers a request for a client file; `headers` are the app's identity headers. */
export function serveClientFile(name: string, req: IncomingMessage, res: ServerResponse, headers: Record<string, string>): void {
  for (const [key, value] of Object.entries(headers)) res.setHeader(key, value);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end(`${req.method ?? '?'} not allowed\n`);
    return;
  }
  const etag = `"${version}"`;
  const given = req.headers['if-none-match'];
  if (given === etag || given === `W/${etag}`) {
    res.writeHead(304, { ETag: etag }).end();
    return;
  }
  const body = files[name] ?? '';
  res.writeHead(200, {
    'Cache-Control': 'public, max-age=0',
    'Content-Type': `application/${name.endsWith('.map') ? 'json' : 'javascript'}; charset=utf-8`,
    'Content-Length': Buffer.byteLength(body),
    ETag: etag,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
