import { totalBytes } from '../metrics/round-record.js';
import type { Policy } from '../policy/policy.js';
import type { Bundle } from './bundle.js';
import { scoreOptionsFor, type Objective } from './objective.js';
import { findOracle, regret, scoreOutcome, type Outcome } from './oracle.js';
import { replayPolicy } from './replay-policy.js';
import type { RunScore } from './score-run.js';

/** What to compare against and how to score. */
export interface CompareOptions {
  readonly objective: Objective;
  /** The accuracy fractions refer to: "large" (default) for the 12-12 run's max test accuracy, or an accuracy in (0, 1]. */
  readonly reference?: 'large' | number;
  /** Fractions of the reference to time; default 0.6, 0.7, 0.8, 0.9. */
  readonly fractions?: readonly number[];
  /**
   * Traffic budgets to read accuracy at. Default: the objective's budget for accuracy-at-mb,
   * else the traffic of the small-only run, i.e. what the cheapest schedule spends in full.
   */
  readonly budgetsMb?: readonly number[];
}

/** One row of a comparison table; `rounds` left out, so it prints as JSON. */
export interface ComparisonRow {
  readonly label: string;
  readonly kind: Outcome['kind'];
  readonly switchAfter: number | null;
  readonly usedBranch: number | null;
  /** The policy's reason for its shift, or how the splice differs from what it asked. */
  readonly reason: string | null;
  readonly note: string | null;
  readonly score: RunScore;
  /** The objective's value; `null` in JSON when never reached (+Infinity). */
  readonly value: number;
  /** Value minus the oracle's; `null` for the 12-12 baseline, which no policy can produce. */
  readonly regret: number | null;
  /** Whether this is the oracle's pick. */
  readonly oracle: boolean;
}

/** A policy judged on one bundle, next to every recorded alternative. */
export interface BundleComparison {
  readonly bundle: string;
  readonly directory: string;
  readonly objective: string;
  readonly referenceMax: number;
  /** Where `referenceMax` came from: the bundle's 12-12 run, or the command line. */
  readonly reference: 'large' | 'given';
  readonly budgetsMb: readonly number[];
  /** The policy's row: the first of `rows`. */
  readonly policy: ComparisonRow;
  /** The policy, every branch by switch round, never, then the 12-12 baseline. */
  readonly rows: readonly ComparisonRow[];
}

/**
 * Judges a policy on a bundle: replays it, scores the run it would have produced, and lays it
 * next to every fixed switch the bundle recorded, small-only, 12-12, and the oracle (the best of
 * the fixed switches and small-only for the objective) with each one's regret.
 *
 * @example
 * const comparison = await compareOnBundle(bundle, policy, 'plateau', { objective: parseObjective('time-to:0.9') });
 * comparison.policy.regret; // seconds lost against the best switch in hindsight
 */
export async function compareOnBundle(bundle: Bundle, policy: Policy, label: string, options: CompareOptions): Promise<BundleComparison> {
  const { objective } = options;
  const referenceMax = options.reference === undefined || options.reference === 'large' ? maxTestAccuracy(bundle) : options.reference;
  const smallOnly = Number((totalBytes(bundle.small.rounds.at(-1)!) / 1e6).toPrecision(3));
  const budgetsMb = options.budgetsMb ?? (objective.budgetsMb.length > 0 ? objective.budgetsMb : [smallOnly]);
  const scoring = scoreOptionsFor(objective, { referenceMax, budgetsMb, ...(options.fractions === undefined ? {} : { fractions: options.fractions }) });
  const oracle = findOracle(bundle, objective, scoring);
  const replay = await replayPolicy(bundle, policy, label, objective.goal);
  const mine = scoreOutcome(label, 'policy', replay.run, objective, scoring);
  const row = (outcome: Outcome, reason: string | undefined): ComparisonRow => ({
    label: outcome.label,
    kind: outcome.kind,
    switchAfter: outcome.switchAfter ?? null,
    usedBranch: outcome.usedBranch ?? null,
    reason: reason ?? null,
    note: outcome.note ?? null,
    score: outcome.score,
    value: outcome.value,
    regret: outcome.kind === 'baseline' ? null : regret(outcome.value, oracle.best.value),
    oracle: outcome === oracle.best,
  });
  const policyRow = row(mine, replay.reason);
  return {
    bundle: bundle.manifest.name,
    directory: bundle.directory,
    objective: objective.spec,
    referenceMax,
    reference: options.reference === undefined || options.reference === 'large' ? 'large' : 'given',
    budgetsMb,
    policy: policyRow,
    rows: [policyRow, ...oracle.candidates.map((outcome) => row(outcome, undefined)), row(oracle.baseline, undefined)],
  };
}

/**
 * The bundle's 12-12 max test accuracy: the default reference of fractions.
 *
 * @example
 * maxTestAccuracy(bundle); // e.g. 0.65
 */
export function maxTestAccuracy(bundle: Bundle): number {
  return Math.max(...bundle.large.rounds.map((record) => record.test.accuracy));
}
