/**
 * Sequence-numbered messages for an echo: the text form is "<seq> <payload>". The receiving side
 * keeps what arrives exactly once and in order: a number seen before is a duplicate (a message
 * resent after a reconnect whose first copy did arrive), a number past the next expected one is
 * a gap (a message lost for good). Together with an outbox that keeps messages until their echo
 * comes back, this gives "every message back exactly once, in order" over a connection that drops.
 */

export function sequenced(seq: number, payload: string): string {
  return `${seq} ${payload}`;
}

export function parseSequenced(text: string): { seq: number; payload: string } | undefined {
  const space = text.indexOf(' ');
  const seq = Number(space < 0 ? text : text.slice(0, space));
  if (!Number.isSafeInteger(seq) || seq < 1) return undefined;
  return { seq, payload: space < 0 ? '' : text.slice(space + 1) };
}

export type Arrival = 'new' | 'duplicate' | 'gap';

export class SequenceReceiver {
  /** The highest number accepted so far (all below it accepted too). */
  last = 0;
  duplicates = 0;
  gaps = 0;

  accept(seq: number): Arrival {
    if (seq <= this.last) {
      this.duplicates++;
      return 'duplicate';
    }
    if (seq > this.last + 1) {
      this.gaps++;
      return 'gap';
    }
    this.last = seq;
    return 'new';
  }
}
