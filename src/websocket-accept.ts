/**
 * The Sec-WebSocket-Accept a server answers for a client's Sec-WebSocket-Key (RFC 6455 §4.2.2):
 * the key with the protocol's GUID, SHA-1, base64. Checked by the http-front's h2 bridge against
 * the app's 101, and by the scale generators' bare-socket clients.
 */
import { createHash } from 'node:crypto';

const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export function websocketAccept(key: string): string {
  return createHash('sha1').update(key + WEBSOCKET_GUID).digest('base64');
}
