import type { BundleComparison, ComparisonRow } from './compare.js';
import { formatObjectiveValue, formatRegret, type Objective } from './objective.js';
import { textTable } from './text-table.js';

/**
 * A bundle comparison as `fedgear replay` prints it: a title line, then one row per run — the
 * policy, every fixed switch, small only, 12-12 — with the oracle's pick marked `*`. Milestone
 * cells read "seconds / MB" to first reach that share of the reference accuracy.
 *
 * @example
 * console.log(formatComparison(comparison, objective));
 */
export function formatComparison(comparison: BundleComparison, objective: Objective): string {
  const fractions = comparison.policy.score.toFraction.map((milestone) => milestone.fraction);
  const header = [
    '',
    'run',
    'switch',
    'max acc',
    ...fractions.map((fraction) => `${Number((fraction * 100).toFixed(1))}% (s / MB)`),
    ...comparison.budgetsMb.map((budget) => `acc @ ${budget} MB`),
    objective.spec,
    'regret',
    'reason / note',
  ];
  const rows = comparison.rows.map((row) => cells(row, objective));
  const reference = `${percent(comparison.referenceMax)} (${comparison.reference === 'large' ? "12-12's max test accuracy" : 'given'})`;
  const oracle = comparison.rows.find((row) => row.oracle)!;
  return [
    `${comparison.bundle} (${comparison.directory}): reference ${reference}; objective ${objective.description}`,
    textTable(header, rows),
    `* oracle: ${oracle.label}, ${formatObjectiveValue(objective, oracle.value)}; ${comparison.policy.label} regret ${formatRegret(objective, comparison.policy.regret!)}`,
  ].join('\n');
}

function cells(row: ComparisonRow, objective: Objective): string[] {
  const { score } = row;
  const switched = row.kind === 'baseline' ? '-' : row.switchAfter === null ? 'never' : `after ${row.switchAfter}`;
  return [
    row.oracle ? '*' : '',
    row.label,
    switched,
    `${percent(score.maxAccuracy)} (r${score.maxAccuracyRound})`,
    ...score.toFraction.map((milestone) => (milestone.seconds === null ? 'never' : `${round(milestone.seconds)} / ${round(milestone.megabytes!)}`)),
    ...score.atBudget.map((budget) => (budget.accuracy === null ? '-' : percent(budget.accuracy))),
    formatObjectiveValue(objective, row.value),
    row.regret === null ? '-' : formatRegret(objective, row.regret),
    [row.reason, row.note].filter((text) => text !== null).join('; '),
  ];
}

function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

function round(value: number): string {
  return value >= 100 ? value.toFixed(0) : Number(value.toPrecision(3)).toString();
}
