/**
 * Front WebSocket handling on: the front completes the handshake itself (its 101, or its h2
 * `:status 200`, carries X-Front) and echoes every message (text stays text, binary stays binary;
 * a close code comes back as sent). The upgrade never reaches the app: like IIS with its
 * WebSocket module enabled.
 */
import type { IncomingMessage } from 'node:http';
import { constants as h2, type IncomingHttpHeaders as H2Headers, type ServerHttp2Stream } from 'node:http2';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';
import { websocketOnStream } from '../src/websocket-on-stream.js';
import { answerStream } from './h2.js';
import { cutWhenIdle } from './idle.js';
import { FRONT_HEADER, FRONT_IDENTITY } from './identity.js';
import type { FrontLog } from './log.js';
import { answerRawSocket } from './raw-response.js';

export interface OwnWebsocket {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** An RFC 8441 extended CONNECT stream (the h2 side of a TLS front). */
  handleStream(stream: ServerHttp2Stream, headers: H2Headers): void;
  /** Terminates every connection (front shutdown). */
  closeAll(): void;
}

/** ws's server default: the largest message the front's own WebSockets take. */
const MAX_PAYLOAD = 100 * 1024 * 1024;

export function createOwnWebsocket(idleTimeoutMs: number, log: FrontLog): OwnWebsocket {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, clientTracking: true, maxPayload: MAX_PAYLOAD });
  const streamSockets = new Set<WebSocket>();
  let nextId = 1;

  wss.on('headers', (headers) => {
    headers.push(`${FRONT_HEADER}: ${FRONT_IDENTITY}`);
  });
  // A malformed handshake is refused by the front, and says so.
  wss.on('wsClientError', (err, socket, req) => {
    log(`ws ${req.url ?? '/'}: refused a malformed handshake: ${err.message}`);
    answerRawSocket(socket, 400, `400 Bad Request: ${err.message}`);
  });

  /** Echoes on an open WebSocket and logs how it ended; `ending()` is why the front ended it, if it did. */
  const serve = (ws: WebSocket, id: number, label: string, startedAt: number, ending: () => string | undefined): void => {
    log(`ws#${id} ${label}: upgraded by the front`);
    let error: string | undefined;
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
    ws.on('error', (err) => { error ??= `error (${err.message})`; });
    // ws answers a close frame with the same code and reason on its own.
    ws.on('close', (code, reason) => {
      const seconds = ((performance.now() - startedAt) / 1000).toFixed(2);
      log(`ws#${id} ${label}: closed after ${seconds} s: ${ending() ?? error ?? `close ${code}${reason.length ? ` "${reason.toString()}"` : ''}`}`);
    });
  };

  return {
    handleUpgrade(req, duplex, head) {
      const socket = duplex as Socket;
      const id = nextId++;
      const startedAt = performance.now();
      let ending: string | undefined;
      socket.on('error', () => {});
      wss.handleUpgrade(req, socket, head, (ws) => {
        // ws resets the socket's timeout when it takes the socket over: arm it after.
        cutWhenIdle(socket, idleTimeoutMs, () => {
          ending = `idle for ${idleTimeoutMs} ms`;
          socket.destroy();
        });
        serve(ws, id, req.url ?? '/', startedAt, () => ending);
      });
    },

    handleStream(stream, headers) {
      const id = nextId++;
      const path = headers[':path'] ?? '/';
      const startedAt = performance.now();
      stream.on('error', () => {});
      if (headers['sec-websocket-version'] !== '13') {
        log(`ws ${path} (h2): refused a malformed handshake: Missing or invalid Sec-WebSocket-Version header`);
        answerStream(stream, 400, '400 Bad Request: Missing or invalid Sec-WebSocket-Version header');
        return;
      }
      // As ws's server does without handleProtocols: the first subprotocol offered.
      const protocol = String(headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()).find(Boolean);
      stream.respond({ ':status': 200, [FRONT_HEADER.toLowerCase()]: FRONT_IDENTITY, ...(protocol ? { 'sec-websocket-protocol': protocol } : {}) });
      const ws = websocketOnStream(stream, 'server', { maxPayload: MAX_PAYLOAD, ...(protocol ? { protocol } : {}) });
      streamSockets.add(ws);
      ws.once('close', () => streamSockets.delete(ws));
      let ending: string | undefined;
      // ws reset the stream's timeout when it took the stream over: arm it after.
      stream.setTimeout(idleTimeoutMs, () => {
        ending = `idle for ${idleTimeoutMs} ms`;
        if (!stream.closed) stream.close(h2.NGHTTP2_CANCEL);
      });
      serve(ws, id, `${path} (h2)`, startedAt, () => ending);
    },

    closeAll() {
      for (const ws of wss.clients) ws.terminate();
      for (const ws of streamSockets) ws.terminate();
      wss.close();
    },
  };
}
