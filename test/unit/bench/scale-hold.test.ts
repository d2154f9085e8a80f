/** The scale hold's idle timeout and what a hold of a given length shows. */
import { describe, expect, it } from 'vitest';
import { holdClaim, holdIdleTimeoutSeconds, holdShowsPings } from '../../../src/bench/scale-hold.js';

describe('the scale hold', () => {
  it('sets the fronts\' idle timeout at one and a half ping intervals, in whole seconds', () => {
    expect(holdIdleTimeoutSeconds(30_000)).toBe(45);
    expect(holdIdleTimeoutSeconds(25_000)).toBe(38);
    expect(holdIdleTimeoutSeconds(1_000)).toBe(2);
  });

  it('shows the pings at work only when every connection is held past the idle timeout', () => {
    expect(holdShowsPings(60_000, 30_000)).toBe(true);
    expect(holdShowsPings(45_000, 30_000)).toBe(false);
    expect(holdShowsPings(30_000, 30_000)).toBe(false);
  });

  it('says which, with the figures', () => {
    expect(holdClaim(60_000, 30_000)).toBe('the app pings every 30 s, each front\'s idle timeout is 45 s, and every connection is held at least 60 s: only the pings keep them open');
    expect(holdClaim(40_000, 30_000)).toBe('the app pings every 30 s, each front\'s idle timeout is 45 s, longer than the 40 s hold: the hold does not show that the pings keep them open');
  });
});
