/**
 * How the socket.io app names itself on every HTTP response it writes (its pages, the client
 * script, polling responses, engine.io's refusals, and the WebSocket upgrade's 101): the echo
 * app's identity header with this app's product, and the replica that answered.
 */
import { IDENTITY_HEADER } from '../echo/refusal.js';
import { VERSION } from '../version.js';

export { IDENTITY_HEADER };
export const REPLICA_HEADER = 'X-Replica';

/** `ws-proxy-bench-socketio/<version>` */
export const SOCKETIO_PRODUCT = `ws-proxy-bench-socketio/${VERSION}`;

export function identityHeaders(replica: string): Record<string, string> {
  return { [IDENTITY_HEADER]: SOCKETIO_PRODUCT, [REPLICA_HEADER]: replica };
}
