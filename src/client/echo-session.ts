/**
 * An echo conversation that loses nothing across reconnects: each message carries its sequence
 * number, stays in the client's outbox until its echo comes back (ack by echo), and is written
 * again after a reconnect if it did not; echoes are deduplicated by number. The counts say
 * whether every message came back exactly once and in order.
 */
import { ReconnectingClient, type ReconnectingClientOptions } from './reconnecting-client.js';
import { parseSequenced, sequenced, SequenceReceiver } from './sequence.js';

export interface EchoCounts {
  sent: number;
  /** Echoes accepted: each number once, in order. */
  received: number;
  duplicates: number;
  gaps: number;
  /** Echoes that were not "<seq> <payload>" or did not match what was sent. */
  garbled: number;
}

export class EchoSession {
  readonly client: ReconnectingClient;
  private readonly receiver = new SequenceReceiver();
  private readonly payloads = new Map<number, string>();
  private sent = 0;
  private garbled = 0;
  private waiters: Array<() => void> = [];

  constructor(options: Omit<ReconnectingClientOptions, 'keepUntilAcked'>) {
    this.client = new ReconnectingClient({ ...options, keepUntilAcked: true });
    this.client.on('message', (data) => this.onEcho(data.toString('utf8')));
  }

  start(): this {
    this.client.start();
    return this;
  }

  send(payload: string): number {
    this.sent++;
    const seq = this.client.send((n) => sequenced(n, payload));
    this.payloads.set(seq, payload);
    return seq;
  }

  counts(): EchoCounts {
    return { sent: this.sent, received: this.receiver.last, duplicates: this.receiver.duplicates, gaps: this.receiver.gaps, garbled: this.garbled };
  }

  /** Resolves when every message sent so far has come back, or false after `timeoutMs`. */
  async allEchoed(timeoutMs: number): Promise<boolean> {
    if (this.receiver.last >= this.sent) return true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => { this.waiters = this.waiters.filter((w) => w !== check); resolve(false); }, timeoutMs);
      const check = (): void => {
        if (this.receiver.last < this.sent) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve(true);
      };
      this.waiters.push(check);
    });
  }

  stop(): Promise<void> {
    return this.client.stop();
  }

  private onEcho(text: string): void {
    const parsed = parseSequenced(text);
    if (!parsed || (this.payloads.has(parsed.seq) && this.payloads.get(parsed.seq) !== parsed.payload)) {
      this.garbled++;
      return;
    }
    if (this.receiver.accept(parsed.seq) === 'new') {
      this.payloads.delete(parsed.seq);
      this.client.acknowledge(parsed.seq);
    }
    for (const w of [...this.waiters]) w();
  }
}
