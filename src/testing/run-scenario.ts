import type { PolicyRecord } from '../metrics/round-record.js';
import type { PolicyContext } from '../policy/policy.js';

/** A stretch of rounds in which a gear stops learning, then picks up where it left off. */
export interface Stall {
  /** Round of the gear (1-based) the stall starts at. */
  readonly at: number;
  /** How many rounds learning stays stalled. */
  readonly rounds: number;
}

/** A sudden drop in accuracy (a bad aggregation, a learning-rate spike) that recovers exponentially. */
export interface Dip {
  /** Round of the gear (1-based) the drop happens in. */
  readonly at: number;
  /** Share of the accuracy lost at that round, in [0, 1]. */
  readonly depth: number;
  /** Rounds for the loss to shrink by a factor e. */
  readonly recovery: number;
}

/**
 * How one gear learns, counted in its own rounds: from where it starts, accuracy saturates towards
 * `ceiling` as `c - (c - start) * e^(-t/tau)`, where `t` counts the rounds that were not stalled.
 *
 * @example
 * const curve: GearCurve = { ceiling: 0.7, tau: 8, drop: 0.05, stalls: [{ at: 10, rounds: 6 }], dips: [] };
 */
export interface GearCurve {
  /** Accuracy the gear approaches, in [0, 1]. */
  readonly ceiling: number;
  /** Rounds to cover 63% of the way from the start to the ceiling; > 0. */
  readonly tau: number;
  /** Accuracy lost when the run shifts into this gear (the grown model starts a little worse). */
  readonly drop: number;
  readonly stalls: readonly Stall[];
  readonly dips: readonly Dip[];
}

/** What one round adds on top of the curves: measurement noise and cost jitter. */
export interface RoundNoise {
  /** Added to the validation accuracy (the result is clamped to [0, 1]). */
  readonly accuracy: number;
  /** Relative noise of the loss: the loss is scaled by `1 + loss`; > -1. */
  readonly loss: number;
  /** Relative jitter of the training seconds: scaled by `1 + seconds`; > -1. */
  readonly seconds: number;
  /** Share of the clients' uploads missing this round, in [0, 1). */
  readonly bytesLost: number;
}

/** Wall seconds of the run, for gear 0; larger gears take longer in proportion to their parameters. */
export interface CostModel {
  /** Training seconds of one round of gear 0, before jitter. */
  readonly trainingSeconds: number;
  /** Aggregation seconds of one round of gear 0. */
  readonly aggregationSeconds: number;
  /** Evaluation seconds of one round of gear 0. */
  readonly evaluationSeconds: number;
  /** Growth-transfer seconds, per parameter ratio, added to the first round after every shift. */
  readonly distillationSeconds: number;
}

/**
 * Everything a simulated run measures, whatever gears it trains when: one learning curve per gear
 * of the ladder, a cost model, and one `RoundNoise` per round (their number is the run's length).
 * `recordRun` turns it into records for a given gear per round; `followDecisions` lets a policy
 * choose the gears. Plain data, so fast-check can shrink and print it.
 *
 * @example
 * const records = recordRun(scenario, [0, 0, 0, 1, 1]); // five rounds, shifted after round 3
 */
export interface RunScenario {
  /** The ladder and the plan; `plannedRounds` is the number of rounds in `noise`. */
  readonly context: PolicyContext;
  /** Validation accuracy of the untrained first gear (chance level). */
  readonly start: number;
  /** Loss at a given accuracy is `lossScale * -ln(accuracy)` (cross-entropy of the true class). */
  readonly lossScale: number;
  /** One curve per gear of the ladder. */
  readonly curves: readonly GearCurve[];
  readonly costs: CostModel;
  /** One entry per round of the run. */
  readonly noise: readonly RoundNoise[];
  /**
   * Per gear, how much higher the clients' training accuracy is than the validation accuracy (the
   * generalisation gap; the training loss follows from it). Absent: records carry no `training`
   * metrics, as version-1 run files and trainers that do not report them.
   */
  readonly trainingGaps?: readonly number[];
}

// Rounds past the scenario's end (e.g. the round after a shift in the last round) are noiseless.
const quiet: RoundNoise = { accuracy: 0, loss: 0, seconds: 0, bytesLost: 0 };

/**
 * Measures a scenario round by round: each call of `next(gear)` returns the next round's record for
 * that gear, with totals carried over. The gear may stay or go up by one, as the engine allows.
 *
 * @example
 * const next = roundMeter(scenario);
 * const first = next(0); const second = next(1); // shifted after round 1
 */
export function roundMeter(scenario: RunScenario): (gear: number) => PolicyRecord {
  const { ladder } = scenario.context;
  let previous: PolicyRecord | undefined;
  let roundOfGear = 0;
  let entry = scenario.start;
  let level = scenario.start;
  return (gear) => {
    const from = previous?.gear ?? 0;
    if (!Number.isInteger(gear) || gear < from || gear > from + 1 || gear >= ladder.length) {
      throw new Error(`the gear of round ${(previous?.round ?? 0) + 1} must be ${from} or ${Math.min(from + 1, ladder.length - 1)}, but got ${gear}.`);
    }
    const curve = scenario.curves[gear]!;
    const shifted = previous !== undefined && gear > from;
    if (shifted) [entry, roundOfGear] = [Math.max(0, level - curve.drop), 0];
    roundOfGear += 1;
    const round = (previous?.round ?? 0) + 1;
    const noise = scenario.noise[round - 1] ?? quiet;
    level = cleanAccuracy(curve, entry, roundOfGear);
    const accuracy = clamp(level + noise.accuracy, 0, 1);
    const loss = scenario.lossScale * -Math.log(Math.max(accuracy, 0.01)) * (1 + noise.loss);
    const gap = scenario.trainingGaps?.[gear];
    const trainingAccuracy = gap === undefined ? undefined : clamp(accuracy + gap, 0, 1);

    const info = ladder[gear]!;
    const scale = info.parameters / ladder[0]!.parameters;
    const sent = Math.round(info.bytesPerRound / 2);
    const received = Math.round(sent * (1 - noise.bytesLost));
    const { costs } = scenario;
    const training = costs.trainingSeconds * scale * (1 + noise.seconds);
    const aggregation = costs.aggregationSeconds * scale;
    const evaluation = costs.evaluationSeconds * scale;
    const distillation = shifted ? costs.distillationSeconds * scale : 0;
    const seconds = training + aggregation + evaluation + distillation;
    const record: PolicyRecord = {
      round,
      gear,
      gearName: info.name,
      parameters: info.parameters,
      validation: { accuracy, loss },
      ...(trainingAccuracy === undefined
        ? {}
        : { training: { accuracy: trainingAccuracy, loss: scenario.lossScale * -Math.log(Math.max(trainingAccuracy, 0.01)) } }),
      bytes: {
        sent,
        received,
        sentTotal: (previous?.bytes.sentTotal ?? 0) + sent,
        receivedTotal: (previous?.bytes.receivedTotal ?? 0) + received,
      },
      seconds: { training, aggregation, distillation, evaluation, round: seconds, total: (previous?.seconds.total ?? 0) + seconds },
    };
    previous = record;
    return record;
  };
}

/**
 * The records of a scenario when round `i + 1` trains gear `gears[i]`: the open-loop recording of
 * a run whose shifts were decided elsewhere (e.g. by the policy that recorded it).
 *
 * @example
 * recordRun(scenario, gearsFromShifts(40, [25])); // 25 rounds of gear 0, then 15 of gear 1
 */
export function recordRun(scenario: RunScenario, gears: readonly number[]): PolicyRecord[] {
  const next = roundMeter(scenario);
  return gears.map((gear) => next(gear));
}

/**
 * The gear of each of `rounds` rounds when the run shifts after the given rounds (one gear up each).
 *
 * @example
 * gearsFromShifts(6, [2, 4]); // [0, 0, 1, 1, 2, 2]
 */
export function gearsFromShifts(rounds: number, shiftsAfter: readonly number[]): number[] {
  return Array.from({ length: rounds }, (_, index) => shiftsAfter.filter((after) => after <= index).length);
}

function cleanAccuracy(curve: GearCurve, start: number, roundOfGear: number): number {
  const stalled = curve.stalls.reduce((sum, stall) => sum + clamp(roundOfGear - stall.at + 1, 0, stall.rounds), 0);
  const learned = roundOfGear - stalled;
  const saturating = curve.ceiling - (curve.ceiling - start) * Math.exp(-learned / curve.tau);
  const kept = curve.dips.reduce((share, dip) => (roundOfGear >= dip.at ? share * (1 - dip.depth * Math.exp(-(roundOfGear - dip.at) / dip.recovery)) : share), 1);
  return clamp(saturating * kept, 0, 1);
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
