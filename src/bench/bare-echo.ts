/**
 * The perf bench's baseline: a bare `ws` echo server (no express, no options, no keepalive, no
 * stats), run in the same kind of container as the app (dist/bare-echo.mjs). Plain HTTP gets
 * 200 "ok" so the harness's /healthz wait works; every WebSocket message comes straight back.
 */
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

const server = createServer((_req, res) => res.end('ok'));
const wss = new WebSocketServer({ server });
wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
});
server.listen(Number(process.env.ECHO_PORT ?? 8080), process.env.ECHO_HOST ?? '127.0.0.1', () => {
  console.log(`bare ws echo listening on ${JSON.stringify(server.address())}`);
});
process.once('SIGTERM', () => process.exit(0));
