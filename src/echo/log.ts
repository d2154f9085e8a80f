/**
 * One line per connection event, on stdout by default: plain text
 * (`2026-11-24T13:29:13.000Z open #1 from 1.2.3.4 /ws`) or JSON lines. Tests inject a sink.
 */
export type LogSink = (line: string) => void;

export type EchoEvent =
  | { event: 'listening'; url: string; wsUrl: string }
  | { event: 'open'; id: number; remote: string; client: string; path: string; forwardedFor?: string; protocol?: string }
  | { event: 'close'; id: number; code: number; reason: string }
  | { event: 'ping timeout'; id: number; intervalMs: number }
  | { event: 'error'; id: number; message: string }
  | { event: 'refused'; status: number; reason: string; remote: string; method: string; url: string }
  | { event: 'shutdown'; code: number; connections: number };

export type EchoLogger = (entry: EchoEvent) => void;

export const stdoutSink: LogSink = (line) => {
  process.stdout.write(`${line}\n`);
};

export const silentSink: LogSink = () => {};

function plain(entry: EchoEvent): string {
  switch (entry.event) {
    case 'listening':
      return `listening on ${entry.url} (WebSocket at ${entry.wsUrl})`;
    case 'open':
      return `open #${entry.id} from ${entry.client}${entry.client !== entry.remote ? ` via ${entry.remote}` : ''} ${entry.path}${entry.forwardedFor ? ` (x-forwarded-for ${entry.forwardedFor})` : ''}${entry.protocol ? ` protocol ${entry.protocol}` : ''}`;
    case 'close':
      return `close #${entry.id} code ${entry.code}${entry.reason ? ` reason ${JSON.stringify(entry.reason)}` : ''}`;
    case 'ping timeout':
      return `ping timeout #${entry.id}: no pong within ${entry.intervalMs} ms, connection dropped`;
    case 'error':
      return `error #${entry.id}: ${entry.message}`;
    case 'refused':
      return `refused ${entry.status} ${entry.method} ${entry.url} from ${entry.remote}: ${entry.reason}`;
    case 'shutdown':
      return `shutting down: closing ${entry.connections} connection(s) with ${entry.code}`;
  }
}

/** How the app logs: plain text, JSON lines, or only what is not about one connection ('quiet', for runs that open thousands). */
export type LogFormat = 'plain' | 'json' | 'quiet';

/** The events 'quiet' leaves out: one per connection. */
const PER_CONNECTION: ReadonlySet<EchoEvent['event']> = new Set(['open', 'close', 'ping timeout', 'error']);

export function createLogger(format: LogFormat, sink: LogSink = stdoutSink): EchoLogger {
  return (entry) => {
    if (format === 'quiet' && PER_CONNECTION.has(entry.event)) return;
    const time = new Date().toISOString();
    sink(format === 'json' ? JSON.stringify({ time, ...entry }) : `${time} ${plain(entry)}`);
  };
}
