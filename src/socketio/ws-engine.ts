/**
 * engine.io's WebSocket server (its `wsEngine` option): ws's own WebSocketServer, keeping a set
 * of the WebSockets it accepted. engine.io closes a WebSocket with an empty close frame (the
 * client sees 1005, "no status"); on shutdown the app closes these itself first, with 1001
 * ("going away"), which is what a client or a proxy should see when a server stops.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type ServerOptions, type WebSocket } from 'ws';

/** A WebSocketServer class, as engine.io's `wsEngine` takes one. */
export type WsEngine = new (options?: ServerOptions, callback?: () => void) => WebSocketServer;

export function trackingWsEngine(accepted: Set<WebSocket>): WsEngine {
  return class TrackingWebSocketServer extends WebSocketServer {
    override handleUpgrade(request: IncomingMessage, socket: Duplex, upgradeHead: Buffer, callback: (client: WebSocket, request: IncomingMessage) => void): void {
      super.handleUpgrade(request, socket, upgradeHead, (ws, req) => {
        accepted.add(ws);
        ws.once('close', () => accepted.delete(ws));
        callback(ws, req);
      });
    }
  };
}
