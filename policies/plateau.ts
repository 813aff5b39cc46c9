import { linearRegression, mean } from '../src/vendor/simple-statistics.js';
import { currentGearRecords, definePolicy, hold, isIncompleteRecord, type PolicyRecord, shift } from 'fedgear/policy';

/**
 * plateau: shifts when the monitored validation metric of the current gear stops improving,
 * following the conventions of Keras `ReduceLROnPlateau` and PyTorch
 * `torch.optim.lr_scheduler.ReduceLROnPlateau` (monitor, mode, min delta, threshold mode, patience).
 *
 * Rule, detector `best` (the Keras/PyTorch one): a round improves when it beats the best value so
 * far in this gear by more than `minDelta` (relative: beyond `best x (1 ± minDelta)`; absolute:
 * beyond `best ± minDelta`). Shift once `patience` rounds in a row did not improve (Keras counts
 * it this way: patience 5 = five flat rounds, then shift).
 * Detector `slope`: fit a least-squares line to the metric over the last `window` rounds and shift
 * when its slope, in the improving direction, is at most `minDelta` per round (relative: times the
 * window's mean value).
 * No decision before round `warmup` of the gear; each gear is judged on its own rounds only.
 *
 * NaN: a NaN (diverged) metric in the latest round holds, since no decision is taken on a broken
 * measurement; earlier NaNs count as rounds without improvement (`best`) and are left out of the
 * fit (`slope`).
 *
 * @example
 * fedgear run --policy plateau --patience 5 --min-delta 0.005 --threshold-mode abs
 * fedgear run --policy plateau --detector slope --window 8 --min-delta 0.001 --threshold-mode abs
 */
export default definePolicy({
  name: 'plateau',
  description: 'Shifts when the validation metric of the current gear stops improving (Keras/PyTorch ReduceLROnPlateau).',
  options: {
    monitor: { type: 'enum', choices: ['validation-accuracy', 'validation-loss'], default: 'validation-accuracy', help: 'metric to watch' },
    mode: {
      type: 'enum',
      choices: ['auto', 'max', 'min'],
      default: 'auto',
      help: 'whether the metric improves by rising (max) or falling (min); auto: max for accuracy, min for loss',
    },
    minDelta: {
      type: 'number',
      min: 0,
      // Not PyTorch's 1e-4: a validation split of a few hundred images moves by a point of
      // accuracy from noise alone, and a noise-sized "improvement" would postpone the shift forever.
      default: 0.01,
      help: 'smallest change that counts as an improvement: a fraction of the best value (rel) or in metric units (abs)',
    },
    thresholdMode: { type: 'enum', choices: ['rel', 'abs'], default: 'abs', help: 'min-delta relative to the best value (rel) or absolute (abs)' },
    patience: { type: 'integer', min: 1, unit: 'rounds', help: 'rounds without improvement before shifting (detector best; default 10)' },
    warmup: { type: 'integer', min: 0, default: 0, unit: 'rounds', help: 'rounds of each gear before any decision' },
    detector: {
      type: 'enum',
      choices: ['best', 'slope'],
      default: 'best',
      help: 'best: rounds since the best value; slope: least-squares slope over the last window rounds',
    },
    window: { type: 'integer', min: 2, unit: 'rounds', help: 'rounds the slope is fitted over (detector slope; default 10)' },
  },
  create(options) {
    const { monitor, minDelta, thresholdMode, warmup, detector } = options;
    if (detector === 'best' && options.window !== undefined) {
      throw new Error(`plateau: window must be unset with detector 'best' (it belongs to detector 'slope'), but got ${options.window}.`);
    }
    if (detector === 'slope' && options.patience !== undefined) {
      throw new Error(`plateau: patience must be unset with detector 'slope' (it belongs to detector 'best'), but got ${options.patience}.`);
    }
    const patience = options.patience ?? 10;
    const window = options.window ?? 10;
    const rising = options.mode === 'auto' ? monitor === 'validation-accuracy' : options.mode === 'max';
    const label = monitor === 'validation-accuracy' ? 'validation accuracy' : 'validation loss';
    const value = (record: PolicyRecord) => (monitor === 'validation-accuracy' ? record.validation.accuracy : record.validation.loss);
    const delta = thresholdMode === 'rel' ? `${minDelta * 100}% (relative)` : `${minDelta}`;
    // Both detectors compare an improvement (positive = better) with this threshold.
    const threshold = (level: number) => (thresholdMode === 'rel' ? minDelta * Math.abs(level) : minDelta);
    const improvement = (from: number, to: number) => (rising ? to - from : from - to);

    return {
      decide(history, { ladder }) {
        const last = history.at(-1);
        if (last === undefined || last.gear >= ladder.length - 1) return hold('no larger gear to shift to');
        if (isIncompleteRecord(last)) return hold(`round ${last.round} has incomplete validation metrics: no decision on a broken measurement`);
        const gear = currentGearRecords(history);
        if (gear.length < warmup) return hold(`warm-up: round ${gear.length} of ${warmup} of ${last.gearName}`);
        return detector === 'best' ? sinceBest(gear) : slope(gear);
      },
    };

    function sinceBest(gear: readonly PolicyRecord[]) {
      let best: PolicyRecord | undefined;
      let flat = 0;
      for (const record of gear) {
        const current = value(record);
        const improved = Number.isFinite(current) && (best === undefined || improvement(value(best), current) > threshold(value(best)));
        if (improved) [best, flat] = [record, 0];
        else flat += 1;
      }
      const since = `best ${format(value(best!))} at round ${best!.round}`;
      if (flat < patience) return hold(`${label} ${flat} of ${patience} rounds without improving by more than ${delta} (${since})`);
      return shift(`${label} has not improved by more than ${delta} for ${flat} round${flat === 1 ? '' : 's'} (${since})`);
    }

    function slope(gear: readonly PolicyRecord[]) {
      const recent = gear.slice(-window);
      if (recent.length < window) return hold(`collecting rounds for the slope: ${recent.length} of ${window}`);
      const points = recent.filter((record) => Number.isFinite(value(record))).map((record): [number, number] => [record.round, value(record)]);
      if (points.length < 2) return hold(`fewer than 2 finite ${label} values in the last ${window} rounds`);
      const { m } = linearRegression(points);
      const perRound = improvement(0, m);
      const limit = threshold(mean(points.map(([, y]) => y)));
      const trend = `${label} changes by ${format(m)} per round over the last ${window} rounds`;
      if (perRound > limit) return hold(`${trend}, improving by more than ${format(limit)} per round`);
      return shift(`${trend}, improving by at most ${format(limit)} per round`);
    }
  },
});

function format(value: number): string {
  return Number(value.toPrecision(3)).toString();
}
