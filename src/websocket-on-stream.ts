/**
 * RFC 6455 framing on an established byte stream (an RFC 8441 extended CONNECT stream of an h2
 * session, or any Duplex), by the `ws` package: a `WebSocket` made with a null address is set up
 * on the stream with `setSocket()`, the (undocumented) method ws's WebSocketServer uses for an
 * upgraded socket. ws decides who masks from `_isServer`, which a null address sets to true; the
 * client role sets it back to false before `setSocket()`, so its frames are masked and the peer's
 * must not be. Used by the checks' h2 client and the http-front's own h2 WebSockets.
 */
import type { Duplex } from 'node:stream';
import WebSocket from 'ws';

/** The parts of ws's WebSocket this module relies on that its types do not declare. */
interface WebSocketInternals {
  _isServer: boolean;
  _protocol: string;
  setSocket(socket: Duplex, head: Buffer, options: { allowSynchronousEvents?: boolean; maxPayload?: number; skipUTF8Validation?: boolean }): void;
}

/** ws's constructor as WebSocketServer calls it (its types declare only `new WebSocket(null)`). */
type NullAddressWebSocket = new (address: null, protocols: undefined, options: { autoPong: boolean; closeTimeout: number }) => WebSocket;

/** The largest message either side takes by default (as the checks' client: 64 MiB). */
export const STREAM_MAX_PAYLOAD = 64 * 1024 * 1024;

export interface StreamWebSocketOptions {
  maxPayload?: number;
  /** Answer pings (default true). */
  autoPong?: boolean;
  /** The subprotocol the handshake agreed on (what `ws.protocol` reads). */
  protocol?: string;
}

/** A WebSocket on `stream`: `client` masks what it sends and refuses masked frames; `server` the other way round. */
export function websocketOnStream(stream: Duplex, role: 'client' | 'server', options: StreamWebSocketOptions = {}): WebSocket {
  // closeTimeout: what ws's client and server default to; without it the close timer fires at once.
  const ws = new (WebSocket as unknown as NullAddressWebSocket)(null, undefined, { autoPong: options.autoPong ?? true, closeTimeout: 30_000 });
  const internals = ws as unknown as WebSocketInternals;
  internals._isServer = role === 'server';
  internals._protocol = options.protocol ?? '';
  internals.setSocket(stream, Buffer.alloc(0), { allowSynchronousEvents: true, maxPayload: options.maxPayload ?? STREAM_MAX_PAYLOAD, skipUTF8Validation: false });
  return ws;
}
