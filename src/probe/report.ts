/** The probe's findings as one object (--json prints it as is) and as text for a person. */
import type { EchoReport } from './echo.js';
import type { HandshakeReport } from './handshake.js';
import type { Cut, IdleReport, PingHoldReport } from './idle.js';
import type { Http2Report } from './http2.js';
import type { ReconnectReport } from './reconnect.js';
import { seconds } from '../scenarios/check-helpers/result.js';

export interface ProbeReport {
  url: string;
  offered: { protocols: string[]; deflate: boolean };
  handshake: HandshakeReport;
  /** Absent when the handshake failed or --echo-count is 0. */
  echo?: EchoReport;
  /** Absent when the handshake failed or --max-idle is 0. */
  idle?: IdleReport;
  /** The second idle run, with client pings; absent when the first one was not cut. */
  pings?: PingHoldReport;
  /** --reconnect: the reconnecting client after the idle cut; absent without a cut or an echo. */
  reconnect?: ReconnectReport;
  /** wss:// endpoints: WebSockets over HTTP/2 (offered or not, and the figures over that path). */
  http2?: Http2Report;
  /** Why a step did not run, or what a figure means. */
  notes: string[];
}

const ms = (v: number): string => (v < 10 ? `${v.toFixed(2)} ms` : `${v.toFixed(0)} ms`);
const s = seconds;

export function describeCut(cut: Cut): string {
  const how = cut.how === 'close-frame'
    ? `close frame from the far end, code ${cut.code}${cut.reason ? ` "${cut.reason}"` : ''}`
    : cut.how === 'tcp-reset'
      ? `TCP reset, no close frame (client sees ${cut.code})`
      : `TCP connection closed without a close frame (client sees ${cut.code})`;
  return `cut after ${cutTime(cut.afterMs, cut.afterSentMs, 'from the handshake\'s start')}: ${how}`;
}

/** A cut's time from the last byte received, and from the last sent where the two read differently. */
function cutTime(afterMs: number, afterSentMs: number | undefined, sentLabel: string): string {
  return afterSentMs !== undefined && s(afterSentMs) !== s(afterMs) ? `${s(afterMs)} (${s(afterSentMs)} ${sentLabel})` : s(afterMs);
}

function describeReconnect(r: ReconnectReport): string {
  const c = r.counts;
  const parts = [
    r.cutAfterMs !== undefined ? `cut after ${cutTime(r.cutAfterMs, r.cutAfterSentMs, 'from the last messages sent')} (${r.cutCode})` : undefined,
    r.reopenMs !== undefined ? `OPEN again ${s(r.reopenMs)} later (attempt ${r.attempts}, backoff ${r.delaysMs.map((d) => `${d} ms`).join(', ')})` : undefined,
    `${c.sent} sent, ${c.received} echoed${r.lossless ? ' exactly once, in order' : ` (${c.duplicates} duplicates, ${c.gaps} gaps, ${c.garbled} garbled)`}; ${r.queuedWhileDown} of them queued while disconnected`,
    r.note,
  ];
  return parts.filter((p) => p !== undefined).join('; ');
}

function handshakeLines(h: HandshakeReport, offered: ProbeReport['offered']): string[] {
  const who = h.answeredBy === 'app' ? 'the ws-proxy-bench app' : h.answeredBy === 'front' ? 'the ws-proxy-bench http-proxy front' : 'something else (no ws-proxy-bench identity header)';
  const lines = [h.status === 0
    ? `handshake    FAILED: no response (${h.error ?? 'unknown error'}) after ${ms(h.durationMs)}`
    : h.ok
      ? `handshake    101 Switching Protocols in ${ms(h.durationMs)}, answered by ${who}`
      : `handshake    FAILED: ${h.status}${h.error ? ` (${h.error})` : ''} in ${ms(h.durationMs)}, answered by ${who}`];
  for (const [name, value] of Object.entries(h.headers)) lines.push(`             ${name}: ${value}`);
  if (h.body) lines.push(`             body: ${JSON.stringify(h.body.slice(0, 200))}`);
  if (h.ok) {
    lines.push(`subprotocol  ${h.subprotocol || 'none'}${offered.protocols.length > 0 ? ` (offered: ${offered.protocols.join(', ')})` : ' (none offered)'}`);
    lines.push(`extensions   ${h.extensions || 'none'}${offered.deflate ? ' (offered: permessage-deflate)' : ' (none offered; --deflate offers permessage-deflate)'}`);
  }
  return lines;
}

function http2Lines(h: Http2Report): string[] {
  if (!h.advertised) {
    return [`http2        ${h.alpn === 'h2' ? 'h2 negotiated, but WebSockets over it not offered (no SETTINGS_ENABLE_CONNECT_PROTOCOL): browsers upgrade over HTTP/1.1' : `no h2 (ALPN ${h.alpn || 'none'}): browsers upgrade over HTTP/1.1`}`];
  }
  const lines = [`http2        WebSockets over h2 offered (RFC 8441); extended CONNECT ${h.handshake?.ok ? 'answered 200' : `failed: ${h.handshake?.error ?? 'no answer'}`}`];
  if (h.echo) {
    const rtt = h.echo.roundTripMs ? `round trip min ${ms(h.echo.roundTripMs.min)}, median ${ms(h.echo.roundTripMs.median)}, max ${ms(h.echo.roundTripMs.max)}` : '';
    lines.push(`  h2 echo    ${h.echo.echoes ? `echoes ${h.echo.echoed}/${h.echo.sent} messages; ${rtt}` : (h.echo.note ?? 'does not echo')}`);
  }
  if (h.idle) lines.push(`  h2 idle    ${h.idle.cut ? describeCut(h.idle.cut) : `not cut within ${s(h.idle.maxIdleMs)}`}`);
  if (h.pings) lines.push(`  h2 pings   a ping every ${s(h.pings.intervalMs)}: ${h.pings.held ? `still open after ${s(h.pings.heldMs)}` : `${h.pings.cut ? describeCut(h.pings.cut) : 'cut'}`}`);
  return lines;
}

export function formatReport(r: ProbeReport): string {
  const lines = [`probe ${r.url}`, ...handshakeLines(r.handshake, r.offered)];
  if (r.echo) {
    const e = r.echo;
    const rtt = e.roundTripMs ? `round trip min ${ms(e.roundTripMs.min)}, median ${ms(e.roundTripMs.median)}, max ${ms(e.roundTripMs.max)}` : '';
    lines.push(e.echoes ? `echo         echoes ${e.echoed}/${e.sent} messages; ${rtt}` : `echo         ${e.note ?? 'does not echo'}${rtt ? ` (${rtt} over ${e.echoed})` : ''}`);
  }
  if (r.idle) {
    const i = r.idle;
    const pings = i.serverPings > 0 ? ` (the far end sent ${i.serverPings} pings meanwhile, answered by the probe)` : '';
    lines.push(i.cut ? `idle         ${describeCut(i.cut)}${pings}` : `idle         not cut within ${s(i.maxIdleMs)}${pings}`);
  }
  if (r.pings) {
    const p = r.pings;
    const counts = `${p.pingsSent} pings sent, ${p.pongsReceived} pongs back`;
    lines.push(p.held
      ? `with pings   a ping every ${s(p.intervalMs)}: still open after ${s(p.heldMs)} (${counts}): pings keep it open`
      : `with pings   a ping every ${s(p.intervalMs)}: ${p.cut ? describeCut(p.cut) : 'cut'} (${counts}): pings do NOT keep it open`);
  }
  if (r.reconnect) lines.push(`reconnect    ${describeReconnect(r.reconnect)}`);
  if (r.http2) lines.push(...http2Lines(r.http2));
  for (const note of r.notes) lines.push(`note         ${note}`);
  return lines.join('\n');
}
