import { describe, expect, it } from 'vitest';
import { buildReport, exitCode } from '../../../src/run/build-report.js';
import { fixedReport } from '../report/sample-report.js';

describe('the report a run builds', () => {
  it('counts scenarios and checks; a failure fails the run, a skip never passes', () => {
    const report = fixedReport();
    expect(report.counts).toEqual({ scenarios: { pass: 2, fail: 2, skip: 1 }, checks: { pass: 3, fail: 2, skip: 2 } });
    expect(report.ok).toBe(false);
    expect(exitCode(report)).toBe(1);
    const skip = report.scenarios.find((s) => s.scenario === 'caddy/upgrade');
    expect(skip?.checks.map((c) => c.status)).toEqual(['skip', 'skip']);
    const onlyPassAndSkip = buildReport({ ...report, startedAt: new Date(report.startedAt), scenarios: report.scenarios.filter((s) => s.status !== 'fail') });
    expect(exitCode(onlyPassAndSkip)).toBe(0);
  });
});
