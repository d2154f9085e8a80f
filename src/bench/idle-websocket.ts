/**
 * The scale generator's client: an idle WebSocket on a bare TCP socket (RFC 6455). It sends the
 * opening handshake, checks the 101 and its Sec-WebSocket-Accept, and from then on only answers
 * what the server sends: a Pong for every Ping (its payload, masked as a client must), a Close
 * echoed back. It sends no data of its own.
 *
 * Why not `ws`: a scale run opens 100,000 of these on 2 cores shared with the front and the app
 * under test, and `ws`'s client (an http.ClientRequest per handshake, a stream pipeline per
 * socket) cost about as much CPU per connection as the app itself; the generator must not be
 * what limits the figure. It holds idle connections, nothing else: messages are not parsed
 * beyond their headers.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { websocketAccept } from '../websocket-accept.js';

const OP_CLOSE = 0x8;
const OP_PING = 0x9;
const OP_PONG = 0xa;

export interface IdleWebSocket {
  /** Ends it at once (no closing handshake). */
  destroy(): void;
}

export interface IdleWebSocketEvents {
  /** Called once, when the connection closes after it opened: the Close code received (1006 when none came). */
  onClose(code: number): void;
}

/** A client frame: FIN set, masked, with a payload under 126 bytes (control frames are). */
export function maskedControlFrame(opcode: number, payload: Buffer): Buffer {
  if (payload.length > 125) throw new Error(`a control frame carries at most 125 bytes; got ${payload.length}`);
  const mask = randomBytes(4);
  const frame = Buffer.allocUnsafe(6 + payload.length);
  frame[0] = 0x80 | opcode;
  frame[1] = 0x80 | payload.length;
  mask.copy(frame, 2);
  for (let i = 0; i < payload.length; i++) frame[6 + i] = (payload[i] as number) ^ (mask[i & 3] as number);
  return frame;
}

/**
 * Reads server frames from `buffer`: calls `control` for each complete Ping or Close (data
 * frames are skipped) and returns what is left of an incomplete frame, or an Error for a frame a
 * server may not send (masked).
 */
export function readFrames(buffer: Buffer, control: (opcode: number, payload: Buffer) => void): Buffer | Error {
  let at = 0;
  for (;;) {
    if (buffer.length - at < 2) break;
    const opcode = (buffer[at] as number) & 0x0f;
    const second = buffer[at + 1] as number;
    if (second & 0x80) return new Error('the server sent a masked frame');
    let length = second & 0x7f;
    let header = 2;
    if (length === 126) {
      if (buffer.length - at < 4) break;
      length = buffer.readUInt16BE(at + 2);
      header = 4;
    } else if (length === 127) {
      if (buffer.length - at < 10) break;
      length = Number(buffer.readBigUInt64BE(at + 2));
      header = 10;
    }
    if (buffer.length - at < header + length) break;
    if (opcode === OP_PING || opcode === OP_CLOSE) control(opcode, buffer.subarray(at + header, at + header + length));
    at += header + length;
  }
  return at === 0 ? buffer : buffer.subarray(at);
}

/** Opens one; resolves once it is open, rejects with why it could not open (within `timeoutMs`). */
export function openIdleWebSocket(url: string, events: IdleWebSocketEvents, timeoutMs = 30_000): Promise<IdleWebSocket> {
  const { hostname, port, pathname, search, host } = new URL(url);
  const key = randomBytes(16).toString('base64');
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host: hostname, port: Number(port || 80) });
    let opened = false;
    let closeCode = 1006;
    let pending: Buffer = Buffer.alloc(0);
    const fail = (message: string): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(new Error(message));
    };
    const timer = setTimeout(() => fail('Opening handshake has timed out'), timeoutMs);
    socket.once('connect', () => {
      socket.write(`GET ${pathname}${search} HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    });
    const onControl = (opcode: number, payload: Buffer): void => {
      if (opcode === OP_PING) {
        socket.write(maskedControlFrame(OP_PONG, payload));
      } else {
        closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
        socket.end(maskedControlFrame(OP_CLOSE, payload.subarray(0, 2)));
      }
    };
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      if (!opened) {
        const end = pending.indexOf('\r\n\r\n');
        if (end < 0) {
          if (pending.length > 16_384) fail('the handshake response has no end within 16 KiB');
          return;
        }
        const head = pending.subarray(0, end).toString('latin1');
        const status = /^HTTP\/1\.1 (\d{3})/.exec(head)?.[1];
        if (status !== '101') return fail(`Unexpected server response: ${status ?? head.split('\r\n')[0]}`);
        const accept = /\r\nsec-websocket-accept:[ \t]*([^\r\n]*?)[ \t]*(?:\r\n|$)/i.exec(head)?.[1];
        if (accept !== websocketAccept(key)) return fail('Invalid Sec-WebSocket-Accept header');
        opened = true;
        clearTimeout(timer);
        pending = pending.subarray(end + 4);
        resolve({ destroy: () => socket.destroy() });
      }
      const rest = readFrames(pending, onControl);
      if (rest instanceof Error) {
        closeCode = 1002;
        socket.destroy();
        return;
      }
      pending = rest;
    });
    socket.once('error', (err) => { if (!opened) fail(err.message); });
    socket.once('close', () => {
      if (!opened) return fail('socket hang up');
      events.onClose(closeCode);
    });
  });
}
