import { describe, expect, it } from 'vitest';
import { Outbox } from '../../../src/client/outbox.js';
import { parseSequenced, sequenced, SequenceReceiver } from '../../../src/client/sequence.js';

describe('sequence numbers and the outbox', () => {
  it('round-trips "<seq> <payload>" and refuses what is not one', () => {
    expect(parseSequenced(sequenced(7, 'a b'))).toEqual({ seq: 7, payload: 'a b' });
    expect(parseSequenced('x y')).toBeUndefined();
    expect(parseSequenced('0 zero')).toBeUndefined();
  });

  it('the receiver keeps each number once, in order: repeats are duplicates, jumps are gaps', () => {
    const r = new SequenceReceiver();
    expect([1, 2, 2, 1, 3, 5, 4].map((n) => r.accept(n))).toEqual(['new', 'new', 'duplicate', 'duplicate', 'new', 'gap', 'new']);
    expect({ last: r.last, duplicates: r.duplicates, gaps: r.gaps }).toEqual({ last: 4, duplicates: 2, gaps: 1 });
  });

  it('keepUntilAcked: written entries stay until acknowledged and are written again after a rewind', () => {
    const o = new Outbox(true);
    o.add('a'); o.add((seq) => `b${seq}`); o.add('c');
    expect(o.takeUnwritten().map((e) => e.data)).toEqual(['a', 'b2', 'c']);
    expect(o.takeUnwritten()).toEqual([]);
    o.acknowledge(1);
    o.add('d');
    expect(o.takeUnwritten().map((e) => e.seq)).toEqual([4]);
    o.rewind(); // reconnected: 2, 3 and 4 were never acknowledged
    expect(o.takeUnwritten().map((e) => e.seq)).toEqual([2, 3, 4]);
    o.acknowledge(4);
    expect(o.pending).toBe(0);
  });

  it('without acks an entry is done once written', () => {
    const o = new Outbox(false);
    o.add('a'); o.add('b');
    expect(o.takeUnwritten().map((e) => e.seq)).toEqual([1, 2]);
    o.rewind();
    expect(o.takeUnwritten()).toEqual([]);
    expect(o.pending).toBe(0);
  });
});
