/**
 * The echo server's options: one spec, resolved from code, flags and the environment by the
 * shared resolver (src/options.ts). The README's options table is generated from this spec.
 */
import { isAddressOrRange } from './client-address.js';
import { boolean, duration, HTTP_TOKEN, integer, list, oneOf, option, resolveOptions, text, type OptionValues, type ResolveSources } from '../options.js';

/** RFC 7230 token characters: what a subprotocol name may consist of. */
/** Path characters (RFC 3986 pchar and '/'), nothing that needs escaping in HTML or a log. */
const PATH = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*$/;

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.pathname === '/' && url.search === '' && url.hash === '' && url.username === '';
  } catch {
    return false;
  }
}

export const echoOptionSpecs = {
  host: option({
    flag: '--host',
    env: 'ECHO_HOST',
    default: '127.0.0.1',
    ...text('a host name or IP address to listen on, such as 127.0.0.1 or 0.0.0.0', (raw) => /^[A-Za-z0-9.:-]+$/.test(raw)),
    help: 'address to listen on (containers use 0.0.0.0)',
  }),
  port: option({
    flag: '--port',
    env: 'ECHO_PORT',
    default: 8080,
    ...integer(0, 65535),
    help: 'TCP port to listen on (0 picks a free one and prints it)',
  }),
  path: option({
    flag: '--path',
    env: 'ECHO_PATH',
    default: '/ws',
    ...text("a URL path starting with '/', such as /ws", (raw) => PATH.test(raw)),
    help: 'the only path that accepts WebSockets',
  }),
  keepAliveInterval: option({
    flag: '--keep-alive-interval',
    env: 'ECHO_KEEPALIVE_INTERVAL_MS',
    default: 120_000,
    ...duration('ms'),
    help: 'ping every client this often; a client that has not answered the previous ping by then is dropped (0 = off)',
  }),
  maxMessageSize: option({
    flag: '--max-message-size',
    env: 'ECHO_MAX_MESSAGE_BYTES',
    default: 16_777_216,
    ...integer(1, 1_073_741_824),
    help: 'largest message accepted, in bytes; a bigger one closes the connection with 1009',
  }),
  perMessageDeflate: option({
    flag: '--per-message-deflate',
    env: 'ECHO_PERMESSAGE_DEFLATE',
    default: false,
    bare: true,
    ...boolean,
    help: 'accept the permessage-deflate extension when a client offers it',
  }),
  allowedOrigins: option({
    flag: '--allowed-origins',
    env: 'ECHO_ALLOWED_ORIGINS',
    default: [] as string[],
    ...list('origins such as https://example.com:8443', isOrigin),
    help: 'Origin header values allowed to open a WebSocket; others get 403 (empty = any)',
  }),
  subprotocols: option({
    flag: '--subprotocols',
    env: 'ECHO_SUBPROTOCOLS',
    default: [] as string[],
    ...list('subprotocol names (tokens)', (item) => HTTP_TOKEN.test(item)),
    help: "subprotocols the server selects, in its order of preference, when a client offers one (otherwise none)",
  }),
  trustedProxies: option({
    flag: '--trusted-proxies',
    env: 'ECHO_TRUSTED_PROXIES',
    default: [] as string[],
    ...list('IP addresses or CIDR ranges such as 10.0.0.0/8', isAddressOrRange),
    help: "proxies whose X-Forwarded-For is believed for the client's address in the log and /stats (empty = none: the TCP peer is the client)",
  }),
  logFormat: option({
    flag: '--log-format',
    env: 'ECHO_LOG_FORMAT',
    default: 'plain' as 'plain' | 'json' | 'quiet',
    ...oneOf(['plain', 'json', 'quiet'] as const),
    help: "one line per connection event on stdout: plain text or JSON lines; 'quiet' logs no connection events (refusals, start and shutdown only)",
  }),
};

/** `https://Example.com:443/` and `https://example.com` are the same origin. */
export function normalizeOrigin(value: string): string {
  try {
    return new URL(value).origin;
  } catch {
    return value;
  }
}

export type EchoOptions = OptionValues<typeof echoOptionSpecs>;

/** Validates and completes options; throws OptionError naming the option, the value and what is allowed. */
export function resolveEchoOptions(sources: ResolveSources<typeof echoOptionSpecs>): EchoOptions {
  return resolveOptions(echoOptionSpecs, { command: 'serve', ...sources });
}
