import { describe, expect, it } from 'vitest';
import fixed from '../../policies/fixed.js';
import type { Decision } from '../../src/policy/decision.js';
import { validateOptions } from '../../src/policy/options-schema.js';
import { followDecisions } from '../policy/follow-decisions.js';
import { context, makeRecords, threeGears } from '../policy/records.js';

const create = (raw: Record<string, unknown>, plannedRounds = 200, ladder = context().ladder) =>
  fixed.create(validateOptions('fixed', fixed.options, raw), context({ plannedRounds, ladder }));

describe('the fixed policy', () => {
  it("shifts exactly after round N (the paper's Gear 40)", async () => {
    const run = await followDecisions(create({ at: '40' }), context(), 60, () => ({ accuracy: 0.5 }));
    expect(run.shiftsAfter).toEqual([40]);
    expect(run.decisions[39]!.reason).toBe('small has trained 40 rounds (fixed schedule: 40 per gear)');
    expect(run.decisions[38]!.reason).toBe('small has trained 39 of 40 rounds');
  });

  it.each([
    [0.1, 20],
    [0.2, 40],
    [0.3, 60],
    [0.4, 80],
  ])('shifts after fraction %d of 200 planned rounds, i.e. round %d', async (fraction, round) => {
    const run = await followDecisions(create({ fraction }), context(), round + 5, () => ({ accuracy: 0.5 }));
    expect(run.shiftsAfter).toEqual([round]);
  });

  it('shifts again every N rounds on a three-gear ladder, then stays on the top gear', async () => {
    const ladder = threeGears;
    const run = await followDecisions(create({ at: 10 }, 200, ladder), context({ ladder }), 35, () => ({ accuracy: 0.5 }));
    expect(run.shiftsAfter).toEqual([10, 20]);
    expect(run.gears.slice(8, 22)).toEqual([0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2]);
  });

  it('keeps answering shift once the count is reached, so combinations can wait for it', () => {
    const policy = create({ at: 2 });
    const history = makeRecords([0.5, 0.5, 0.5]);
    const actions = [1, 2, 3].map((rounds) => (policy.decide(history.slice(0, rounds), context()) as Decision).action);
    expect(actions).toEqual(['hold', 'shift', 'shift']);
  });

  describe('refuses', () => {
    it('an at below 1', () => {
      expect(() => create({ at: '0' })).toThrow("fixed: at must be an integer >= 1, but got '0'.");
    });
    it('a fraction outside (0, 1]', () => {
      expect(() => create({ fraction: '1.2' })).toThrow("fixed: fraction must be a number > 0 and <= 1, but got '1.2'.");
    });
    it('both at and fraction', () => {
      expect(() => create({ at: 40, fraction: 0.2 })).toThrow('fixed: exactly one of at and fraction must be given, but got at 40 and fraction 0.2.');
    });
    it('neither at nor fraction', () => {
      expect(() => create({})).toThrow('fixed: exactly one of at and fraction must be given, but got neither.');
    });
    it('a fraction of the plan shorter than one round', () => {
      expect(() => create({ fraction: 0.001 }, 100)).toThrow('fixed: fraction x planned rounds must be at least 1 round, but got 0.001 x 100 = 0.1.');
    });
  });
});
