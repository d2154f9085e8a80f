/**
 * Decides whether an upgrade request may become a WebSocket, before ws sees it, so every
 * refusal is our own response (with the identity header) rather than a hang or a bare 400.
 */
import type { IncomingMessage } from 'node:http';
import type { EchoOptions } from './options.js';
import { normalizeOrigin } from './options.js';

export interface Refusal {
  status: number;
  reason: string;
  headers?: Record<string, string>;
}

/** A key is 16 random bytes in base64 (RFC 6455 §4.1). */
const KEY = /^[+/0-9A-Za-z]{22}==$/;

export function requestPath(req: IncomingMessage): string {
  try {
    return new URL(req.url ?? '/', 'http://x').pathname;
  } catch {
    return req.url ?? '/';
  }
}

/** What the gate checks against; the allowed origins normalized once, at start-up. */
export interface GateRules {
  path: string;
  /** Normalized origins (normalizeOrigin); empty = any origin. */
  allowedOrigins: ReadonlySet<string>;
}

export function gateRules(options: Pick<EchoOptions, 'path' | 'allowedOrigins'>): GateRules {
  return { path: options.path, allowedOrigins: new Set(options.allowedOrigins.map(normalizeOrigin)) };
}

export function checkUpgrade(req: IncomingMessage, options: GateRules): Refusal | null {
  if (requestPath(req) !== options.path) {
    return { status: 404, reason: `no WebSocket endpoint here; WebSockets are accepted at ${options.path}` };
  }
  if (req.method !== 'GET') {
    return { status: 405, reason: `a WebSocket handshake must be a GET, not ${req.method ?? '?'}`, headers: { Allow: 'GET' } };
  }
  // RFC 6455 §4.1: "an HTTP/1.1 or higher GET request". Kestrel (the ASP.NET Core sample's
  // server) refuses an HTTP/1.0 upgrade the same way; it is what nginx without
  // proxy_http_version 1.1 sends.
  if (req.httpVersionMajor < 1 || (req.httpVersionMajor === 1 && req.httpVersionMinor < 1)) {
    return { status: 400, reason: `a WebSocket handshake needs HTTP/1.1 or later, not HTTP/${req.httpVersion}` };
  }
  const upgrade = req.headers.upgrade;
  if (upgrade === undefined || upgrade.toLowerCase() !== 'websocket') {
    return { status: 400, reason: `Upgrade header must be websocket, not ${JSON.stringify(upgrade ?? '')}` };
  }
  const version = req.headers['sec-websocket-version'];
  if (version?.trim() !== '13') {
    return {
      status: 400,
      reason: `Sec-WebSocket-Version must be 13, not ${JSON.stringify(version ?? '')}`,
      headers: { 'Sec-WebSocket-Version': '13' },
    };
  }
  const key = req.headers['sec-websocket-key'];
  if (key === undefined || !KEY.test(key.trim())) {
    return { status: 400, reason: 'missing or invalid Sec-WebSocket-Key header' };
  }
  if (options.allowedOrigins.size > 0) {
    const origin = req.headers.origin;
    if (origin === undefined || !options.allowedOrigins.has(normalizeOrigin(origin))) {
      return { status: 403, reason: `origin ${JSON.stringify(origin ?? '(none)')} is not allowed` };
    }
  }
  return null;
}

/** The first of our subprotocols that the client offers, or none (the handshake proceeds either way). */
export function selectSubprotocol(offered: Set<string>, supported: readonly string[]): string | false {
  return supported.find((p) => offered.has(p)) ?? false;
}
