import { linearRegression } from '../src/vendor/simple-statistics.js';
import { currentGearRecords, definePolicy, hold, isIncompleteRecord, type PolicyRecord, shift } from 'fedgear/policy';

/**
 * fitting-risk: grows sooner when the model underfits and later when it overfits, judged by the
 * gap between the clients' training accuracy and the validation accuracy. The idea of FRAGrow
 * (Wu et al., "When To Grow? A Fitting Risk-Aware Policy for Layer Growing", 2024): a model that
 * fits its training data no better than unseen data is short of capacity, and growing pays off;
 * one that fits its training data much better has capacity to spare, and growing would add to
 * the overfitting.
 *
 * Rule, from round `warmup` of a gear on, over the last `window` rounds of the gear:
 * - the fitting gap is the mean of training accuracy minus validation accuracy;
 * - the progress is the least-squares slope of validation accuracy per round;
 * - the progress threshold is `minGain` while the gap is at most `underfitGap` (underfitting),
 *   and `minGain x underfitGap / gap` above it: the more the model overfits, the flatter its
 *   curve must be before it grows;
 * - shift when the progress is below the threshold.
 *
 * Without training metrics (version-1 run files, trainers that do not report them) the gap is
 * unknown: the threshold stays `minGain`, as at the underfitting boundary, and the reason says so.
 * NaN: a round with incomplete validation metrics holds; non-finite values are left out of the
 * gap and the slope.
 *
 * @example
 * fedgear run --policy fitting-risk
 * fedgear run --policy fitting-risk --underfit-gap 0.03 --min-gain 0.004
 */
export default definePolicy({
  name: 'fitting-risk',
  description: 'Grows when validation progress slows, sooner when training and validation accuracy agree (underfitting), later when they part (overfitting): FRAGrow.',
  options: {
    warmup: { type: 'integer', min: 2, default: 3, unit: 'rounds', help: 'rounds of each gear before any decision' },
    window: { type: 'integer', min: 2, default: 4, unit: 'rounds', help: 'recent rounds of the gear the gap and the progress are measured over' },
    underfitGap: {
      type: 'number',
      greaterThan: 0,
      max: 1,
      default: 0.05,
      unit: 'accuracy',
      help: 'training minus validation accuracy at or below which the model counts as underfitting',
    },
    minGain: {
      type: 'number',
      min: 0,
      default: 0.005,
      unit: 'accuracy per round',
      help: 'validation progress per round below which an underfitting model grows (scaled down as it overfits)',
    },
  },
  create({ warmup, window, underfitGap, minGain }) {
    return {
      decide(history, { ladder }) {
        const last = history.at(-1);
        if (last === undefined || last.gear >= ladder.length - 1) return hold('no larger gear to shift to');
        if (isIncompleteRecord(last)) return hold(`round ${last.round} has incomplete validation metrics: no decision on a broken measurement`);
        const gear = currentGearRecords(history);
        if (gear.length < Math.max(warmup, 2)) return hold(`warm-up: round ${gear.length} of ${warmup} of ${last.gearName}`);
        const recent = gear.slice(-window);
        const points = recent.filter((record) => Number.isFinite(record.validation.accuracy)).map((record): [number, number] => [record.round, record.validation.accuracy]);
        if (points.length < 2) return hold(`fewer than 2 finite validation accuracies in the last ${window} rounds`);
        const progress = linearRegression(points).m;

        const gap = fittingGap(recent);
        const threshold = gap === undefined || gap <= underfitGap ? minGain : (minGain * underfitGap) / gap;
        const state =
          gap === undefined
            ? 'no training metrics, fitting risk unknown'
            : gap <= underfitGap
              ? `underfitting: training accuracy ${pts(gap)} points above validation (at most ${pts(underfitGap)})`
              : `overfitting: training accuracy ${pts(gap)} points above validation (over ${pts(underfitGap)})`;
        const trend = `validation accuracy ${signed(progress)} points per round over the last ${points.length} rounds`;
        if (progress >= threshold) return hold(`${state}; ${trend}, at least ${pts(threshold)}: still learning`);
        return shift(`${state}; ${trend}, below ${pts(threshold)}: growing`);
      },
    };
  },
});

/** Mean training-minus-validation accuracy over the rounds that report both; undefined if none do. */
function fittingGap(records: readonly PolicyRecord[]): number | undefined {
  const gaps = records
    .map((record) => (record.training === undefined ? NaN : record.training.accuracy - record.validation.accuracy))
    .filter((gap) => Number.isFinite(gap));
  return gaps.length === 0 ? undefined : gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length;
}

function pts(value: number): string {
  return Number((value * 100).toPrecision(3)).toString();
}

function signed(value: number): string {
  const text = pts(value);
  return value >= 0 ? `+${text}` : text;
}
