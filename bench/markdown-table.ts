/**
 * A markdown table: a header row, the separator and one line per row.
 *
 * @example
 * table(['gear', 'images/s'], [['small', '296.5']]); // '| gear | images/s |\n| --- | --- |\n| small | 296.5 |'
 */
export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const line = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/**
 * A number with a fixed count of decimals (one unless told).
 *
 * @example
 * fixed(1.234, 2); // '1.23'
 */
export function fixed(value: number, digits = 1): string {
  return value.toFixed(digits);
}

/**
 * The median of some numbers (NaN for none).
 *
 * @example
 * median([3, 1, 2]); // 2
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
