import { parseObjectiveSpec, type ObjectiveSpec } from '../policy/objective-spec.js';
import type { RunScore, ScoreOptions } from './score-run.js';

/**
 * A number to minimise, read off a run's score: what "best switch" and "best setting" mean.
 * "Never reached" is `+Infinity`: it ranks below every reached value, and two runs that both
 * never reached compare equal on the value, so the tie-break (see `compareScores`) decides.
 */
export interface Objective {
  /** The canonical spec, e.g. "time-to:0.9". */
  readonly spec: string;
  /** The spec as data: what policies are told they are scored by. */
  readonly goal: ObjectiveSpec;
  /** What the value measures, in words. */
  readonly description: string;
  /** Unit of the value as shown: seconds, MB, or accuracy (negated, so that smaller is better). */
  readonly unit: 's' | 'MB' | 'accuracy';
  /** Fractions of the reference the score must time (pass them to `scoreRun`). */
  readonly fractions: readonly number[];
  /** Traffic budgets the score must read accuracy at (pass them to `scoreRun`). */
  readonly budgetsMb: readonly number[];
  /** Time budgets the score must read accuracy at (pass them to `scoreRun`). */
  readonly budgetsSeconds: readonly number[];
  /** The value to minimise; `+Infinity` when the run never got there. */
  value(score: RunScore): number;
}

/**
 * Parses an objective (see `parseObjectiveSpec` for the forms) into what scoring needs:
 * - `time-to:F`: wall seconds until test accuracy first reaches F x the reference max;
 * - `mb-to:F`: MB sent and received until then;
 * - `max-accuracy`: the run's max test accuracy, negated;
 * - `accuracy-at-mb:M` / `accuracy-at-seconds:S`: the best test accuracy reached within M MB /
 *   S seconds, negated (`+Infinity` when even the first round costs more).
 *
 * @example
 * parseObjective('time-to:0.9').value(score); // seconds, or Infinity
 */
export function parseObjective(text: string): Objective {
  const parsed = parseObjectiveSpec(text);
  const { spec } = parsed;
  const none = { fractions: [], budgetsMb: [], budgetsSeconds: [] };
  switch (parsed.kind) {
    case 'time-to':
    case 'mb-to': {
      const { kind, fraction } = parsed;
      const seconds = kind === 'time-to';
      return {
        spec,
        goal: parsed,
        description: `${seconds ? 'seconds' : 'MB'} to reach ${percent(fraction)} of the reference accuracy`,
        unit: seconds ? 's' : 'MB',
        ...none,
        fractions: [fraction],
        value(score) {
          const milestone = score.toFraction.find((entry) => entry.fraction === fraction);
          if (milestone === undefined) throw new Error(`the score must time fraction ${fraction} for objective ${spec}, but it times ${score.toFraction.map((m) => m.fraction).join(', ') || 'none'}.`);
          const reached = seconds ? milestone.seconds : milestone.megabytes;
          return reached ?? Infinity;
        },
      };
    }
    case 'max-accuracy':
      return { spec, goal: parsed, description: 'max test accuracy', unit: 'accuracy', ...none, value: (score) => -score.maxAccuracy };
    case 'accuracy-at-mb': {
      const { megabytes } = parsed;
      return {
        spec,
        goal: parsed,
        description: `best test accuracy within ${megabytes} MB`,
        unit: 'accuracy',
        ...none,
        budgetsMb: [megabytes],
        value(score) {
          const entry = score.atBudget.find((budget) => budget.megabytes === megabytes);
          if (entry === undefined) throw new Error(`the score must read accuracy at ${megabytes} MB for objective ${spec}, but it reads ${score.atBudget.map((b) => b.megabytes).join(', ') || 'none'}.`);
          return entry.accuracy === null ? Infinity : -entry.accuracy;
        },
      };
    }
    case 'accuracy-at-seconds': {
      const { seconds } = parsed;
      return {
        spec,
        goal: parsed,
        description: `best test accuracy within ${seconds} s`,
        unit: 'accuracy',
        ...none,
        budgetsSeconds: [seconds],
        value(score) {
          const entry = score.atSeconds.find((budget) => budget.seconds === seconds);
          if (entry === undefined) throw new Error(`the score must read accuracy at ${seconds} s for objective ${spec}, but it reads ${score.atSeconds.map((b) => b.seconds).join(', ') || 'none'}.`);
          return entry.accuracy === null ? Infinity : -entry.accuracy;
        },
      };
    }
  }
}

/**
 * Score options that also measure what the objective reads (its fraction or budget), so that
 * `objective.value` finds it in the score.
 *
 * @example
 * scoreRun(rounds, scoreOptionsFor(parseObjective('mb-to:0.95'), { referenceMax: 0.65 })); // times 0.6 ... 0.9 and 0.95
 */
export function scoreOptionsFor(objective: Objective, options: ScoreOptions): ScoreOptions {
  const fractions = options.fractions ?? [0.6, 0.7, 0.8, 0.9];
  const budgetsMb = options.budgetsMb ?? [];
  const budgetsSeconds = options.budgetsSeconds ?? [];
  return {
    ...options,
    fractions: [...fractions, ...objective.fractions.filter((fraction) => !fractions.includes(fraction))],
    budgetsMb: [...budgetsMb, ...objective.budgetsMb.filter((budget) => !budgetsMb.includes(budget))],
    budgetsSeconds: [...budgetsSeconds, ...objective.budgetsSeconds.filter((budget) => !budgetsSeconds.includes(budget))],
  };
}

/**
 * Orders two scored runs, better first: by the objective's value, then (for ties, including two
 * runs that never reached the target) by the higher max accuracy. Runs equal on both compare 0,
 * so a stable sort keeps the caller's order, e.g. the earlier switch or the earlier setting.
 *
 * @example
 * candidates.sort((a, b) => compareScores(objective, a.score, b.score))[0]; // the best
 */
export function compareScores(objective: Objective, a: RunScore, b: RunScore): number {
  return compareValues(objective.value(a), objective.value(b)) || b.maxAccuracy - a.maxAccuracy;
}

/**
 * Compares two objective values, smaller first; two infinities are equal.
 *
 * @example
 * [Infinity, 3].sort(compareValues); // [3, Infinity]
 */
export function compareValues(a: number, b: number): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

/**
 * An objective value as a table shows it: "812 s", "301 MB", "64.2%", or "never".
 *
 * @example
 * formatObjectiveValue(parseObjective('max-accuracy'), -0.642); // '64.2%'
 */
export function formatObjectiveValue(objective: Objective, value: number): string {
  if (value === Infinity) return 'never';
  return objective.unit === 'accuracy' ? `${(-value * 100).toFixed(1)}%` : `${round(value)} ${objective.unit}`;
}

/**
 * A regret as a table shows it: seconds, MB, or accuracy points.
 *
 * @example
 * formatRegret(parseObjective('max-accuracy'), 0.012); // '1.2 pts'
 */
export function formatRegret(objective: Objective, regret: number): string {
  if (regret === Infinity) return 'inf (never reached)';
  return objective.unit === 'accuracy' ? `${(regret * 100).toFixed(1)} pts` : `${round(regret)} ${objective.unit}`;
}

function percent(value: number): string {
  return `${Number((value * 100).toFixed(1))}%`;
}

function round(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(0) : Number(value.toPrecision(3)).toString();
}
