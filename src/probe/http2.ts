/**
 * The probe over HTTP/2 (RFC 8441), for wss:// endpoints: whether the TLS listener negotiates h2
 * and advertises extended CONNECT; then, where it does, the handshake (the CONNECT's status),
 * the echo round trip over an h2 stream, and with --http2 the idle-timeout finder and the pings
 * hold over that path, the same measurements as over HTTP/1.1.
 */
import { openH2WebSocket, probeH2, type H2ConnectOptions, type H2Session } from '../scenarios/check-helpers/h2-websocket.js';
import { probeEcho, type EchoReport } from './echo.js';
import { defaultPingInterval, findIdleCut, holdWithPings, pingHoldDuration, type IdleReport, type Opener, type PingHoldReport } from './idle.js';
import type { ProbeOptions } from './options.js';

export interface Http2Report {
  /** The ALPN protocol the listener chose ('h2', 'http/1.1'), or false for none. */
  alpn: string | false;
  /** SETTINGS_ENABLE_CONNECT_PROTOCOL in the server's SETTINGS: WebSockets over h2 offered. */
  advertised: boolean;
  /** The extended CONNECT's outcome, where offered. */
  handshake?: { ok: boolean; status: number; error?: string };
  echo?: EchoReport;
  /** --http2: the idle-timeout finder and the pings hold over an h2 stream. */
  idle?: IdleReport;
  pings?: PingHoldReport;
}

export async function probeHttp2(options: ProbeOptions, full: boolean, progress: (line: string) => void): Promise<Http2Report> {
  const h2options: H2ConnectOptions = {
    timeoutMs: options.timeout,
    ...(options.insecure ? { insecure: true } : {}),
    ...(options.ca !== undefined ? { ca: options.ca } : {}),
  };
  progress('http2: does the listener negotiate h2 and offer WebSockets over it (SETTINGS_ENABLE_CONNECT_PROTOCOL)?');
  const found = await probeH2(options.url, h2options);
  const report: Http2Report = { alpn: found.alpn, advertised: found.connectProtocol };
  if (!found.connectProtocol) return report;
  const sessions: H2Session[] = [];
  const opener: Opener = async () => {
    // Taken before the TLS connection: the extended CONNECT goes out after it.
    const requestSentAt = performance.now();
    const { h2, socket } = await openH2WebSocket(options.url, { ...h2options, protocols: options.protocols });
    sessions.push(h2);
    return { status: 101, headers: {}, socket: socket.ws, requestSentAt };
  };
  try {
    let first;
    try {
      first = await opener();
      report.handshake = { ok: true, status: 200 };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      report.handshake = { ok: false, status: Number(/status (\d{3})/.exec(message)?.[1] ?? 0), error: message };
      return report;
    }
    if (first.socket && options.echoCount > 0) {
      progress(`http2: echo, ${options.echoCount} small messages over an h2 stream`);
      report.echo = await probeEcho(first.socket, options.echoCount, options.echoTimeout);
    }
    first.socket?.close(1000);
    if (!full || options.maxIdle === 0) return report;
    report.idle = await findIdleCut(opener, options.maxIdle, (l) => progress(`http2: ${l}`));
    const cut = report.idle.cut;
    if (cut) {
      const interval = options.pingInterval > 0 ? options.pingInterval : defaultPingInterval(cut.afterMs);
      report.pings = await holdWithPings(opener, interval, pingHoldDuration(cut.afterMs), (l) => progress(`http2: ${l}`));
    }
    return report;
  } finally {
    for (const s of sessions) s.close();
  }
}
