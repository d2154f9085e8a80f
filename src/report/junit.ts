/** JUnit XML: a testsuite per scenario, a testcase per check; failures with detail, skips with reason. */
import type { Report } from './model.js';

export function escapeXml(text: string): string {
  // Characters XML 1.0 does not allow at all are dropped; the five specials are escaped.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const secs = (ms: number): string => (ms / 1000).toFixed(3);

export function renderJunit(report: Report): string {
  const c = report.counts.checks;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="ws-proxy-bench" tests="${c.pass + c.fail + c.skip}" failures="${c.fail}" skipped="${c.skip}" time="${secs(report.durationMs)}" timestamp="${report.startedAt}">`,
  ];
  for (const s of report.scenarios) {
    const failures = s.checks.filter((k) => k.status === 'fail').length;
    const skipped = s.checks.filter((k) => k.status === 'skip').length;
    const name = s.imageSet ? `${s.scenario} [${s.imageSet}]` : s.scenario;
    const properties = [
      ['front', s.front], ['summary', s.summary], ['config', s.config], ['imageSet', s.imageSet],
      ['frontVersion', s.versions?.front], ['appNodeVersion', s.versions?.appNode],
    ].filter((p): p is [string, string] => p[1] !== undefined);
    lines.push(`  <testsuite name="${escapeXml(name)}" tests="${s.checks.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${secs(s.durationMs)}">`);
    lines.push(`    <properties>${properties.map(([k, v]) => `<property name="${k}" value="${escapeXml(v)}"/>`).join('')}</properties>`);
    for (const k of s.checks) {
      const open = `    <testcase classname="${escapeXml(name)}" name="${escapeXml(`${k.check}: ${k.title}`)}" time="${secs(k.durationMs)}"`;
      if (k.status === 'pass') {
        lines.push(`${open}>`, `      <system-out>${escapeXml(k.figure)}</system-out>`, '    </testcase>');
      } else if (k.status === 'skip') {
        lines.push(`${open}>`, `      <skipped message="${escapeXml(k.detail)}"/>`, '    </testcase>');
      } else {
        lines.push(`${open}>`, `      <failure message="${escapeXml(k.figure)}">${escapeXml(k.detail)}</failure>`, '    </testcase>');
      }
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
