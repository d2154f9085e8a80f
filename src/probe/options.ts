/**
 * `ws-proxy-bench probe` options: one positional ws:// or wss:// URL, repeatable --protocol, and
 * the rest, all read and validated by the shared option machinery (src/options.ts), so a bad
 * value is refused the same way everywhere.
 */
import { readFileSync } from 'node:fs';
import { boolean, duration, HTTP_TOKEN, integer, option, OptionError, repeated, resolveCommandLine, text, type OptionValues } from '../options.js';

export const probeOptionSpecs = {
  protocol: option<string[]>({
    flag: '--protocol', default: [], ...repeated('a subprotocol name (a token such as chat.v1); repeat the flag to offer several', (v) => HTTP_TOKEN.test(v)),
    help: 'offer this subprotocol in the handshake',
  }),
  deflate: option({ flag: '--deflate', default: false, bare: true, ...boolean, help: 'offer the permessage-deflate extension' }),
  timeout: option({ flag: '--timeout', default: 5_000, ...duration('s', 120_000), help: 'how long to wait for the handshake' }),
  echoCount: option({ flag: '--echo-count', default: 10, ...integer(0, 1000), help: 'small messages sent to measure the echo round trip (0 = skip)' }),
  echoTimeout: option({ flag: '--echo-timeout', default: 2_000, ...duration('s', 60_000), help: 'how long to wait for each echo before deciding the far end does not echo' }),
  maxIdle: option({ flag: '--max-idle', default: 120_000, ...duration('s', 3_600_000), help: 'idle-timeout finder: wait this long with no traffic for the far end to cut (0 = skip)' }),
  pingInterval: option({ flag: '--ping-interval', default: 0, ...duration('s', 3_600_000), help: 'client ping interval for the second idle run (0 = a third of the cut time found)' }),
  reconnect: option({ flag: '--reconnect', default: false, bare: true, ...boolean, help: 'after the idle cut: let the reconnecting client lose a connection to it, and measure the time to OPEN again and sent vs echoed' }),
  insecure: option({ flag: '--insecure', default: false, bare: true, ...boolean, help: 'wss://: accept a certificate that does not verify (self-signed)' }),
  ca: option({ flag: '--ca', default: '', ...text('a PEM file path', (v) => v.trim() !== ''), help: 'wss://: trust the CA certificate(s) in this PEM file' }),
  http2: option({ flag: '--http2', default: false, bare: true, ...boolean, help: 'wss:// only: also run the idle-timeout finder and the pings hold over HTTP/2 (RFC 8441); whether h2 WebSockets are offered, and the echo over them, are in every wss:// report' }),
  json: option({ flag: '--json', default: false, bare: true, ...boolean, help: 'print one JSON document instead of text' }),
};

export type ProbeFlags = OptionValues<typeof probeOptionSpecs>;

export interface ProbeOptions extends Omit<ProbeFlags, 'protocol' | 'ca'> {
  url: string;
  protocols: string[];
  /** PEM contents of --ca. */
  ca?: string;
}

function wsUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OptionError(`probe: '${raw}' is not a URL; give a ws:// or wss:// URL such as ws://127.0.0.1:8080/ws`);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    const hint = url.protocol === 'http:' || url.protocol === 'https:' ? ` (try ${raw.replace(/^http/, 'ws')})` : '';
    throw new OptionError(`probe: '${raw}' is ${url.protocol}// ; give a ws:// or wss:// URL${hint}`);
  }
  return url.toString();
}

export function resolveProbeOptions(argv: readonly string[], env: Record<string, string | undefined> = {}): ProbeOptions {
  const { options: flags, positionals } = resolveCommandLine(probeOptionSpecs, { argv, env, command: 'probe' });
  if (positionals.length !== 1) {
    throw new OptionError(positionals.length === 0
      ? 'probe: which endpoint? give a ws:// or wss:// URL, e.g. ws-proxy-bench probe ws://127.0.0.1:8080/ws'
      : `probe: one URL at a time; got ${positionals.map((p) => `'${p}'`).join(', ')}`);
  }
  const url = wsUrl(positionals[0] as string);
  const secure = url.startsWith('wss:');
  if (!secure && (flags.insecure || flags.ca !== '')) {
    throw new OptionError(`probe: ${flags.insecure ? '--insecure' : '--ca'} applies to wss:// URLs only; ${url} is plain ws://`);
  }
  if (!secure && flags.http2) {
    throw new OptionError(`probe: --http2 needs TLS (browsers speak HTTP/2 only over https); ${url} is plain ws://: give its wss:// URL`);
  }
  let ca: string | undefined;
  if (flags.ca !== '') {
    try {
      ca = readFileSync(flags.ca, 'utf8');
    } catch (e) {
      throw new OptionError(`probe: cannot read --ca file '${flags.ca}': ${(e as Error).message}; give the path of a PEM certificate`);
    }
    if (!ca.includes('-----BEGIN CERTIFICATE-----')) throw new OptionError(`probe: --ca file '${flags.ca}' holds no PEM certificate (no -----BEGIN CERTIFICATE----- line)`);
  }
  const { protocol: protocols, ca: _ca, ...rest } = flags;
  return { ...rest, url, protocols, ...(ca !== undefined ? { ca } : {}) };
}
