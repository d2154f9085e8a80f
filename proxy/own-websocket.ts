/**
 * Front WebSocket handling on: the front completes the handshake itself (its 101 carries
 * X-Front) and echoes every message (text stays text, binary stays binary; a close code comes
 * back as sent). The upgrade never reaches the app: like IIS with its WebSocket module enabled.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { cutWhenIdle } from './idle.js';
import { FRONT_HEADER, FRONT_IDENTITY } from './identity.js';
import type { FrontLog } from './log.js';
import { answerRawSocket } from './raw-response.js';

export interface OwnWebsocket {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Terminates every connection (front shutdown). */
  closeAll(): void;
}

export function createOwnWebsocket(idleTimeoutMs: number, log: FrontLog): OwnWebsocket {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, clientTracking: true });
  let nextId = 1;

  wss.on('headers', (headers) => {
    headers.push(`${FRONT_HEADER}: ${FRONT_IDENTITY}`);
  });
  // A malformed handshake is refused by the front, and says so.
  wss.on('wsClientError', (err, socket, req) => {
    log(`ws ${req.url ?? '/'}: refused a malformed handshake: ${err.message}`);
    answerRawSocket(socket, 400, `400 Bad Request: ${err.message}`);
  });

  return {
    handleUpgrade(req, duplex, head) {
      const socket = duplex as Socket;
      const id = nextId++;
      const path = req.url ?? '/';
      const startedAt = performance.now();
      let ending: string | undefined;
      socket.on('error', () => {});
      wss.handleUpgrade(req, socket, head, (ws) => {
        log(`ws#${id} ${path}: upgraded by the front`);
        // ws resets the socket's timeout when it takes the socket over: arm it after.
        cutWhenIdle(socket, idleTimeoutMs, () => {
          ending = `idle for ${idleTimeoutMs} ms`;
          socket.destroy();
        });
        ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
        ws.on('error', (err) => { ending ??= `error (${err.message})`; });
        // ws answers a close frame with the same code and reason on its own.
        ws.on('close', (code, reason) => {
          const seconds = ((performance.now() - startedAt) / 1000).toFixed(2);
          log(`ws#${id} ${path}: closed after ${seconds} s: ${ending ?? `close ${code}${reason.length ? ` "${reason.toString()}"` : ''}`}`);
        });
      });
    },
    closeAll() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
