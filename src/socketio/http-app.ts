/**
 * The plain-HTTP side of the socket.io app: the test page at `/`, `/healthz`, `/stats`. Every
 * answer carries the identity headers. socket.io's own path (handshakes, polling, the client
 * script) never reaches this app: server.ts routes it first.
 */
import express, { type Express } from 'express';
import { identityHeaders } from './identity.js';
import type { SocketioOptions } from './options.js';
import type { SocketioStats } from './stats.js';
import page from './page.html';

const PATH_META = '<meta name="socketio-path" content="/socket.io/">';
const CLIENT_SCRIPT = '<script src="/socket.io/socket.io.min.js"></script>';

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The page, told which path socket.io is on (and so where its client script is). */
export function renderSocketioPage(path: string): string {
  if (!page.includes(PATH_META)) throw new Error(`src/socketio/page.html lost its ${PATH_META} tag`);
  if (!page.includes(CLIENT_SCRIPT)) throw new Error(`src/socketio/page.html lost its ${CLIENT_SCRIPT} element`);
  const p = escapeAttribute(path);
  return page
    .replace(PATH_META, () => `<meta name="socketio-path" content="${p}">`)
    .replace(CLIENT_SCRIPT, () => `<script src="${p}socket.io.min.js"></script>`);
}

/** `closing()` says the app is shutting down: /healthz answers 503 then, so a front stops sending new clients. */
export function createSocketioHttpApp(options: SocketioOptions, stats: () => SocketioStats, closing: () => boolean = () => false): Express {
  const app = express();
  app.disable('x-powered-by');
  const html = renderSocketioPage(options.path);
  const headers = identityHeaders(options.replicaId);
  app.use((_req, res, next) => {
    res.set(headers);
    next();
  });
  app.get('/', (_req, res) => {
    res.type('html').send(html);
  });
  app.get('/healthz', (_req, res) => {
    if (closing()) res.status(503).type('text').send('shutting down');
    else res.type('text').send('ok');
  });
  app.get('/stats', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(stats());
  });
  return app;
}
