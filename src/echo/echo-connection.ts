/**
 * What happens on one accepted WebSocket: every message is sent back as it came (text as text,
 * binary as binary, one message per message) until the client closes. ws itself answers a close
 * frame with the same code and reason (an empty close for 1005), and closes with 1009, 1007 or
 * 1002 on an oversized message, invalid UTF-8 or an unmasked frame; this module logs and counts.
 */
import type { WebSocket } from 'ws';
import type { EchoLogger } from './log.js';
import type { EchoStats } from './stats.js';
import { toBuffer } from '../client/raw-data.js';

export function attachEcho(ws: WebSocket, id: number, stats: EchoStats, log: EchoLogger): void {
  ws.on('message', (data, isBinary) => {
    const payload = toBuffer(data);
    stats.messagesEchoed++;
    stats.bytesEchoed += payload.length;
    ws.send(payload, { binary: isBinary });
  });
  ws.on('error', (err) => {
    log({ event: 'error', id, message: err.message });
  });
  ws.once('close', (code, reason) => {
    stats.openConnections--;
    log({ event: 'close', id, code, reason: reason.toString('utf8') });
  });
}
