/**
 * `ws-proxy-bench probe <ws:// or wss:// URL>`: diagnoses a deployment: handshake, agreed
 * subprotocol and extensions, echo round trip, idle timeout, and whether pings keep a connection
 * open. Exit code 0 when the handshake succeeded, 1 when it failed, 2 for bad usage.
 */
import { OptionError, optionsHelp } from '../options.js';
import { connect, discard, type ConnectOptions } from '../scenarios/check-helpers/client.js';
import { PRODUCT } from '../version.js';
import { probeEcho } from './echo.js';
import { probeHandshake } from './handshake.js';
import { defaultPingInterval, findIdleCut, holdWithPings, pingHoldDuration } from './idle.js';
import { probeOptionSpecs, resolveProbeOptions, type ProbeOptions } from './options.js';
import { probeHttp2 } from './http2.js';
import { probeReconnect } from './reconnect.js';
import { formatReport, type ProbeReport } from './report.js';

export interface ProbeIo {
  env?: Record<string, string | undefined>;
  out?: (line: string) => void;
  /** Errors and progress lines (kept off stdout, so --json output stays one document). */
  err?: (line: string) => void;
}

const HELP = `Usage: ws-proxy-bench probe <ws:// or wss:// URL> [options]   (${PRODUCT})

Diagnoses a WebSocket endpoint: handshake status and headers (who answered), the subprotocol and
extensions agreed, the echo round trip (if the far end echoes), the idle timeout (how long an
idle connection lives, and how it is cut), whether client pings keep it open, and with
--reconnect how long the project's reconnecting client takes to be back after that cut.
Exit code: 0 handshake succeeded, 1 handshake failed, 2 bad usage.

Options:
${optionsHelp(probeOptionSpecs)}

Examples:
  ws-proxy-bench probe ws://127.0.0.1:8080/ws
  ws-proxy-bench probe wss://example.com/ws --protocol chat.v1 --deflate --max-idle 5m
    offers the subprotocol chat.v1: a server that chooses no subprotocol (its 101 carries no
    Sec-WebSocket-Protocol) fails the handshake of a client that asked for one, as browsers do,
    so the probe reports it as failed; leave --protocol out to probe such a server.`;

/** --reconnect: the client must be OPEN again within this long after the cut. */
const RECONNECT_LIMIT_MS = 15_000;

export async function probe(options: ProbeOptions, progress: (line: string) => void = () => {}): Promise<ProbeReport> {
  const connectOptions: ConnectOptions = {
    timeoutMs: options.timeout,
    protocols: options.protocols,
    perMessageDeflate: options.deflate,
    ...(options.insecure ? { rejectUnauthorized: false } : {}),
    ...(options.ca !== undefined ? { ca: options.ca } : {}),
  };
  const { report: handshake, outcome } = await probeHandshake(options.url, connectOptions);
  const report: ProbeReport = { url: options.url, offered: { protocols: options.protocols, deflate: options.deflate }, handshake, notes: [] };
  try {
    if (outcome.socket && options.echoCount > 0) {
      progress(`echo: sending ${options.echoCount} small messages, one at a time`);
      report.echo = await probeEcho(outcome.socket, options.echoCount, options.echoTimeout);
    }
  } finally {
    outcome.socket?.close(1000);
    discard(outcome.socket);
  }
  if (!report.handshake.ok) return report;
  // Every wss:// endpoint: is the path browsers take over h2 there, and does it echo? (--http2: idle figures too.)
  if (options.url.startsWith('wss://')) {
    try {
      report.http2 = await probeHttp2(options, options.http2, progress);
    } catch (err) {
      report.notes.push(`the HTTP/2 probe failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const noReconnect = (why: string): void => {
    if (options.reconnect) report.notes.push(`reconnect test skipped: it loses a connection to the idle cut, and ${why}`);
  };
  if (options.maxIdle === 0) {
    report.notes.push('idle-timeout finder skipped (--max-idle 0)');
    noReconnect('the idle-timeout finder did not run');
    return report;
  }
  const openSocket = () => connect(options.url, connectOptions);
  report.idle = await findIdleCut(openSocket, options.maxIdle, progress);
  const cut = report.idle.cut;
  if (!cut) {
    report.notes.push(report.idle.serverPings > 0
      ? `nothing cut an idle connection within ${options.maxIdle / 1000} s, with the far end's own pings flowing; pings test not needed`
      : `nothing cut an idle connection within ${options.maxIdle / 1000} s; raise --max-idle to look further`);
    noReconnect('none was found');
    return report;
  }
  const interval = options.pingInterval > 0 ? options.pingInterval : defaultPingInterval(cut.afterMs);
  report.pings = await holdWithPings(openSocket, interval, pingHoldDuration(cut.afterMs), progress);
  if (report.pings.held && report.idle.serverPings > 0) {
    report.notes.push('the far end pings too: the idle cut above happened despite its pings');
  }
  if (options.reconnect) {
    if (!report.echo?.echoes) {
      report.notes.push('reconnect test skipped: it counts echoes, and the far end does not echo (or --echo-count is 0)');
    } else {
      report.reconnect = await probeReconnect({
        url: options.url,
        idleCutMs: cut.afterMs,
        handshakeTimeoutMs: options.timeout,
        echoTimeoutMs: options.echoTimeout,
        reopenLimitMs: RECONNECT_LIMIT_MS,
        ...(options.ca !== undefined ? { ca: options.ca } : {}),
        ...(options.insecure ? { rejectUnauthorized: false } : {}),
      }, progress);
    }
  }
  return report;
}

export async function runProbeCommand(argv: string[], io: ProbeIo = {}): Promise<number> {
  const out = io.out ?? ((line: string) => console.log(line));
  const err = io.err ?? ((line: string) => console.error(line));
  if (argv.includes('--help') || argv.includes('-h')) {
    out(HELP);
    return 0;
  }
  let options: ProbeOptions;
  try {
    options = resolveProbeOptions(argv, io.env ?? {});
  } catch (e) {
    if (e instanceof OptionError) {
      err(e.message); // names the command itself (withCommand)
      return 2;
    }
    throw e;
  }
  const report = await probe(options, (line) => err(`[probe] ${line}`));
  out(options.json ? JSON.stringify(report, null, 2) : formatReport(report));
  return report.handshake.ok ? 0 : 1;
}
