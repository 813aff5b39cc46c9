import fc from 'fast-check';
import { describe, it } from 'vitest';
import { currentGearRecords, definePolicy, hold, shift } from 'fedgear/policy';
import { checkLaws, monotoneIn, noShiftBeforeWarmup, shiftsOnFlatSignal } from 'fedgear/testing';

// A plugin as an author would write it, tested exactly as docs/testing-a-policy.md shows, through
// the package entries: like the example plugin, with an early exit for incomplete measurements.
const plugin = definePolicy({
  name: 'steady-target',
  description: 'Shifts once validation accuracy has reached a target for several rounds in a row.',
  options: {
    target: { type: 'number', greaterThan: 0, max: 1, default: 0.5, unit: 'accuracy', help: 'validation accuracy to reach' },
    confirm: { type: 'integer', min: 1, default: 2, unit: 'rounds', help: 'consecutive rounds at or above the target' },
    warmup: { type: 'integer', min: 0, default: 0, unit: 'rounds', help: 'rounds of each gear before any decision' },
  },
  create: ({ target, confirm, warmup }) => ({
    decide(history, { ladder }) {
      const last = history.at(-1)!;
      if (last.gear >= ladder.length - 1) return hold('no larger gear to shift to');
      const { accuracy, loss } = last.validation;
      if (!Number.isFinite(accuracy) || !Number.isFinite(loss)) return hold(`round ${last.round} has no valid validation measurement`);
      const gear = currentGearRecords(history);
      if (gear.length < warmup) return hold(`warm-up: round ${gear.length} of ${warmup}`);
      const streak = gear.slice(-confirm).filter((record) => record.validation.accuracy >= target).length;
      return streak >= confirm ? shift(`at or above ${target} for ${confirm} rounds`) : hold(`${streak} of ${confirm} rounds at or above ${target}`);
    },
  }),
});

describe('a plugin author', () => {
  it('checks the laws every policy should satisfy', async () => {
    await checkLaws(plugin, { target: 0.6 });
  });

  it('checks the promises the plugin makes about its options', async () => {
    await checkLaws(plugin, { target: 0.6 }, {
      laws: [
        noShiftBeforeWarmup({ option: 'warmup' }),
        shiftsOnFlatSignal({ within: ({ warmup, confirm }) => Math.max(Number(warmup), Number(confirm)), levels: fc.double({ min: 0.6, max: 1, noNaN: true }) }),
        monotoneIn({ option: 'confirm', larger: 'no-earlier' }),
      ],
    });
  });
});
