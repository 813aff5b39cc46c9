import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import budget from '../../policies/budget.js';
import type { Decision } from '../../src/policy/decision.js';
import { validateOptions } from '../../src/policy/options-schema.js';
import type { GearInfo } from '../../src/policy/policy.js';
import { followDecisions } from '../policy/follow-decisions.js';
import { context, makeRecords, threeGears, twoGears } from '../policy/records.js';

const create = (raw: Record<string, unknown>, ladder: readonly GearInfo[] = twoGears) =>
  budget.create(validateOptions('budget', budget.options, raw), context({ ladder }));

const constantRun = (raw: Record<string, unknown>, rounds: number, ladder: readonly GearInfo[] = twoGears, seconds = 1) =>
  followDecisions(create(raw, ladder), context({ ladder }), rounds, () => ({ accuracy: 0.5, seconds }));

describe('the budget policy', () => {
  it('by default keeps half of a rounds budget for the larger gear', async () => {
    expect((await constantRun({ budgetRounds: 100 }, 100)).shiftsAfter).toEqual([50]);
  });

  it('without a budget spends the planned rounds', async () => {
    const planned = budget.create(validateOptions('budget', budget.options, { largeShare: 0.25 }), context({ ladder: twoGears, plannedRounds: 40 }));
    const run = await followDecisions(planned, context({ ladder: twoGears, plannedRounds: 40 }), 40, () => ({ accuracy: 0.5, seconds: 1 }));
    expect(run.shiftsAfter).toEqual([30]);
  });

  it('keeps large-rounds rounds of the larger gear, costed by the ladder (MB)', async () => {
    // small moves 4 MB a round, large 16 MB: 10 large rounds need 160 MB of the 400.
    const run = await constantRun({ budgetMb: 400, largeRounds: 10 }, 70);
    expect(run.shiftsAfter).toEqual([60]);
    expect(run.decisions[59]!.reason).toBe('160 MB of 400 MB left, within the 160 MB kept for 10 rounds of each larger gear; large costs ~16 MB per round');
    expect(run.decisions[58]!.reason).toBe('164 MB of 400 MB left; shifting at 160 MB (10 rounds of each larger gear)');
  });

  it('costs seconds by the parameter ratio of the gears', async () => {
    // 2 s a round on small, large has 4x the parameters: 5 large rounds need 40 s of the 100.
    expect((await constantRun({ budgetSeconds: 100, largeRounds: 5 }, 40, twoGears, 2)).shiftsAfter).toEqual([30]);
  });

  it('keeps a share of what was left when the gear started', async () => {
    expect((await constantRun({ budgetMb: 400, largeShare: 0.25 }, 100)).shiftsAfter).toEqual([75]);
  });

  it('on a three-gear ladder shifts twice, keeping budget for every gear above', async () => {
    // Rounds cost 1 on every gear: 20 rounds each for small and large leaves 60 for tiny.
    const run = await constantRun({ budgetRounds: 100, largeRounds: 20 }, 100, threeGears);
    expect(run.shiftsAfter).toEqual([60, 80]);
    const halves = await constantRun({ budgetRounds: 100 }, 100, threeGears);
    expect(halves.shiftsAfter).toEqual([50, 75]);
  });

  it('never shifts when one round of the next gear would not fit in what is left', () => {
    const policy = create({ budgetMb: 10, largeRounds: 5 });
    const history = makeRecords([0.5]);
    expect(policy.decide(history, context())).toEqual({
      action: 'hold',
      reason: '6 MB left, less than one round of large (~16 MB): shifting would overspend',
    });
  });

  it('never makes the run overspend by its own decision, whatever the costs of the rounds', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 100_000, max: 8_000_000 }), { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 1, max: 500 }),
        fc.oneof(fc.record({ largeRounds: fc.integer({ min: 1, max: 50 }) }), fc.record({ largeShare: fc.double({ min: 0.01, max: 1, noNaN: true }) })),
        (costs, budgetMb, reserve) => {
          const policy = create({ budgetMb, ...reserve });
          const history = makeRecords(costs.map((bytes) => ({ accuracy: 0.5, bytes })));
          history.forEach((record, index) => {
            const decision = policy.decide(history.slice(0, index + 1), context()) as Decision;
            if (decision.action !== 'shift') return;
            const spent = (record.bytes.sentTotal + record.bytes.receivedTotal) / 1e6;
            const meanCost = costs.slice(0, index + 1).reduce((sum, bytes) => sum + bytes, 0) / (index + 1) / 1e6;
            const nextRound = (meanCost * twoGears[1]!.bytesPerRound) / twoGears[0]!.bytesPerRound;
            expect(spent + nextRound).toBeLessThanOrEqual(budgetMb + 1e-9);
          });
        },
      ),
    );
  });

  it('leaves room for the first round of every gear it shifts to, when costs follow the ladder', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 40 }), async (budgetMb, largeRounds) => {
        const run = await constantRun({ budgetMb, largeRounds }, 60, threeGears);
        for (const round of run.shiftsAfter) {
          const spent = run.gears.slice(0, round).reduce((sum, gear) => sum + threeGears[gear]!.bytesPerRound / 1e6, 0);
          expect(spent + threeGears[run.gears[round - 1]! + 1]!.bytesPerRound / 1e6).toBeLessThanOrEqual(budgetMb);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('holds on a round without a valid cost measurement', () => {
    const history = makeRecords([0.5, { accuracy: 0.5, bytes: Number.NaN }]);
    expect(create({ budgetMb: 10 }).decide(history, context())).toEqual({
      action: 'hold',
      reason: 'round 2 has no valid MB measurement: no decision on a broken measurement',
    });
  });

  describe('refuses', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['a budget of 0 MB', { budgetMb: '0' }, "budget: budgetMb must be a number > 0, but got '0'."],
      ['a negative seconds budget', { budgetSeconds: '-5' }, "budget: budgetSeconds must be a number > 0, but got '-5'."],
      ['a fractional rounds budget', { budgetRounds: '1.5' }, "budget: budgetRounds must be an integer >= 1, but got '1.5'."],
      ['zero large rounds', { budgetRounds: 10, largeRounds: '0' }, "budget: largeRounds must be an integer >= 1, but got '0'."],
      ['a large share above 1', { budgetRounds: 10, largeShare: '1.5' }, "budget: largeShare must be a number > 0 and <= 1, but got '1.5'."],
      ['two budgets', { budgetMb: 10, budgetRounds: 10 }, 'budget: at most one of budgetMb, budgetSeconds and budgetRounds must be given, but got 2.'],
      [
        'both large rounds and a large share',
        { budgetRounds: 10, largeRounds: 5, largeShare: 0.5 },
        'budget: at most one of largeRounds and largeShare must be given, but got largeRounds 5 and largeShare 0.5.',
      ],
    ];
    it.each(cases)('%s', (_, raw, message) => {
      expect(() => create(raw)).toThrow(message);
    });

    it('a ladder with a gear that moves no bytes', () => {
      const ladder = [{ name: 'empty', parameters: 10, bytesPerRound: 0 }, twoGears[1]!];
      expect(() => create({ budgetMb: 10 }, ladder)).toThrow('budget: the size of every gear must be > 0, but got 0 for empty.');
    });
  });
});
