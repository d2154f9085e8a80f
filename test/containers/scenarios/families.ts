import type { Scenario } from '../../../src/scenarios/types.js';

/** The faults and security families run in their own files (faults-<front>.test.ts), beside the per-front suites. */
export function isFaultOrSecurity(s: Scenario): boolean {
  return s.family === 'faults' || s.family === 'security';
}
