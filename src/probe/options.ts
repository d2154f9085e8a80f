/**
 * `ws-proxy-bench probe` options: one positional ws:// or wss:// URL, repeatable --protocol, and
 * the rest validated by the shared option machinery (src/options.ts), so a bad value is refused
 * the same way everywhere.
 */
import { readFileSync } from 'node:fs';
import { boolean, duration, HTTP_TOKEN, integer, option, OptionError, resolveOptions, text, type OptionValues } from '../options.js';


export const probeOptionSpecs = {
  protocol: option({
    flag: '--protocol', default: '', ...text('a subprotocol name (a token such as chat.v1); repeat the flag to offer several', (v) => HTTP_TOKEN.test(v)),
    help: 'offer this subprotocol in the handshake (repeatable)',
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
  json: option({ flag: '--json', default: false, bare: true, ...boolean, help: 'print one JSON document instead of text' }),
};

export type ProbeFlags = OptionValues<typeof probeOptionSpecs>;

export interface ProbeOptions extends Omit<ProbeFlags, 'protocol' | 'ca'> {
  url: string;
  protocols: string[];
  /** PEM contents of --ca. */
  ca?: string;
}

/** Splits the URL (the one argument not starting with --) and the repeated --protocol flags out. */
function split(argv: readonly string[]): { positional: string[]; protocols: string[]; rest: string[] } {
  const positional: string[] = [];
  const protocols: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--protocol' || arg.startsWith('--protocol=')) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (value === undefined) throw new OptionError(`probe: --protocol needs a value: ${probeOptionSpecs.protocol.allowed}`);
      protocols.push(value);
      continue;
    }
    if (!arg.startsWith('-')) {
      positional.push(arg);
      continue;
    }
    rest.push(arg);
    const spec = Object.values(probeOptionSpecs).find((s) => s.flag === arg);
    // A value-taking flag keeps its value with it, even one that does not start with --.
    if (spec && spec.bare === undefined && argv[i + 1] !== undefined) rest.push(argv[++i] as string);
  }
  return { positional, protocols, rest };
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
  const { positional, protocols, rest } = split(argv);
  if (positional.length !== 1) {
    throw new OptionError(positional.length === 0
      ? 'probe: which endpoint? give a ws:// or wss:// URL, e.g. ws-proxy-bench probe ws://127.0.0.1:8080/ws'
      : `probe: one URL at a time; got ${positional.map((p) => `'${p}'`).join(', ')}`);
  }
  const url = wsUrl(positional[0] as string);
  for (const p of protocols) resolveOptions({ protocol: probeOptionSpecs.protocol }, { argv: ['--protocol', p], command: 'probe' });
  const flags = resolveOptions(probeOptionSpecs, { argv: rest, env, command: 'probe' });
  const secure = url.startsWith('wss:');
  if (!secure && (flags.insecure || flags.ca !== '')) {
    throw new OptionError(`probe: ${flags.insecure ? '--insecure' : '--ca'} applies to wss:// URLs only; ${url} is plain ws://`);
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
  const { protocol: _protocol, ca: _ca, ...rest2 } = flags;
  return { ...rest2, url, protocols, ...(ca !== undefined ? { ca } : {}) };
}
