/**
 * The plain-HTTP side of the echo server: the test page at `/`, `/healthz`, `/stats`, and a 400
 * for a GET on the WebSocket path without an upgrade (as the ASP.NET Core sample answers).
 */
import express, { type Express } from 'express';
import type { EchoOptions } from './options.js';
import { IDENTITY_HEADER } from './refusal.js';
import type { EchoStats, StatsReadOptions } from './stats.js';
import { PRODUCT } from '../version.js';
import page from './page.html';
// The page's reconnect helpers (./page-reconnect.ts) as browser code, inlined: the page stays one
// self-contained response, served the same behind every front.
import pageReconnect from 'virtual:page-reconnect';

const PATH_META = '<meta name="echo-ws-path" content="/ws">';
const RECONNECT_SLOT = '<script id="pageReconnectLib"></script>';

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The page, told which path the WebSocket endpoint is on. */
export function renderPage(wsPath: string): string {
  if (!page.includes(PATH_META)) throw new Error(`page.html lost its ${PATH_META} tag`);
  if (!page.includes(RECONNECT_SLOT)) throw new Error(`page.html lost its ${RECONNECT_SLOT} element`);
  return page
    .replace(PATH_META, `<meta name="echo-ws-path" content="${escapeAttribute(wsPath)}">`)
    // A function: the code may contain `$&`-like sequences that a replacement string would expand.
    .replace(RECONNECT_SLOT, () => `<script id="pageReconnectLib">\n${pageReconnect}</script>`);
}

export function createHttpApp(options: EchoOptions, stats: (read: StatsReadOptions) => EchoStats): Express {
  const app = express();
  app.disable('x-powered-by');
  const html = renderPage(options.path);
  app.use((_req, res, next) => {
    res.setHeader(IDENTITY_HEADER, PRODUCT);
    next();
  });
  app.get('/', (_req, res) => {
    res.type('html').send(html);
  });
  app.get('/healthz', (_req, res) => {
    res.type('text').send('ok');
  });
  // `?gc=1`: after a full garbage collection (memory.collected says so).
  app.get('/stats', (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(stats({ collectGarbage: req.query.gc === '1' }));
  });
  // Compared as a string: the configured path is not an express route pattern.
  app.use((req, res, next) => {
    if (req.path !== options.path) {
      next();
      return;
    }
    res.status(400).type('text').send(`not a WebSocket request: ${options.path} accepts WebSocket upgrades only\n`);
  });
  return app;
}
