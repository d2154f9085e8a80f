/**
 * The one Markdown table renderer: the report's (table.ts), docs/perf.md's (src/bench/perf-doc.ts)
 * and the README's options tables (src/options.ts). A header row, the `---` rule, a line per row;
 * a `|`, a backslash or a line break in a cell is escaped, so a cell stays one cell.
 */

export function escapeMarkdown(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.map(escapeMarkdown).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
