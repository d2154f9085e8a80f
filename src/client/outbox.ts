/**
 * The reconnecting client's outbox: every message gets a sequence number (1, 2, …) and waits here
 * until it is delivered. "Delivered" is either written to an open socket (the default), or, with
 * `keepUntilAcked`, acknowledged by the application (for an echo: its echo came back), so a
 * message in flight when the connection drops is sent again after reconnecting.
 *
 * Pure (no Node APIs): the echo page uses it too, bundled for the browser (src/echo/page-reconnect.ts).
 */
export type OutboxData = string | Uint8Array;

export interface OutboxEntry {
  seq: number;
  data: OutboxData;
}

export class Outbox {
  private entries: OutboxEntry[] = [];
  /** How many entries at the front have been written on the current connection. */
  private written = 0;
  private lastSeq = 0;

  constructor(private readonly keepUntilAcked: boolean) {}

  /** Adds a message; `make` receives the message's sequence number. */
  add(make: OutboxData | ((seq: number) => OutboxData)): OutboxEntry {
    const seq = ++this.lastSeq;
    const entry = { seq, data: typeof make === 'function' ? make(seq) : make };
    this.entries.push(entry);
    return entry;
  }

  /** The entries not yet written on the current connection, in order; marks them written. */
  takeUnwritten(): OutboxEntry[] {
    const out = this.entries.slice(this.written);
    if (this.keepUntilAcked) {
      this.written = this.entries.length;
    } else {
      this.entries = [];
      this.written = 0;
    }
    return out;
  }

  /** A new connection: whatever is still here must be written again. */
  rewind(): void {
    this.written = 0;
  }

  /** Drops every entry up to and including `seq` (its delivery is confirmed). */
  acknowledge(seq: number): void {
    let n = 0;
    while (n < this.entries.length && (this.entries[n] as OutboxEntry).seq <= seq) n++;
    if (n === 0) return;
    this.entries.splice(0, n);
    this.written = Math.max(0, this.written - n);
  }

  /** Messages not yet delivered (written, or acknowledged with keepUntilAcked). */
  get pending(): number {
    return this.entries.length;
  }
}
