import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBundle } from '../../src/replay/bundle.js';
import { bundleRows } from '../../src/report/report-rows.js';
import { writeReport, type ReportOptions } from '../../src/report/write-report.js';
import { writeBundle } from './made-up-runs.js';

const rows = bundleRows(readBundle(writeBundle(8, [3])));
const options = (out: string, formats: ReportOptions['formats']): ReportOptions => ({ out, formats, reference: '12-12', budgetsMb: [500], size: { width: 600, height: 400 } });

describe('writeReport', () => {
  it('writes the table as Markdown and text and each accuracy chart as SVG and PNG', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'fedgear-report-')), 'nested', 'report');
    const { table, files } = writeReport(rows, options(out, ['md', 'txt', 'svg', 'png']));
    expect(readdirSync(out).sort()).toEqual(
      ['accuracy-by-mb.png', 'accuracy-by-mb.svg', 'accuracy-by-round.png', 'accuracy-by-round.svg', 'accuracy-by-seconds.png', 'accuracy-by-seconds.svg', 'table.md', 'table.txt'],
    );
    expect(files).toHaveLength(8);
    expect(table.rows.map((row) => row.label)).toEqual(['12-12', '12-6', 'Gear 3']);
    expect(readFileSync(join(out, 'accuracy-by-round.svg'), 'utf8')).toContain('width="600" height="400"');
  });

  it('writes only the formats asked for', () => {
    const out = mkdtempSync(join(tmpdir(), 'fedgear-report-'));
    writeReport(rows, options(out, ['md', 'png']));
    expect(readdirSync(out).sort()).toEqual(['accuracy-by-mb.png', 'accuracy-by-round.png', 'accuracy-by-seconds.png', 'table.md']);
  });

  it('writes nothing when the table cannot be made', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'fedgear-report-')), 'report');
    expect(() => writeReport(rows, { ...options(out, ['md']), reference: 'Gear 9' })).toThrow('but got "Gear 9".');
    expect(existsSync(out)).toBe(false);
  });
});
