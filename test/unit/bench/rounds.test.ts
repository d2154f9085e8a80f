/** bench:perf's rounds: the order per round, medians with ranges, ratios round by round, and when a difference counts. */
import { describe, expect, it } from 'vitest';
import { compareSpreads, formatSpread, ratioSpread, roundOrder, spreadOf } from '../../../src/bench/rounds.js';

describe('roundOrder', () => {
  it('measures every target once per round, reversing the order every other round', () => {
    expect(roundOrder(['bare', 'app', 'nginx'], 3)).toEqual([['bare', 'app', 'nginx'], ['nginx', 'app', 'bare'], ['bare', 'app', 'nginx']]);
  });

  it('refuses a round count that is not a positive integer', () => {
    expect(() => roundOrder(['a'], 0)).toThrow(/positive integer/);
    expect(() => roundOrder(['a'], 1.5)).toThrow(/positive integer/);
  });
});

describe('spreads and ratios', () => {
  it('summarizes the rounds by median and range', () => {
    expect(spreadOf([5731, 22343, 9000])).toEqual({ median: 9000, min: 5731, max: 22343, n: 3 });
    expect(() => spreadOf([])).toThrow(/no rounds/);
  });

  it('takes a ratio round by round, so drift that hits both targets cancels', () => {
    // The machine halves its speed between rounds; the target is 80% of the baseline every time.
    const r = ratioSpread([8000, 4000, 6000], [10000, 5000, 7500]);
    expect(r.median).toBeCloseTo(0.8, 10);
    expect(r.max - r.min).toBeCloseTo(0, 10);
    expect(() => ratioSpread([1, 2], [1])).toThrow(/unpaired/);
  });

  it('says faster or slower only where the ranges do not overlap', () => {
    const a = spreadOf([100, 110, 120]);
    expect(compareSpreads(a, spreadOf([80, 90, 99]))).toBe('faster');
    expect(compareSpreads(spreadOf([80, 90, 99]), a)).toBe('slower');
    expect(compareSpreads(a, spreadOf([90, 100, 105]))).toBe('within the spread');
  });

  it('formats a median with its range, scaled', () => {
    expect(formatSpread(spreadOf([0.51, 0.65, 0.6]), 0, 100)).toBe('60 (51–65)');
    expect(formatSpread(spreadOf([0.51, 0.65, 0.6]), 0, 100, '%')).toBe('60% (51–65%)');
    expect(formatSpread(spreadOf([1234.4]))).toBe('1234');
  });
});
