import type { Bundle } from './bundle.js';
import { compareScores, scoreOptionsFor, type Objective } from './objective.js';
import { scoreRun, type RunScore, type ScoreOptions } from './score-run.js';
import { spliceBranch, type SplicedRun } from './splice.js';

/** One outcome on a bundle, scored: a spliced run of some kind, or the 12-12 baseline. */
export interface Outcome extends SplicedRun {
  /** How the row is named, e.g. "fixed --at 8", "never (small only)". */
  readonly label: string;
  /** A replayed policy, a recorded branch, the small run, or the 12-12 run. */
  readonly kind: 'policy' | 'branch' | 'never' | 'baseline';
  readonly score: RunScore;
  /** The objective's value (smaller is better; `+Infinity` never reached). */
  readonly value: number;
}

/** The best a policy could have done on a bundle, knowing the outcomes. */
export interface Oracle {
  /** Every outcome a policy can produce here: each recorded branch by switch round, then never. */
  readonly candidates: readonly Outcome[];
  /** The best of `candidates` (see `compareScores` for ties; equal ones go to the earlier switch). */
  readonly best: Outcome;
  /** The 12-12 run, shown for reference: a policy that starts small cannot produce it. */
  readonly baseline: Outcome;
}

/**
 * The best switch round in hindsight for an objective: among the recorded branches and "never"
 * (small only) — everything `spliceBranch` can produce, so a replayed policy's regret is never
 * negative — the one with the best objective value.
 *
 * @example
 * const oracle = findOracle(bundle, parseObjective('time-to:0.9'), { referenceMax: 0.65 });
 * oracle.best.usedBranch; // e.g. 8
 */
export function findOracle(bundle: Bundle, objective: Objective, options: ScoreOptions): Oracle {
  const scoring = scoreOptionsFor(objective, options);
  const candidates = [
    ...bundle.branches.map(({ switchAfter }) => scoreOutcome(`fixed --at ${switchAfter}`, 'branch', spliceBranch(bundle, switchAfter), objective, scoring)),
    scoreOutcome('never (small only)', 'never', spliceBranch(bundle, undefined), objective, scoring),
  ];
  const best = [...candidates].sort((a, b) => compareScores(objective, a.score, b.score))[0]!;
  const large = { rounds: bundle.large.rounds, switchAfter: undefined, usedBranch: undefined };
  return { candidates, best, baseline: scoreOutcome('12-12 (large only)', 'baseline', large, objective, scoring) };
}

/**
 * Scores a run as an outcome; `options` must already measure what the objective reads (see
 * `scoreOptionsFor`).
 *
 * @example
 * scoreOutcome('plateau', 'policy', replay.run, objective, scoreOptionsFor(objective, { referenceMax: 0.65 }));
 */
export function scoreOutcome(label: string, kind: Outcome['kind'], run: SplicedRun, objective: Objective, options: ScoreOptions): Outcome {
  const score = scoreRun(run.rounds, options);
  return { ...run, label, kind, score, value: objective.value(score) };
}

/**
 * How much worse a value is than the oracle's, in the objective's units (0 when equal, including
 * both never reached; `+Infinity` when only the oracle got there).
 *
 * @example
 * regret(420, 380); // 40 (seconds, for time-to)
 */
export function regret(value: number, oracleValue: number): number {
  return value === oracleValue ? 0 : value - oracleValue;
}
