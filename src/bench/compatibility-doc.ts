/**
 * docs/compatibility.md from a run over every Debian suite (`npm run bench:matrix`): the exact
 * versions each suite ran (read from the running binaries), one table per front kind (scenario
 * check × version, each cell the measured figure), and the checks whose verdict or figure
 * differs between versions, each with what changed (src/bench/compatibility-notes.ts) or flagged
 * as unexplained.
 */
import { FRONTS } from '../fronts/index.js';
import { markdownTable } from '../report/markdown-table.js';
import type { Report, ReportCheck, ReportScenario } from '../report/model.js';
import { machineLines, type Machine } from './machine.js';

const MARK = { pass: '✓', fail: '✗', skip: '–' } as const;

/**
 * A figure with its measurements blurred (durations, counts, sizes, addresses), its codes kept
 * (HTTP statuses, close codes): 2.00 s against 2.01 s is no difference, 1001 against 1006 is.
 */
export function figureShape(figure: string): string {
  // Where the idle check says how far the cut came after the 101, that is a measurement too.
  figure = figure.replace(/, \d+(?:\.\d+)? s after the 101/g, '');
  const codeOrNumber = /(\b[1-5]\d{2}(?= from\b)|(?<=HTTP\/1\.[01] )[1-5]\d{2}|(?<=\()[1-4]\d{3}(?=\))|(?<=\b(?:close|code) )[1-4]\d{3}\b)|\d+(?:[.,]\d+)*/g;
  return figure.replace(codeOrNumber, (_number, code: string | undefined) => code ?? 'N');
}

export interface Difference {
  scenario: string;
  check: string;
  /** The cell per image set: "✓ cut after 2.00 s (1006)". */
  cells: Record<string, string>;
  /** What changed between the versions, from the notes; absent: unexplained. */
  explanation?: string;
}

type Notes = Readonly<Record<string, string>>;

function cell(c: ReportCheck | undefined): string {
  return c ? `${MARK[c.status]} ${c.figure}` : '(not run)';
}

/** Scenario → check → image set → the check's outcome. */
function index(report: Report): Map<string, Map<string, Map<string, ReportCheck>>> {
  const byScenario = new Map<string, Map<string, Map<string, ReportCheck>>>();
  for (const s of report.scenarios) {
    const checks = byScenario.get(s.scenario) ?? new Map<string, Map<string, ReportCheck>>();
    byScenario.set(s.scenario, checks);
    for (const c of s.checks) {
      const sets = checks.get(c.check) ?? new Map<string, ReportCheck>();
      checks.set(c.check, sets);
      sets.set(s.imageSet ?? 'configured', c);
    }
  }
  return byScenario;
}

/** The check a scenario reports instead of its own where the front's version refused its config (src/scenarios/run.ts). */
const CONFIG_REFUSED = 'config-refused';

/**
 * The checks whose status or figure (timings aside) is not the same on every image set. A
 * scenario that an older front refused on some set (its setup needs a newer one) is one
 * difference, explained by the refusal itself.
 */
export function findDifferences(report: Report, sets: readonly string[], notes: Notes = {}): Difference[] {
  const out: Difference[] = [];
  for (const [scenario, checks] of index(report)) {
    const refused = checks.get(CONFIG_REFUSED);
    if (refused) {
      const cells = Object.fromEntries(sets.map((set) => [set, refused.get(set) ? cell(refused.get(set)) : 'ran (see the table)']));
      const why = [...refused.values()].map((c) => c.figure).join('; ');
      out.push({ scenario, check: CONFIG_REFUSED, cells, explanation: notes[`${scenario} ${CONFIG_REFUSED}`] ?? `the setup needs a newer front than some versions have: ${why}` });
      continue;
    }
    for (const [check, bySet] of checks) {
      const shapes = new Set(sets.map((set) => { const c = bySet.get(set); return c ? `${c.status} ${figureShape(c.figure)}` : 'absent'; }));
      if (shapes.size <= 1) continue;
      const explanation = notes[`${scenario} ${check}`];
      out.push({ scenario, check, cells: Object.fromEntries(sets.map((set) => [set, cell(bySet.get(set))])), ...(explanation ? { explanation } : {}) });
    }
  }
  return out;
}

/** Each image set's versions, as read from the running binaries: kind → version (several if a kind's setups differed). */
export function versionsBySet(report: Report, sets: readonly string[]): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>(sets.map((s) => [s, new Map<string, string>()]));
  const add = (set: string, key: string, v: string): void => {
    const m = out.get(set);
    if (!m) return;
    const seen = m.get(key);
    if (!seen) m.set(key, v);
    else if (!seen.split(', ').includes(v)) m.set(key, `${seen}, ${v}`);
  };
  for (const s of report.scenarios) {
    if (!s.versions || !s.imageSet) continue;
    add(s.imageSet, s.kind, s.versions.front);
    if (s.versions.appNode) add(s.imageSet, 'app (Node.js)', s.versions.appNode);
  }
  return out;
}

function header(set: string, versions: Map<string, string> | undefined, kind: string): string {
  const v = versions?.get(kind);
  return v ? `${set} (${v})` : set;
}

/**
 * One front kind's checks (optionally one family's) as a table: scenario and check as rows, one
 * column per image set with the version it ran, each cell the measured figure. Empty when the
 * report has none.
 */
export function checksTable(report: Report, sets: readonly string[], kind: string, family?: ReportScenario['family']): string {
  const versions = versionsBySet(report, sets);
  const scenarios = [...new Set(report.scenarios.filter((s) => s.kind === kind && (family === undefined || s.family === family)).map((s) => s.scenario))];
  if (scenarios.length === 0) return '';
  const checks = index(report);
  const rows: string[][] = [];
  for (const scenario of scenarios) {
    for (const [check, bySet] of checks.get(scenario) ?? []) rows.push([`\`${scenario}\``, check, ...sets.map((s) => cell(bySet.get(s)))]);
  }
  return markdownTable(['scenario', 'check', ...sets.map((s) => header(s, versions.get(s), kind))], rows);
}

export function renderCompatibility(report: Report, sets: readonly string[], machine: Machine, notes: Notes = {}): string {
  const versions = versionsBySet(report, sets);
  const differences = findDifferences(report, sets, notes);
  const kinds = ['app (Node.js)', ...FRONTS.map((f) => f.kind)];
  const lines: string[] = [
    '# Compatibility: every scenario on every release line',
    '',
    'Generated by `npm run bench:matrix` (src/bench/matrix.ts): every scenario of the catalog on the',
    "offline image set of each Debian suite, each front's version read from its running binary",
    '(`nginx -v`, `haproxy -v`, `httpd -v`, `caddy version`, `node --version`). Do not edit by hand.',
    '',
    ...machineLines(machine),
    `- run: ${report.counts.scenarios.pass + report.counts.scenarios.fail + report.counts.scenarios.skip} scenario runs, ` +
      `${report.counts.checks.pass} checks passed, ${report.counts.checks.fail} failed, ${report.counts.checks.skip} skipped, ` +
      `${(report.durationMs / 1000).toFixed(0)} s at concurrency ${report.concurrency}`,
    '',
    '## Versions measured',
    '',
    markdownTable(['', ...sets], kinds.map((k) => [k, ...sets.map((s) => versions.get(s)?.get(k) ?? '—')])),
    '',
    '## Where versions behave differently',
    '',
  ];
  if (differences.length === 0) {
    lines.push('Every check gave the same verdict and the same figure (timings aside) on every version.');
  } else {
    for (const d of differences) {
      lines.push(`- **\`${d.scenario}\` ${d.check}**: ${sets.map((s) => `${s} ${d.cells[s] ?? ''}`).join('; ')}.`);
      lines.push(`  ${d.explanation ?? '**Unexplained**: no note in src/bench/compatibility-notes.ts says what changed; investigate before relying on this row.'}`);
    }
  }
  for (const front of FRONTS) {
    const table = checksTable(report, sets, front.kind);
    if (table) lines.push('', `## ${front.title}`, '', table);
  }
  return `${lines.join('\n')}\n`;
}
