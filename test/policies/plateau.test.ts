import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import plateau from '../../policies/plateau.js';
import type { Decision } from '../../src/policy/decision.js';
import { validateOptions } from '../../src/policy/options-schema.js';
import type { Policy } from '../../src/policy/policy.js';
import { followDecisions } from '../policy/follow-decisions.js';
import { context, makeRecords, threeGears, type Step } from '../policy/records.js';

const create = (raw: Record<string, unknown>) => plateau.create(validateOptions('plateau', plateau.options, raw), context());

/** The decision after each round of a single-gear history. */
function decisionsOn(policy: Policy, steps: readonly (number | Step)[]): Decision[] {
  const history = makeRecords(steps);
  return history.map((_, index) => policy.decide(history.slice(0, index + 1), context()) as Decision);
}

const firstShift = (decisions: readonly Decision[]) => decisions.findIndex((decision) => decision.action === 'shift') + 1;

describe('the plateau policy, best detector', () => {
  it('never shifts while the metric improves by more than min-delta every round', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 0.01, noNaN: true }),
        fc.array(fc.double({ min: 0, max: 0.01, noNaN: true }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 5 }),
        (minDelta, extras, patience) => {
          let accuracy = 0.1;
          const steps = extras.map((extra) => (accuracy += minDelta + extra + 1e-9));
          const decisions = decisionsOn(create({ minDelta, thresholdMode: 'abs', patience }), steps);
          expect(firstShift(decisions)).toBe(0);
        },
      ),
    );
  });

  it('shifts within patience + 1 rounds of the start of a flat stretch', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 10 }), (rising, patience) => {
        const steps = [...Array.from({ length: rising }, (_, index) => 0.1 + 0.02 * index), ...Array.from({ length: patience + 5 }, () => 0.1 + 0.02 * (rising - 1))];
        const shiftedAfter = firstShift(decisionsOn(create({ patience }), steps));
        expect(shiftedAfter).toBeGreaterThan(rising);
        expect(shiftedAfter).toBeLessThanOrEqual(rising + patience + 1);
      }),
    );
  });

  it('counts patience like Keras: patience 3 shifts after the third round without improvement', () => {
    const decisions = decisionsOn(create({ patience: 3 }), [0.1, 0.2, 0.3, 0.3, 0.29, 0.3, 0.3]);
    expect(decisions.map((decision) => decision.action)).toEqual(['hold', 'hold', 'hold', 'hold', 'hold', 'shift', 'shift']);
    expect(decisions[5]!.reason).toBe('validation accuracy has not improved by more than 0.01 for 3 rounds (best 0.3 at round 3)');
    expect(decisions[4]!.reason).toBe('validation accuracy 2 of 3 rounds without improving by more than 0.01 (best 0.3 at round 3)');
  });

  it('never decides before the warm-up round of the gear', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), (warmup) => {
        const decisions = decisionsOn(create({ patience: 1, warmup }), Array.from({ length: warmup + 3 }, () => 0.5));
        expect(firstShift(decisions)).toBe(Math.max(warmup, 2));
        expect(decisions[0]!.reason).toBe(warmup > 1 ? `warm-up: round 1 of ${warmup} of small` : 'validation accuracy 0 of 1 rounds without improving by more than 0.01 (best 0.5 at round 1)');
      }),
    );
  });

  it('ignores improvements smaller than a relative min-delta', () => {
    // Every round stays within 1% of the best (0.5), but beats 0.1% of it until the last.
    const steps = [0.5, 0.502, 0.504, 0.5045];
    expect(firstShift(decisionsOn(create({ minDelta: 0.01, patience: 3 }), steps))).toBe(4);
    expect(firstShift(decisionsOn(create({ minDelta: 0.001, patience: 3 }), steps))).toBe(0);
  });

  it('watches validation loss falling when asked to (mode auto means min for loss)', () => {
    const falling = [1.0, 0.9, 0.8, 0.7, 0.6].map((loss) => ({ accuracy: 0.5, loss }));
    const flat = [1.0, 0.9, 0.9, 0.9].map((loss) => ({ accuracy: 0.5, loss }));
    expect(firstShift(decisionsOn(create({ monitor: 'validation-loss', patience: 2 }), falling))).toBe(0);
    expect(firstShift(decisionsOn(create({ monitor: 'validation-loss', patience: 2 }), flat))).toBe(4);
    expect(firstShift(decisionsOn(create({ monitor: 'validation-loss', mode: 'max', patience: 2 }), falling))).toBe(3);
  });

  it('holds on a NaN metric, and counts earlier NaNs as rounds without improvement', () => {
    const decisions = decisionsOn(create({ patience: 2 }), [0.3, 0.4, Number.NaN, 0.35]);
    expect(decisions[2]).toEqual({ action: 'hold', reason: 'round 3 has incomplete validation metrics: no decision on a broken measurement' });
    expect(decisions[3]!.action).toBe('shift');
  });

  it('judges each gear on its own rounds: on a three-gear ladder it shifts twice', async () => {
    const policy = plateau.create(validateOptions('plateau', plateau.options, { patience: 3 }), context({ ladder: threeGears }));
    // Every gear starts lower than the last one ended, rises for 10 rounds, then stays flat.
    const run = await followDecisions(policy, context({ ladder: threeGears }), 60, (_, gear, roundOfGear) => ({
      accuracy: 0.2 + 0.1 * gear + 0.02 * Math.min(roundOfGear, 10),
    }));
    expect(run.shiftsAfter).toEqual([13, 26]);
    expect(run.gears.at(-1)).toBe(2);
  });
});

describe('the plateau policy, slope detector', () => {
  it('holds until it has a full window of rounds', () => {
    const decisions = decisionsOn(create({ detector: 'slope', window: 4 }), [0.5, 0.5, 0.5, 0.5]);
    expect(decisions.slice(0, 3).map((decision) => decision.reason)).toEqual([
      'collecting rounds for the slope: 1 of 4',
      'collecting rounds for the slope: 2 of 4',
      'collecting rounds for the slope: 3 of 4',
    ]);
    expect(decisions[3]!.action).toBe('shift');
  });

  it('holds while the fitted slope improves by more than min-delta per round, and shifts when it flattens', () => {
    const rising = Array.from({ length: 12 }, (_, index) => 0.1 + 0.01 * index);
    const flattening = [...rising, ...Array.from({ length: 8 }, (_, index) => 0.21 + 0.001 * index)];
    const options = { detector: 'slope', window: 5, minDelta: 0.005, thresholdMode: 'abs' };
    expect(firstShift(decisionsOn(create(options), rising))).toBe(0);
    const decisions = decisionsOn(create(options), flattening);
    const shiftedAfter = firstShift(decisions);
    expect(shiftedAfter).toBeGreaterThan(12);
    expect(shiftedAfter).toBeLessThanOrEqual(12 + 5);
    expect(decisions[shiftedAfter - 1]!.reason).toMatch(/^validation accuracy changes by [\d.e-]+ per round over the last 5 rounds, improving by at most 0.005 per round$/);
  });

  it('fits the line through the finite values only', () => {
    const decisions = decisionsOn(create({ detector: 'slope', window: 3, minDelta: 0.005, thresholdMode: 'abs' }), [0.1, 0.2, Number.NaN, 0.4]);
    expect(decisions[3]!.action).toBe('hold');
  });
});

describe('the plateau policy refuses', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['an unknown monitor', { monitor: 'test-accuracy' }, "plateau: monitor must be one of 'validation-accuracy', 'validation-loss', but got 'test-accuracy'."],
    ['an unknown mode', { mode: 'up' }, "plateau: mode must be one of 'auto', 'max', 'min', but got 'up'."],
    ['a negative min-delta', { minDelta: '-0.1' }, "plateau: minDelta must be a number >= 0, but got '-0.1'."],
    ['an unknown threshold mode', { thresholdMode: 'ratio' }, "plateau: thresholdMode must be one of 'rel', 'abs', but got 'ratio'."],
    ['a patience of 0', { patience: '0' }, "plateau: patience must be an integer >= 1, but got '0'."],
    ['a word for patience', { patience: 'x' }, "plateau: patience must be an integer >= 1, but got 'x'."],
    ['a negative warm-up', { warmup: '-1' }, "plateau: warmup must be an integer >= 0, but got '-1'."],
    ['an unknown detector', { detector: 'median' }, "plateau: detector must be one of 'best', 'slope', but got 'median'."],
    ['a window of 1', { detector: 'slope', window: '1' }, "plateau: window must be an integer >= 2, but got '1'."],
    ['a window with the best detector', { window: 5 }, "plateau: window must be unset with detector 'best' (it belongs to detector 'slope'), but got 5."],
    ['a patience with the slope detector', { detector: 'slope', patience: 5 }, "plateau: patience must be unset with detector 'slope' (it belongs to detector 'best'), but got 5."],
  ];
  it.each(cases)('%s', (_, raw, message) => {
    expect(() => create(raw)).toThrow(message);
  });
});
