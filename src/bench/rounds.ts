/**
 * Measuring several targets on a shared machine: each target once per round, in an order that
 * changes from round to round, so slow drift (a noisy neighbour, a warming cache) falls on every
 * target alike; then each target's median and spread, ratios with their spread, and a comparison
 * that says "faster" or "slower" only where the spreads do not overlap.
 */
import { median } from '../probe/echo.js';

/** The rounds a run needs for a median and a spread that mean something. */
export const MIN_ROUNDS = 3;

/**
 * The order of the targets in each round: as given, then reversed, then as given, … (A B C,
 * C B A, A B C): every target is measured early and late, and each neighbour pair both ways.
 */
export function roundOrder<T>(targets: readonly T[], rounds: number): T[][] {
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`rounds must be a positive integer, not ${rounds}`);
  return Array.from({ length: rounds }, (_, i) => (i % 2 === 0 ? [...targets] : [...targets].reverse()));
}

/** One figure over the rounds: its median and its range. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  /** The rounds it is taken over. */
  n: number;
}

export function spreadOf(values: readonly number[]): Spread {
  if (values.length === 0) throw new Error('no rounds to summarize');
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), n: values.length };
}

/**
 * `target` over `baseline`, round by round (both were measured in every round, close in time):
 * the median ratio and the range of the per-round ratios.
 */
export function ratioSpread(target: readonly number[], baseline: readonly number[]): Spread {
  if (target.length !== baseline.length) throw new Error(`ratio over unpaired rounds: ${target.length} against ${baseline.length}`);
  return spreadOf(target.map((t, i) => t / (baseline[i] as number)));
}

export type Comparison = 'faster' | 'slower' | 'within the spread';

/**
 * Higher is faster (msg/s). "faster" or "slower" only when the two ranges do not overlap;
 * otherwise the difference is within the noise of the rounds.
 */
export function compareSpreads(a: Spread, b: Spread): Comparison {
  if (a.min > b.max) return 'faster';
  if (a.max < b.min) return 'slower';
  return 'within the spread';
}

/** "12345 (11900–12800)", or with a unit "96% (88–98%)": a median with its range, scaled and rounded to `digits`. */
export function formatSpread(s: Spread, digits = 0, scale = 1, unit = ''): string {
  const f = (n: number): string => `${(n * scale).toFixed(digits)}${unit}`;
  return s.n > 1 ? `${f(s.median)} (${(s.min * scale).toFixed(digits)}–${f(s.max)})` : f(s.median);
}
