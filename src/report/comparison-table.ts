import { scoreRun, type RunScore } from '../replay/score-run.js';
import { switchRounds, type ReportRow } from './report-row.js';

/**
 * The paper's comparison (Miyoshi et al., Table: 12-12, 12-6, Gear k) as numbers: per row its
 * test-accuracy score against one reference row's maximum, what a round costs on average, and
 * where it switched.
 *
 * @example
 * const table = comparisonTable(rows, { reference: '12-12', budgetsMb: [500] });
 * console.log(formatText(table));
 */
export interface ComparisonTable {
  /** Label of the row whose max test accuracy the fractions refer to. */
  readonly reference: string;
  readonly referenceMax: number;
  readonly fractions: readonly number[];
  readonly budgetsMb: readonly number[];
  readonly rows: readonly ComparisonTableRow[];
}

/**
 * One row of the comparison.
 *
 * @example
 * table.rows[0]!.score.toFraction[3]!.seconds; // seconds to 90% of the reference, or null
 */
export interface ComparisonTableRow {
  readonly label: string;
  readonly note?: string;
  readonly score: RunScore;
  /** Mean MB (10^6 bytes, sent + received) and wall seconds per round over the whole run. */
  readonly megabytesPerRound: number;
  readonly secondsPerRound: number;
  readonly switchRounds: readonly number[];
}

/** The paper's targets: 60, 70, 80 and 90% of the reference's max accuracy. */
export const PAPER_FRACTIONS: readonly number[] = [0.6, 0.7, 0.8, 0.9];

/** The paper's traffic budget: accuracy at 500 MB. */
export const PAPER_BUDGETS_MB: readonly number[] = [500];

/**
 * Scores every row against the max test accuracy of the row labelled `reference`.
 *
 * @example
 * comparisonTable([{ label: '12-12', rounds: large }, { label: 'Gear 40', rounds: branch }], { reference: '12-12' });
 */
export function comparisonTable(
  rows: readonly ReportRow[],
  options: { reference: string; fractions?: readonly number[]; budgetsMb?: readonly number[] },
): ComparisonTable {
  const { reference, fractions = PAPER_FRACTIONS, budgetsMb = PAPER_BUDGETS_MB } = options;
  const labels = rows.map((row) => row.label);
  const duplicate = labels.find((label, i) => labels.indexOf(label) !== i);
  if (duplicate !== undefined) throw new Error(`row labels must be unique, but "${duplicate}" appears twice.`);
  const referenceRow = rows.find((row) => row.label === reference);
  if (referenceRow === undefined) throw new Error(`the reference must be the label of a row (${labels.map((l) => `"${l}"`).join(', ')}), but got "${reference}".`);
  if (referenceRow.rounds.length === 0) throw new Error(`a row must have at least one round, but "${reference}" has none.`);
  const referenceMax = Math.max(...referenceRow.rounds.map((record) => record.test.accuracy));
  if (referenceMax === 0) throw new Error(`the reference's max test accuracy must be above 0, but "${reference}" never got above 0.`);
  return {
    reference,
    referenceMax,
    fractions,
    budgetsMb,
    rows: rows.map((row) => {
      if (row.rounds.length === 0) throw new Error(`a row must have at least one round, but "${row.label}" has none.`);
      const score = scoreRun(row.rounds, { referenceMax, fractions, budgetsMb });
      return {
        label: row.label,
        ...(row.note === undefined ? {} : { note: row.note }),
        score,
        megabytesPerRound: score.megabytes / score.rounds,
        secondsPerRound: score.seconds / score.rounds,
        switchRounds: switchRounds(row.rounds),
      };
    }),
  };
}

interface Cells {
  readonly caption: string;
  readonly header: readonly string[];
  /** True for columns of numbers, aligned right. */
  readonly numeric: readonly boolean[];
  readonly body: readonly (readonly string[])[];
  readonly notes: readonly string[];
}

/** What both formats print, cell by cell. */
function cells(table: ComparisonTable): Cells {
  const header = [
    'run',
    'max acc',
    'MB/round',
    's/round',
    'switch after',
    ...table.fractions.map((fraction) => `s to ${Number((fraction * 100).toFixed(1))}%`),
    ...table.budgetsMb.map((budget) => `acc @ ${number(budget)} MB`),
  ];
  const body = table.rows.map((row) => [
    row.note === undefined ? row.label : `${row.label} *`,
    percent(row.score.maxAccuracy),
    row.megabytesPerRound.toFixed(2),
    row.secondsPerRound.toFixed(2),
    row.switchRounds.length === 0 ? '-' : row.switchRounds.join(', '),
    ...row.score.toFraction.map((milestone) => (milestone.seconds === null ? 'never' : milestone.seconds.toFixed(1))),
    ...row.score.atBudget.map((budget) => (budget.accuracy === null ? 'over' : percent(budget.accuracy))),
  ]);
  const notes = table.rows.filter((row) => row.note !== undefined).map((row) => `* ${row.label}: ${row.note}`);
  if (table.rows.some((row) => row.score.atBudget.some((budget) => budget.accuracy === null))) {
    notes.push('over: the first round alone moved more than the budget.');
  }
  return {
    caption: [
      `Test accuracy. "s to X%": wall seconds until it first reached X% of ${table.reference}'s max (${percent(table.referenceMax)}).`,
      `"acc @ B MB": the best it reached within B MB sent + received. Per round: the mean over the run.`,
    ].join('\n'),
    header,
    numeric: header.map((_, column) => column > 0 && column !== 4),
    body,
    notes,
  };
}

/**
 * The table as GitHub-flavoured Markdown: a caption, the table, and the rows' notes.
 *
 * @example
 * writeFileSync('docs/report/table.md', formatMarkdown(table));
 */
export function formatMarkdown(table: ComparisonTable): string {
  const { caption, header, numeric, body, notes } = cells(table);
  const line = (row: readonly string[]) => `| ${row.map(escapeMarkdown).join(' | ')} |`;
  const rule = `|${numeric.map((right) => (right ? ' ---: ' : ' --- ')).join('|')}|`;
  const parts = [caption, '', line(header), rule, ...body.map(line)];
  // Two trailing spaces: a line break between notes.
  if (notes.length > 0) parts.push('', ...notes.map((note) => `${escapeMarkdown(note)}  `));
  return `${parts.join('\n')}\n`;
}

/**
 * The table as plain text in aligned columns (labels left, numbers right), for a terminal.
 *
 * @example
 * console.log(formatText(table));
 * // run      max acc  MB/round  s/round  switch after  s to 60%  ...
 * // 12-12      80.0%     40.00     5.00  -                 15.0  ...
 */
export function formatText(table: ComparisonTable): string {
  const { caption, header, numeric, body, notes } = cells(table);
  const widths = header.map((title, column) => Math.max(title.length, ...body.map((row) => row[column]!.length)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, column) => (numeric[column] ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  return `${[caption, '', line(header), ...body.map(line), ...(notes.length > 0 ? ['', ...notes] : [])].join('\n')}\n`;
}

/** Table pipes and the note marker would otherwise be read as Markdown. */
function escapeMarkdown(text: string): string {
  return text.replace(/[|*_]/g, (character) => `\\${character}`);
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

function number(value: number): string {
  return value.toLocaleString('en-US');
}
