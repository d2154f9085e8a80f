/**
 * The compatibility table: front setups as rows, checks as columns (by check id, in catalog
 * order), each cell pass/fail with its measured figure; below it, what failed and why, and
 * why rows were skipped.
 */
import { escapeMarkdown, markdownTable } from './markdown-table.js';
import type { Report, ReportScenario, Status } from './model.js';

export interface Cell { status: Status; text: string }

export interface Matrix {
  columns: string[];
  rows: { front: string; cells: Map<string, Cell> }[];
  /** Lines under the table: failures with detail, skip reasons, user configs. */
  notes: string[];
}

const MARK: Record<Status, string> = { pass: '✓', fail: '✗', skip: '–' };

/**
 * A row: the front setup, with the version it ran (read from its binary) and, in a run over
 * several image sets, the set: "nginx 1.26.3 [trixie]", "http-front (Node.js 20.19.2) [trixie]".
 * Rows group by setup and version.
 */
export function rowLabel(s: Pick<ReportScenario, 'front' | 'versions' | 'imageSet'>): string {
  const v = s.versions;
  const version = v ? (v.frontOf ? `(${v.frontOf} ${v.front})` : v.front) : undefined;
  return [s.front, version, s.imageSet ? `[${s.imageSet}]` : undefined].filter(Boolean).join(' ');
}

export function buildMatrix(scenarios: readonly ReportScenario[]): Matrix {
  const columns: string[] = [];
  const rows = new Map<string, Map<string, { status: Status; figures: string[] }>>();
  const notes: string[] = [];
  const skipNotes = new Map<string, number>();
  for (const s of scenarios) {
    const label = rowLabel(s);
    const row = rows.get(label) ?? new Map<string, { status: Status; figures: string[] }>();
    rows.set(label, row);
    let skipRef = '';
    if (s.skipped !== undefined) {
      const key = `${label}: ${s.skipped}`;
      if (!skipNotes.has(key)) skipNotes.set(key, skipNotes.size + 1);
      skipRef = ` [${skipNotes.get(key)}]`;
    }
    for (const c of s.checks) {
      if (!columns.includes(c.check)) columns.push(c.check);
      const figure = c.status === 'skip' ? `skipped${skipRef}` : c.figure;
      const cell = row.get(c.check);
      if (!cell) {
        row.set(c.check, { status: c.status, figures: [figure] });
      } else {
        cell.figures.push(figure);
        if (c.status === 'fail' || (c.status === 'skip' && cell.status === 'pass')) cell.status = c.status;
      }
      if (c.status === 'fail' && s.error === undefined) notes.push(`✗ ${s.scenario} ${c.check}: ${c.detail}`);
    }
    if (s.error !== undefined) notes.push(`✗ ${s.scenario}: ${s.error}`);
  }
  for (const [key, n] of skipNotes) notes.push(`[${n}] skipped ${key}`);
  for (const [front, file] of new Map(scenarios.filter((s) => s.config).map((s) => [s.front, s.config as string]))) {
    notes.push(`${front} ran with your config ${file}`);
  }
  return {
    columns,
    rows: [...rows].map(([front, cells]) => ({
      front,
      cells: new Map([...cells].map(([id, c]) => [id, { status: c.status, text: `${MARK[c.status]} ${[...new Set(c.figures)].join(' / ')}` }])),
    })),
    notes,
  };
}

export function grid(matrix: Matrix): string[][] {
  return [['front', ...matrix.columns], ...matrix.rows.map((r) => [r.front, ...matrix.columns.map((c) => r.cells.get(c)?.text ?? '')])];
}

export function summaryLine(report: Report): string {
  const s = report.counts.scenarios;
  const c = report.counts.checks;
  const where = report.mode === 'local' ? 'local mode (no Docker)' : 'containers';
  return `${s.pass + s.fail + s.skip} scenarios: ${s.pass} passed, ${s.fail} failed, ${s.skip} skipped; ` +
    `${c.pass + c.fail + c.skip} checks: ${c.pass} passed, ${c.fail} failed, ${c.skip} skipped; ` +
    `${(report.durationMs / 1000).toFixed(1)} s, ${where}, concurrency ${report.concurrency}`;
}

/** The table for a terminal: padded columns, a rule under the header, notes and the summary. */
export function renderTextTable(report: Report): string {
  const matrix = buildMatrix(report.scenarios);
  const cells = grid(matrix);
  const widths = (cells[0] ?? []).map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]): string => row.map((v, i) => v.padEnd(widths[i] ?? 0)).join(' | ').trimEnd();
  const [header = [], ...body] = cells;
  return [
    line(header),
    widths.map((w) => '-'.repeat(w)).join('-+-'),
    ...body.map(line),
    ...(matrix.notes.length > 0 ? ['', ...matrix.notes] : []),
    '',
    summaryLine(report),
  ].join('\n');
}

export function renderMarkdown(report: Report): string {
  const matrix = buildMatrix(report.scenarios);
  const [header = [], ...body] = grid(matrix);
  return [
    `# ws-proxy-bench compatibility report`,
    '',
    `${report.startedAt}, ws-proxy-bench ${report.version}. ${summaryLine(report)}.`,
    '',
    markdownTable(header, body),
    ...(matrix.notes.length > 0 ? ['', ...matrix.notes.map((n) => `- ${escapeMarkdown(n)}`)] : []),
    '',
  ].join('\n');
}
