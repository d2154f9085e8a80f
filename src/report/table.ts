/**
 * The compatibility table: front setups as rows, checks as columns (by check id, in catalog
 * order), each cell pass/fail with its measured figure; below it, what failed and why, and
 * why rows were skipped. In a terminal the default is its summary instead (front setups ×
 * scenario families, each cell the checks passed, within TERMINAL_WIDTH columns); `run --wide`
 * prints the full table.
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

/** The number of each distinct skip reason of a row ("[1] skipped caddy: …"), in order. */
function skipNumbers(scenarios: readonly ReportScenario[]): Map<string, number> {
  const numbers = new Map<string, number>();
  for (const s of scenarios) {
    const key = skipKey(s);
    if (key !== undefined && !numbers.has(key)) numbers.set(key, numbers.size + 1);
  }
  return numbers;
}

const skipKey = (s: ReportScenario): string | undefined => (s.skipped === undefined ? undefined : `${rowLabel(s)}: ${s.skipped}`);

export function buildMatrix(scenarios: readonly ReportScenario[]): Matrix {
  const columns: string[] = [];
  const rows = new Map<string, Map<string, { status: Status; figures: string[] }>>();
  const notes: string[] = [];
  const skipNotes = skipNumbers(scenarios);
  for (const s of scenarios) {
    const label = rowLabel(s);
    const row = rows.get(label) ?? new Map<string, { status: Status; figures: string[] }>();
    rows.set(label, row);
    const key = skipKey(s);
    const skipRef = key === undefined ? '' : ` [${skipNotes.get(key)}]`;
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

/** How wide the default terminal table may be. */
export const TERMINAL_WIDTH = 120;

/** Padded columns with a rule under the header. */
function textGrid(cells: string[][]): string[] {
  const widths = (cells[0] ?? []).map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]): string => row.map((v, i) => v.padEnd(widths[i] ?? 0)).join(' | ').trimEnd();
  const [header = [], ...body] = cells;
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-+-'), ...body.map(line)];
}

/**
 * Front setups × scenario families, each cell the checks of that setup's scenarios in that
 * family: "pass 8/8", "FAIL 1/3" (passed of those that ran), "skip [1]" when none ran (the
 * note of that number says why), "pass 2/2 +1 skip" when some did not.
 */
export function buildSummary(scenarios: readonly ReportScenario[]): { families: string[]; rows: { front: string; cells: Map<string, string> }[] } {
  const families: string[] = [];
  const counts = new Map<string, Map<string, { pass: number; fail: number; skip: number; refs: Set<number> }>>();
  const skipNotes = skipNumbers(scenarios);
  for (const s of scenarios) {
    if (!families.includes(s.family)) families.push(s.family);
    const label = rowLabel(s);
    const row = counts.get(label) ?? new Map<string, { pass: number; fail: number; skip: number; refs: Set<number> }>();
    counts.set(label, row);
    const cell = row.get(s.family) ?? { pass: 0, fail: 0, skip: 0, refs: new Set<number>() };
    row.set(s.family, cell);
    for (const c of s.checks) cell[c.status]++;
    const key = skipKey(s);
    if (key !== undefined) cell.refs.add(skipNotes.get(key) ?? 0);
  }
  const text = (c: { pass: number; fail: number; skip: number; refs: Set<number> }): string => {
    const refs = [...c.refs].map((n) => `[${n}]`).join('');
    const ran = c.pass + c.fail;
    if (ran === 0) return `skip ${refs}`.trimEnd();
    return `${c.fail > 0 ? 'FAIL' : 'pass'} ${c.pass}/${ran}${c.skip > 0 ? ` +${c.skip} skip${refs}` : ''}`;
  };
  return {
    families,
    rows: [...counts].map(([front, row]) => ({ front, cells: new Map([...row].map(([family, c]) => [family, text(c)])) })),
  };
}

/** A row label no wider than this (a long setup name, version and image set), so the table fits. */
const LABEL_WIDTH = 56;
const fitLabel = (label: string): string => (label.length <= LABEL_WIDTH ? label : `${label.slice(0, LABEL_WIDTH - 1)}…`);

/**
 * The summary as text within `width` columns: when the families do not fit beside the front
 * column, they are split into several tables (each with the front column, and only the rows
 * that have a cell in it).
 */
function summaryTables(scenarios: readonly ReportScenario[], width: number): string[] {
  const { families, rows } = buildSummary(scenarios);
  const labels = rows.map((r) => fitLabel(r.front));
  const frontWidth = Math.max('front'.length, ...labels.map((l) => l.length));
  const columnWidth = (family: string): number => Math.max(family.length, ...rows.map((r) => r.cells.get(family)?.length ?? 0));
  const blocks: string[][] = [];
  let used = frontWidth;
  for (const family of families) {
    const w = columnWidth(family) + 3;
    const last = blocks.at(-1);
    if (last && used + w <= width) {
      last.push(family);
      used += w;
    } else {
      blocks.push([family]);
      used = frontWidth + w;
    }
  }
  return blocks.flatMap((block, n) => {
    const body = rows
      .map((r, i) => [labels[i] ?? r.front, ...block.map((f) => r.cells.get(f) ?? '')])
      .filter((cells) => cells.slice(1).some((c) => c !== ''));
    return [...(n > 0 ? [''] : []), ...textGrid([['front', ...block], ...body])];
  });
}

/** A long line (a failure's detail, the summary) folded at spaces to `width`, continued indented. */
function fold(line: string, width: number): string[] {
  const out: string[] = [];
  let rest = line;
  while (rest.length > width) {
    const cut = rest.lastIndexOf(' ', width);
    if (cut <= 2) break;
    out.push(rest.slice(0, cut));
    rest = `  ${rest.slice(cut + 1)}`;
  }
  return [...out, rest];
}

export interface TextTableOptions {
  /** Every check as a column (the full table), however wide; default: the summary by family. */
  wide?: boolean;
  width?: number;
}

/**
 * The table for a terminal: by default the summary (front setups × families) within
 * TERMINAL_WIDTH; with `wide`, every check as a column. Under it what failed and why, why rows
 * were skipped, and the run's counts.
 */
export function renderTextTable(report: Report, options: TextTableOptions = {}): string {
  const width = options.width ?? TERMINAL_WIDTH;
  const { notes } = buildMatrix(report.scenarios);
  const table = options.wide ? textGrid(grid(buildMatrix(report.scenarios))) : summaryTables(report.scenarios, width);
  const below = [...(notes.length > 0 ? ['', ...notes] : []), '', summaryLine(report)];
  return [...table, ...(options.wide ? below : below.flatMap((l) => fold(l, width)))].join('\n');
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
