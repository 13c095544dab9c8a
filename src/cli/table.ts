// Rows as a plain-text table, the way every command prints them (query, history, advise,
// start, the transform summary): a header, a rule, then one line a row.

/**
 * The first column (unless `firstLeft` is false), and any listed in `textColumns`, align
 * left; the others (numbers) right.
 */
export function formatTable(
  header: string[],
  rows: string[][],
  textColumns: number[] = [],
  options: { firstLeft?: boolean } = {},
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const left = (i: number) => (i === 0 && options.firstLeft !== false) || textColumns.includes(i);
  const line = (cells: string[]) =>
    cells.map((c, i) => (left(i) ? (c ?? '').padEnd(widths[i]) : (c ?? '').padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
