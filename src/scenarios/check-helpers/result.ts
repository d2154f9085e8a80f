import type { CheckResult } from '../types.js';

/** A result whose ok-ness is the comparison itself, so a check cannot pass by accident. */
export function verdict(ok: boolean, figure: string, expected: string, seen: string, measured?: Record<string, number>): CheckResult {
  return { ok, figure, detail: `expected ${expected}; saw ${seen}`, ...(measured ? { measured } : {}) };
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

export function bytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) ? 1 : 0)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(n % 1024 ? 1 : 0)} KiB`;
  return `${n} B`;
}
