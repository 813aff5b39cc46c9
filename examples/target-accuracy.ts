import { currentGearRecords, definePolicy, hold, isIncompleteRecord, shift } from 'fedgear/policy';

/**
 * target-accuracy: a complete third-party policy plugin. It shifts once the current gear's
 * validation accuracy has reached a target for a few rounds in a row: when the small model is
 * "good enough", spend the rest of the run on the large one.
 *
 * Rule: shift when each of the last `confirm` rounds of the current gear has a validation accuracy
 * of at least `target` (so one lucky round does not count). No decision before round `warmup` of
 * the gear.
 *
 * NaN: a NaN accuracy is below any target, so it interrupts a streak.
 *
 * @example
 * npx tsc -b && fedgear run --policy ./dist/examples/target-accuracy.js --policy-opt target=0.55 --policy-opt confirm=3
 */
export default definePolicy({
  name: 'target-accuracy',
  description: 'Shifts once validation accuracy has reached a target for several rounds in a row.',
  options: {
    target: { type: 'number', greaterThan: 0, max: 1, default: 0.5, unit: 'accuracy', help: 'validation accuracy to reach' },
    confirm: { type: 'integer', min: 1, default: 2, unit: 'rounds', help: 'consecutive rounds at or above the target before shifting' },
    warmup: { type: 'integer', min: 0, default: 0, unit: 'rounds', help: 'rounds of each gear before any decision' },
  },
  create({ target, confirm, warmup }) {
    return {
      decide(history, { ladder }) {
        const last = history.at(-1);
        if (last === undefined || last.gear >= ladder.length - 1) return hold('no larger gear to shift to');
        if (isIncompleteRecord(last)) return hold(`round ${last.round} has incomplete validation metrics: no decision on a broken measurement`);
        const gear = currentGearRecords(history);
        if (gear.length < warmup) return hold(`warm-up: round ${gear.length} of ${warmup} of ${last.gearName}`);

        const recent = gear.slice(-confirm);
        const reached = recent.filter((record) => record.validation.accuracy >= target).length;
        const accuracy = `validation accuracy ${(last.validation.accuracy * 100).toFixed(1)}%`;
        if (recent.length < confirm || reached < confirm) {
          return hold(`${accuracy}; ${reached} of the last ${confirm} rounds at or above ${target * 100}%`);
        }
        return shift(`${accuracy}: at or above ${target * 100}% for ${confirm} rounds in a row`);
      },
    };
  },
});
