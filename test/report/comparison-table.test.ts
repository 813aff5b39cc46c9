import { describe, expect, it } from 'vitest';
import { comparisonTable, formatMarkdown, formatText } from '../../src/report/comparison-table.js';
import { madeUpRounds } from './made-up-runs.js';

// Per round (made-up-runs.ts): the small gear moves 10 MB in 2 s, the large one 40 MB in 5 s.
const large = madeUpRounds([0.2, 0.4, 0.5].map((accuracy) => ({ accuracy, gear: 1 })));
const staged = madeUpRounds([0.1, 0.3, 0.42, 0.44].map((accuracy, i) => ({ accuracy, gear: i < 2 ? 0 : 1 })));
const rows = [
  { label: '12-12', rounds: large },
  { label: 'Gear 2', rounds: staged, note: 'a hand-made | staged_run' },
];

describe('comparisonTable', () => {
  const table = comparisonTable(rows, { reference: '12-12', budgetsMb: [50, 5] });

  it("times each row to 60, 70, 80 and 90% of the reference row's max test accuracy", () => {
    expect(table.referenceMax).toBe(0.5);
    // Targets 0.30, 0.35, 0.40, 0.45: the staged run reaches 0.3 at round 2 (4 s), 0.42 at round 3 (9 s), never 0.45.
    expect(table.rows[1]!.score.toFraction.map((m) => m.seconds)).toEqual([4, 9, 9, null]);
    expect(table.rows[0]!.score.toFraction.map((m) => m.seconds)).toEqual([10, 10, 10, 15]);
  });

  it('gives the mean MB and seconds per round, the max accuracy and where the run switched', () => {
    expect(table.rows.map((row) => [row.label, row.score.maxAccuracy, row.megabytesPerRound, row.secondsPerRound, row.switchRounds])).toEqual([
      ['12-12', 0.5, 40, 5, []],
      ['Gear 2', 0.44, 25, 3.5, [2]],
    ]);
  });

  it('reads the best accuracy within each traffic budget, none when the first round is over it', () => {
    expect(table.rows[1]!.score.atBudget.map((b) => b.accuracy)).toEqual([0.3, null]);
  });

  it("uses the paper's targets and 500 MB budget unless told otherwise", () => {
    const paper = comparisonTable(rows, { reference: 'Gear 2' });
    expect(paper.fractions).toEqual([0.6, 0.7, 0.8, 0.9]);
    expect(paper.budgetsMb).toEqual([500]);
    expect(paper.referenceMax).toBe(0.44);
  });

  it('refuses a reference that is no row, twice the same label, and a row without rounds', () => {
    expect(() => comparisonTable(rows, { reference: '12-6' })).toThrow('the reference must be the label of a row ("12-12", "Gear 2"), but got "12-6".');
    expect(() => comparisonTable([rows[0]!, rows[0]!], { reference: '12-12' })).toThrow('row labels must be unique, but "12-12" appears twice.');
    expect(() => comparisonTable([...rows, { label: 'empty', rounds: [] }], { reference: '12-12' })).toThrow('a row must have at least one round, but "empty" has none.');
  });
});

describe('formatText', () => {
  const text = formatText(comparisonTable(rows, { reference: '12-12', budgetsMb: [50, 5] }));

  it('prints a caption naming the reference, aligned columns with "never" for unreached targets, and the notes', () => {
    expect(text).toBe(
      [
        `Test accuracy. "s to X%": wall seconds until it first reached X% of 12-12's max (50.0%).`,
        `"acc @ B MB": the best it reached within B MB sent + received. Per round: the mean over the run.`,
        '',
        'run       max acc  MB/round  s/round  switch after  s to 60%  s to 70%  s to 80%  s to 90%  acc @ 50 MB  acc @ 5 MB',
        '12-12       50.0%     40.00     5.00  -                 10.0      10.0      10.0      15.0        20.0%        over',
        'Gear 2 *    44.0%     25.00     3.50  2                  4.0       9.0       9.0     never        30.0%        over',
        '',
        '* Gear 2: a hand-made | staged_run',
        'over: the first round alone moved more than the budget.',
        '',
      ].join('\n'),
    );
  });
});

describe('formatMarkdown', () => {
  const markdown = formatMarkdown(comparisonTable(rows, { reference: '12-12' }));
  const tableLines = markdown.split('\n').filter((line) => line.startsWith('|'));

  it('writes a GitHub table: a header, an alignment row with numbers to the right, one line per row', () => {
    expect(tableLines).toHaveLength(4);
    expect(tableLines[0]).toBe('| run | max acc | MB/round | s/round | switch after | s to 60% | s to 70% | s to 80% | s to 90% | acc @ 500 MB |');
    expect(tableLines[1]).toBe('| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |');
    expect(tableLines[3]).toBe('| Gear 2 \\* | 44.0% | 25.00 | 3.50 | 2 | 4.0 | 9.0 | 9.0 | never | 44.0% |');
  });

  it('escapes what Markdown would read as table or emphasis in the notes', () => {
    expect(markdown).toContain('\\* Gear 2: a hand-made \\| staged\\_run  \n');
  });
});
