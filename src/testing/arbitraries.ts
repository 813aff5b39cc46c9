import fc from 'fast-check';
import type { PolicyRecord } from '../metrics/round-record.js';
import type { ObjectiveSpec } from '../policy/objective-spec.js';
import type { GearInfo } from '../policy/policy.js';
import type { PolicyRun } from './policy-run.js';
import { gearsFromShifts, recordRun, type CostModel, type Dip, type GearCurve, type RoundNoise, type RunScenario, type Stall } from './run-scenario.js';

/** A count given exactly or as an inclusive range. */
export type CountRange = number | { readonly min: number; readonly max: number };

/** The shape of generated runs. */
export interface RunShape {
  /** Gears in the ladder (default 2 to 3). */
  readonly gears?: CountRange;
  /** Rounds in the run (default 10 to 60). */
  readonly rounds?: CountRange;
}

/** What the validation metrics of a generated scenario do. */
export interface ScenarioShape extends RunShape {
  /**
   * `learning` (default): noisy saturating curves with plateaus and dips; `flat`: every round of
   * every gear measures the same accuracy and loss, drawn from `levels`.
   */
  readonly signal?: 'learning' | 'flat';
  /** Accuracies a flat signal sits at (default 0.1 to 0.9). */
  readonly levels?: fc.Arbitrary<number>;
  /**
   * `jittery` (default): training seconds jitter, uploads go missing, the first round after a
   * shift pays for the growth transfer; `exact`: every round costs exactly its gear's size, so one
   * round of the next gear costs what the ladder predicts.
   */
  readonly costs?: 'jittery' | 'exact';
}

const defaultGears = { min: 2, max: 3 };

/**
 * A real number in [min, max], spread evenly over the values (`fc.double` spreads over their
 * floating-point encodings, so a range from 0 mostly yields tiny numbers). It shrinks towards 0
 * when the range holds 0, else towards `min`.
 *
 * @example
 * realArb(-0.2, 0.4); // a relative jitter, shrinking to none
 */
export function realArb(min: number, max: number): fc.Arbitrary<number> {
  if (!(Number.isFinite(min) && Number.isFinite(max) && min <= max)) throw new Error(`realArb's bounds must be finite with min <= max, but got ${min} and ${max}.`);
  const steps = 1 << 20;
  if (min < 0 && max > 0) return fc.integer({ min: -steps, max: steps }).map((step) => (step < 0 ? (-min * step) / steps : (max * step) / steps));
  return fc.integer({ min: 0, max: steps }).map((step) => min + ((max - min) * step) / steps);
}

// Picks a round anywhere in a run, in [0, 1): with bias, fast-check would favour the first round.
const anyFraction = fc.noBias(realArb(0, 1).filter((fraction) => fraction < 1));
const defaultRounds = { min: 10, max: 60 };

/**
 * A ladder of gears, smallest first: each gear has 2 to 8 times the parameters of the one below,
 * and moves `2 x clients x 4 bytes x parameters` per round (float32 weights down to every client
 * and back), for 2 to 20 clients.
 *
 * @example
 * fc.sample(ladderArb({ gears: 3 }), 1)[0]!.map((gear) => gear.name); // ['tiny', 'small', 'large']
 */
export function ladderArb({ gears = defaultGears }: Pick<RunShape, 'gears'> = {}): fc.Arbitrary<GearInfo[]> {
  const { min, max } = range('gears', gears, 1);
  return fc
    .record({
      smallest: fc.integer({ min: 20_000, max: 2_000_000 }),
      ratios: fc.array(realArb(2, 8), { minLength: max - 1, maxLength: max - 1 }),
      count: fc.integer({ min, max }),
      clients: fc.integer({ min: 2, max: 20 }),
    })
    .map(({ smallest, ratios, count, clients }) => {
      const names = gearNames(count);
      let parameters = smallest;
      return names.map((name, index) => {
        if (index > 0) parameters = Math.round(parameters * ratios[index - 1]!);
        return { name, parameters, bytesPerRound: 2 * clients * 4 * parameters };
      });
    });
}

/**
 * How one gear learns: a ceiling accuracy (0.3 to 0.9), a time constant of 1 to 25 rounds, an
 * accuracy drop of up to 0.1 when the run shifts into it, and up to two plateaus (stalls of 2 to
 * 15 rounds) and two dips (losing 5% to 50% of the accuracy, recovering within a few rounds).
 *
 * @example
 * fc.sample(gearCurveArb(), 1)[0]!.tau; // e.g. 7.3
 */
export function gearCurveArb(): fc.Arbitrary<GearCurve> {
  const stall: fc.Arbitrary<Stall> = fc.record({ at: fc.integer({ min: 1, max: 60 }), rounds: fc.integer({ min: 2, max: 15 }) });
  const dip: fc.Arbitrary<Dip> = fc.record({
    at: fc.integer({ min: 1, max: 60 }),
    depth: realArb(0.05, 0.5),
    recovery: realArb(0.5, 5),
  });
  return fc.record({
    ceiling: realArb(0.3, 0.9),
    tau: realArb(1, 25),
    drop: realArb(0, 0.1),
    stalls: fc.array(stall, { maxLength: 2 }),
    dips: fc.array(dip, { maxLength: 2 }),
  });
}

/**
 * Wall-time costs of a run: 0.5 to 60 s of training per round of the first gear, with smaller
 * aggregation and evaluation times and a growth transfer of up to 2 minutes after each shift.
 *
 * @example
 * fc.sample(costArb(), 1)[0]!.trainingSeconds; // e.g. 12.4
 */
export function costArb(): fc.Arbitrary<CostModel> {
  return fc.record({
    trainingSeconds: realArb(0.5, 60),
    aggregationSeconds: realArb(0, 0.5),
    evaluationSeconds: realArb(0.05, 5),
    distillationSeconds: realArb(0, 120),
  });
}

/**
 * Any objective a run can be judged by (see `ObjectiveSpec`), with budgets and fractions over
 * the ranges users give: policies must obey every law whatever the user optimises.
 *
 * @example
 * fc.sample(objectiveArb(), 3); // e.g. [{ kind: 'max-accuracy', ... }, { kind: 'time-to', fraction: 0.97, ... }, ...]
 */
export function objectiveArb(): fc.Arbitrary<ObjectiveSpec> {
  const fraction = fc.constantFrom(0.6, 0.8, 0.9, 0.95, 0.97, 0.99, 1);
  return fc.oneof(
    fc.constant<ObjectiveSpec>({ kind: 'max-accuracy', spec: 'max-accuracy' }),
    fc.record({ kind: fc.constantFrom('time-to' as const, 'mb-to' as const), fraction }).map((o): ObjectiveSpec => ({ ...o, spec: `${o.kind}:${o.fraction}` })),
    fc.integer({ min: 1, max: 100_000 }).map((megabytes): ObjectiveSpec => ({ kind: 'accuracy-at-mb', megabytes, spec: `accuracy-at-mb:${megabytes}` })),
    fc.integer({ min: 1, max: 100_000 }).map((seconds): ObjectiveSpec => ({ kind: 'accuracy-at-seconds', seconds, spec: `accuracy-at-seconds:${seconds}` })),
  );
}

/**
 * A whole simulated run (see `RunScenario`): a ladder, one learning curve per gear (each gear's
 * ceiling 0 to 0.2 above the one below, at most 0.98), costs, and per-round noise. Accuracy noise has a per-run size of up to
 * 0.03, the loss follows the accuracy (`-ln(accuracy)` times a per-run scale, 3% noise).
 *
 * @example
 * fc.assert(fc.asyncProperty(runScenarioArb({ gears: 3 }), async (scenario) => {
 *   const run = await followDecisions(policy, scenario);
 *   expect(run.shiftsAfter.length).toBeLessThanOrEqual(2);
 * }));
 */
export function runScenarioArb(shape: ScenarioShape = {}): fc.Arbitrary<RunScenario> {
  const { min, max } = range('rounds', shape.rounds ?? defaultRounds, 1);
  const gears = range('gears', shape.gears ?? defaultGears, 1);
  const flat = shape.signal === 'flat';
  const exact = shape.costs === 'exact';
  const unitNoise = fc.record({
    accuracy: realArb(-1, 1),
    loss: realArb(-0.03, 0.03),
    seconds: realArb(-0.2, 0.4),
    bytesLost: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: realArb(0, 0.5) }),
  });
  return fc
    .record({
      ladder: ladderArb({ gears }),
      start: realArb(0.05, 0.2),
      level: shape.levels ?? realArb(0.1, 0.9),
      lossScale: realArb(0.8, 1.3),
      curves: fc.array(gearCurveArb(), { minLength: gears.max, maxLength: gears.max }),
      gains: fc.array(realArb(0, 0.2), { minLength: gears.max, maxLength: gears.max }),
      costs: costArb(),
      sigma: realArb(0, 0.03),
      noise: fc.array(unitNoise, { minLength: min, maxLength: max }),
      objective: objectiveArb(),
      trainingGaps: fc.option(fc.array(realArb(-0.05, 0.4), { minLength: gears.max, maxLength: gears.max }), { nil: undefined }),
    })
    .map(({ ladder, start, level, lossScale, curves, gains, costs, sigma, noise, objective, trainingGaps }): RunScenario => {
      // A larger gear learns to a higher accuracy than the one below, by up to 0.2.
      const ceilings: number[] = [];
      curves.forEach((curve, gear) => ceilings.push(gear === 0 ? curve.ceiling : Math.min(0.98, ceilings[gear - 1]! + gains[gear]!)));
      return {
        context: { plannedRounds: noise.length, ladder, objective },
        ...(trainingGaps === undefined ? {} : { trainingGaps }),
        start: flat ? level : start,
        lossScale,
        curves: ladder.map((_, gear) =>
          flat ? { ceiling: level, tau: 1, drop: 0, stalls: [], dips: [] } : { ...curves[gear]!, ceiling: ceilings[gear]!, drop: gear === 0 ? 0 : curves[gear]!.drop },
        ),
        costs: exact ? { ...costs, distillationSeconds: 0 } : costs,
        noise: noise.map(
          (unit): RoundNoise => ({
            accuracy: flat ? 0 : unit.accuracy * sigma,
            loss: flat ? 0 : unit.loss,
            seconds: exact ? 0 : unit.seconds,
            bytesLost: exact ? 0 : unit.bytesLost,
          }),
        ),
      };
    });
}

/**
 * Validation accuracies of one gear learning for `rounds` rounds: a noisy saturating curve
 * `c - (c - start) e^(-r/tau)` with plateaus and dips, in [0, 1].
 *
 * @example
 * fc.assert(fc.property(curveArb({ rounds: 30 }), (accuracies) => accuracies.every((a) => a >= 0 && a <= 1)));
 */
export function curveArb({ rounds = defaultRounds }: Pick<RunShape, 'rounds'> = {}): fc.Arbitrary<number[]> {
  return runScenarioArb({ gears: 1, rounds }).map((scenario) => recordRun(scenario, scenario.noise.map(() => 0)).map((record) => record.validation.accuracy));
}

/**
 * A recorded run: a scenario played with shifts after generated rounds, so the records' gears
 * step up one at a time like the engine's (some runs never shift, some reach the top gear).
 * Records are valid: accuracy in [0, 1], positive loss, integer bytes, cumulative totals that
 * add up the per-round values and never decrease.
 *
 * @example
 * fc.assert(fc.asyncProperty(recordedRunArb({ gears: 3, rounds: { min: 20, max: 40 } }), async (run) => {
 *   const decisions = await replayRun(plugin.create(options, run.context), run);
 * }));
 */
export function recordedRunArb(shape: ScenarioShape = {}): fc.Arbitrary<PolicyRun> {
  const gears = range('gears', shape.gears ?? defaultGears, 1);
  return fc
    .tuple(runScenarioArb(shape), fc.array(anyFraction, { maxLength: gears.max - 1 }))
    .map(([scenario, fractions]) => {
      const rounds = scenario.noise.length;
      const shifts = fractions.slice(0, scenario.context.ladder.length - 1).map((fraction) => 1 + Math.floor(fraction * (rounds - 1)));
      const shiftsAfter = [...new Set(shifts)].filter((after) => after < rounds).sort((a, b) => a - b);
      return { context: scenario.context, records: recordRun(scenario, gearsFromShifts(rounds, shiftsAfter)) };
    });
}

/** A validation measurement gone wrong, as `withIncompleteRounds` injects it. */
export type IncompleteValidation = 'accuracy NaN' | 'loss NaN' | 'both NaN' | 'loss Infinity' | 'accuracy missing';

const breakages: Record<IncompleteValidation, (validation: PolicyRecord['validation']) => PolicyRecord['validation']> = {
  'accuracy NaN': ({ loss }) => ({ accuracy: Number.NaN, loss }),
  'loss NaN': ({ accuracy }) => ({ accuracy, loss: Number.NaN }),
  'both NaN': () => ({ accuracy: Number.NaN, loss: Number.NaN }),
  'loss Infinity': ({ accuracy }) => ({ accuracy, loss: Number.POSITIVE_INFINITY }),
  'accuracy missing': ({ loss }) => ({ loss }) as PolicyRecord['validation'],
};

/**
 * Breaks the validation measurement of some rounds of each generated run (see
 * `isIncompleteRecord`): NaN or missing accuracy, NaN or infinite loss. Costs stay valid.
 * `breaks` is how many rounds to pick (default 1 to 8; a round picked twice breaks once).
 *
 * @example
 * withIncompleteRounds(recordedRunArb({ gears: 2 })); // runs with a few diverged rounds
 */
export function withIncompleteRounds(runs: fc.Arbitrary<PolicyRun>, breaks: CountRange = { min: 1, max: 8 }): fc.Arbitrary<PolicyRun> {
  const { min, max } = range('breaks', breaks, 1);
  const kind = fc.constantFrom(...(Object.keys(breakages) as IncompleteValidation[]));
  const picks = fc.array(fc.tuple(anyFraction, kind), { minLength: min, maxLength: max });
  return fc.tuple(runs, picks).map(([run, chosen]) => {
    const broken = new Map(chosen.map(([fraction, how]) => [Math.floor(fraction * run.records.length), how]));
    return {
      context: run.context,
      records: run.records.map((record, index) => {
        const how = broken.get(index);
        return how === undefined ? record : { ...record, validation: breakages[how](record.validation) };
      }),
    };
  });
}

function gearNames(count: number): string[] {
  if (count === 1) return ['small'];
  if (count === 2) return ['small', 'large'];
  if (count === 3) return ['tiny', 'small', 'large'];
  return Array.from({ length: count }, (_, index) => `gear-${index}`);
}

function range(what: string, count: CountRange, least: number): { min: number; max: number } {
  const { min, max } = typeof count === 'number' ? { min: count, max: count } : count;
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < least || max < min) {
    throw new Error(`${what} must be an integer >= ${least} or a range { min, max } of them with min <= max, but got ${JSON.stringify(count)}.`);
  }
  return { min, max };
}
