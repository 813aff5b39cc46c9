import type { RoundRecord } from '../metrics/round-record.js';
import { totalBytes } from '../metrics/round-record.js';

/** What to measure a run against. */
export interface ScoreOptions {
  /** The accuracy fractions refer to: by convention the 12-12 run's max test accuracy. In (0, 1]. */
  readonly referenceMax: number;
  /** Fractions of `referenceMax` to time (the paper's 60/70/80/90% table). Default [0.6, 0.7, 0.8, 0.9]. */
  readonly fractions?: readonly number[];
  /** Absolute test accuracies to time, in (0, 1]. Default none. */
  readonly thresholds?: readonly number[];
  /** Traffic budgets in MB (10^6 bytes) to read the best accuracy at. Default none. */
  readonly budgetsMb?: readonly number[];
  /** Wall-time budgets in seconds to read the best accuracy at. Default none. */
  readonly budgetsSeconds?: readonly number[];
}

/** When a run first reached an accuracy; all `null` when it never did. */
export interface Milestone {
  /** The test accuracy to reach. */
  readonly accuracy: number;
  readonly round: number | null;
  /** Cumulative wall seconds at the end of that round. */
  readonly seconds: number | null;
  /** Cumulative MB sent and received through that round. */
  readonly megabytes: number | null;
}

/** A milestone expressed as a fraction of the reference max. */
export interface FractionMilestone extends Milestone {
  readonly fraction: number;
}

/** The best test accuracy a run had reached without exceeding a traffic budget. */
export interface BudgetAccuracy {
  readonly megabytes: number;
  /** `null` when even the first round cost more than the budget. */
  readonly accuracy: number | null;
  readonly round: number | null;
}

/** The best test accuracy a run had reached within a wall-time budget. */
export interface SecondsAccuracy {
  readonly seconds: number;
  /** `null` when even the first round took longer than the budget. */
  readonly accuracy: number | null;
  readonly round: number | null;
}

/** The numbers a run is judged by, all on the test set. */
export interface RunScore {
  readonly rounds: number;
  readonly referenceMax: number;
  readonly maxAccuracy: number;
  /** The first round that reached `maxAccuracy`. */
  readonly maxAccuracyRound: number;
  readonly finalAccuracy: number;
  /** Wall seconds of the whole run. */
  readonly seconds: number;
  /** MB sent and received by the whole run. */
  readonly megabytes: number;
  readonly toFraction: readonly FractionMilestone[];
  readonly toThreshold: readonly Milestone[];
  readonly atBudget: readonly BudgetAccuracy[];
  readonly atSeconds: readonly SecondsAccuracy[];
}

/** Bytes per MB: decimal, as the budget policy and the paper count. */
const BYTES_PER_MB = 1e6;

/**
 * Scores a run on its TEST accuracy, for reporting: max and final accuracy, seconds and MB to
 * first reach each fraction of a reference accuracy and each absolute threshold, and the best
 * accuracy reached within each traffic budget (the paper's "accuracy at 500 MB"). Policies never
 * see these numbers; they only see validation metrics.
 *
 * "Reached" allows a relative slack of 1e-9, so that 0.9 x 0.65 (0.5850000000000001 in floating
 * point) counts as reached by a recorded 0.585.
 *
 * @example
 * const score = scoreRun(run.rounds, { referenceMax: 0.65, budgetsMb: [500] });
 * score.toFraction.find((m) => m.fraction === 0.9)?.seconds; // null if never reached
 */
export function scoreRun(rounds: readonly RoundRecord[], options: ScoreOptions): RunScore {
  const { referenceMax, fractions = [0.6, 0.7, 0.8, 0.9], thresholds = [], budgetsMb = [], budgetsSeconds = [] } = options;
  if (!(referenceMax > 0 && referenceMax <= 1)) throw new Error(`referenceMax must be an accuracy in (0, 1], but got ${referenceMax}.`);
  for (const fraction of fractions) if (!(fraction > 0 && Number.isFinite(fraction))) throw new Error(`every fraction must be a number > 0, but got ${fraction}.`);
  for (const threshold of thresholds) if (!(threshold > 0 && threshold <= 1)) throw new Error(`every threshold must be an accuracy in (0, 1], but got ${threshold}.`);
  for (const budget of budgetsMb) if (!(budget > 0 && Number.isFinite(budget))) throw new Error(`every budget must be a number of MB > 0, but got ${budget}.`);
  for (const budget of budgetsSeconds) if (!(budget > 0 && Number.isFinite(budget))) throw new Error(`every time budget must be a number of seconds > 0, but got ${budget}.`);
  const last = rounds.at(-1);
  if (last === undefined) throw new Error('rounds must hold at least one round record, but got none.');

  let best = rounds[0]!;
  for (const record of rounds) if (record.test.accuracy > best.test.accuracy) best = record;
  return {
    rounds: rounds.length,
    referenceMax,
    maxAccuracy: best.test.accuracy,
    maxAccuracyRound: best.round,
    finalAccuracy: last.test.accuracy,
    seconds: last.seconds.total,
    megabytes: totalBytes(last) / BYTES_PER_MB,
    toFraction: fractions.map((fraction) => ({ fraction, ...milestone(rounds, fraction * referenceMax) })),
    toThreshold: thresholds.map((accuracy) => milestone(rounds, accuracy)),
    atBudget: budgetsMb.map((megabytes) => {
      const best = bestWithin(rounds, megabytes, (record) => totalBytes(record) / BYTES_PER_MB);
      return { megabytes, accuracy: best?.test.accuracy ?? null, round: best?.round ?? null };
    }),
    atSeconds: budgetsSeconds.map((seconds) => {
      const best = bestWithin(rounds, seconds, (record) => record.seconds.total);
      return { seconds, accuracy: best?.test.accuracy ?? null, round: best?.round ?? null };
    }),
  };
}

function milestone(rounds: readonly RoundRecord[], accuracy: number): Milestone {
  const reached = rounds.find((record) => record.test.accuracy >= accuracy * (1 - 1e-9));
  if (reached === undefined) return { accuracy, round: null, seconds: null, megabytes: null };
  return { accuracy, round: reached.round, seconds: reached.seconds.total, megabytes: totalBytes(reached) / BYTES_PER_MB };
}

/** The round with the best test accuracy among those whose running cost is within `budget`. */
function bestWithin(rounds: readonly RoundRecord[], budget: number, spent: (record: RoundRecord) => number): RoundRecord | undefined {
  let best: RoundRecord | undefined;
  for (const record of rounds) {
    // Totals only grow, so the first round over budget ends the search.
    if (spent(record) > budget) break;
    if (best === undefined || record.test.accuracy > best.test.accuracy) best = record;
  }
  return best;
}
