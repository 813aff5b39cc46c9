/**
 * Lays out rows of cells as aligned text columns, the header underlined; the last column is
 * left ragged so long text (a policy's reason) does not widen the others.
 *
 * @example
 * textTable(['run', 'switch'], [['plateau', '12'], ['never', '-']]);
 * // run      switch
 * // -------  ------
 * // plateau  12 ...
 */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
