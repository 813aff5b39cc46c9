import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACCURACY_AXES, accuracyChart } from './accuracy-charts.js';
import { comparisonTable, formatMarkdown, formatText, type ComparisonTable } from './comparison-table.js';
import { lineChartSvg } from './line-chart.js';
import type { ReportRow } from './report-row.js';
import { svgToPng } from './svg-to-png.js';

/** The files a report can hold: the table as Markdown or text, the charts as SVG or PNG. */
export const REPORT_FORMATS = ['md', 'txt', 'svg', 'png'] as const;

/**
 * One of {@link REPORT_FORMATS}.
 *
 * @example
 * const formats: ReportFormat[] = ['md', 'png'];
 */
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/**
 * How to write a report.
 *
 * @example
 * const options: ReportOptions = { out: 'docs/report', formats: ['md', 'svg'], reference: '12-12', budgetsMb: [500], size: { width: 900, height: 500 } };
 */
export interface ReportOptions {
  readonly out: string;
  readonly formats: readonly ReportFormat[];
  /** Label of the row whose max test accuracy the table's targets are fractions of. */
  readonly reference: string;
  readonly budgetsMb: readonly number[];
  /** Chart size in pixels, for SVG and PNG alike. */
  readonly size: { readonly width: number; readonly height: number };
}

/**
 * Scores the rows and writes the report into `out`: table.md, table.txt, and for each axis
 * (round, seconds, MB) accuracy-by-<axis>.svg / .png, as `formats` asks. Returns the table and
 * the paths written.
 *
 * @example
 * const { table, files } = writeReport(bundleRows(bundle), { out: 'docs/report', formats: ['md', 'png'], reference: '12-12', budgetsMb: [500], size: { width: 900, height: 500 } });
 */
export function writeReport(rows: readonly ReportRow[], options: ReportOptions): { table: ComparisonTable; files: string[] } {
  const table = comparisonTable(rows, { reference: options.reference, budgetsMb: options.budgetsMb });
  const formats = new Set(options.formats);
  mkdirSync(options.out, { recursive: true });
  const files: string[] = [];
  const write = (name: string, content: string | Buffer) => {
    const path = join(options.out, name);
    writeFileSync(path, content);
    files.push(path);
  };
  if (formats.has('md')) write('table.md', formatMarkdown(table));
  if (formats.has('txt')) write('table.txt', formatText(table));
  if (formats.has('svg') || formats.has('png')) {
    for (const { axis, file } of ACCURACY_AXES) {
      const svg = lineChartSvg(accuracyChart(rows, axis), options.size);
      if (formats.has('svg')) write(`${file}.svg`, svg);
      if (formats.has('png')) write(`${file}.png`, svgToPng(svg));
    }
  }
  return { table, files };
}
