import { describe, expect, it } from 'vitest';
import { readBundle } from '../../src/replay/bundle.js';
import { parseObjective } from '../../src/replay/objective.js';
import { findOracle, regret } from '../../src/replay/oracle.js';
import { makeBundle } from './make-bundle.js';
import { stepped } from './shapes.js';

const bundle = readBundle(makeBundle(stepped));
const reference = { referenceMax: 0.6 };

describe('findOracle', () => {
  it('picks the branch that reaches 90% of the reference soonest (switch after 6: 9.5 s)', () => {
    const oracle = findOracle(bundle, parseObjective('time-to:0.9'), reference);
    expect(oracle.candidates.map((outcome) => [outcome.label, outcome.value])).toEqual([
      ['fixed --at 2', 20.5],
      ['fixed --at 4', 13.5],
      ['fixed --at 6', 9.5],
      ['fixed --at 8', 11.5],
      ['fixed --at 10', 13.5],
      ['never (small only)', Infinity],
    ]);
    expect(oracle.best.label).toBe('fixed --at 6');
    expect(oracle.best.usedBranch).toBe(6);
  });

  it('picks by traffic with mb-to (after 6: 6 x 0.32 + 2.88 = 4.8 MB)', () => {
    const oracle = findOracle(bundle, parseObjective('mb-to:0.9'), reference);
    expect(oracle.best.label).toBe('fixed --at 6');
    expect(oracle.best.value).toBeCloseTo(4.8, 9);
  });

  it('breaks a tie by the earlier switch when objective and max accuracy are equal', () => {
    // Every branch reaches 0.6.
    expect(findOracle(bundle, parseObjective('max-accuracy'), reference).best.label).toBe('fixed --at 2');
  });

  it('can pick never when no switch pays off', () => {
    // Within 3.84 MB (twelve small rounds) a climbing small model beats every branch, whose first large round breaks the budget.
    const climbing = readBundle(makeBundle({ ...stepped, small: (round) => 0.3 + 0.02 * round }));
    const oracle = findOracle(climbing, parseObjective('accuracy-at-mb:3.84'), reference);
    expect(oracle.best.label).toBe('never (small only)');
    expect(oracle.best.value).toBeCloseTo(-0.54, 9);
  });

  it('shows the 12-12 run apart from the candidates: no policy that starts small can produce it', () => {
    const oracle = findOracle(bundle, parseObjective('time-to:0.9'), reference);
    expect(oracle.baseline).toMatchObject({ label: '12-12 (large only)', kind: 'baseline', value: 3 });
    expect(oracle.candidates).not.toContain(oracle.baseline);
  });
});

describe('regret', () => {
  it("is the value minus the oracle's, in the objective's unit", () => {
    expect(regret(11.5, 9.5)).toBe(2);
  });

  it('is 0 when both never reached, and +Infinity when only the oracle did', () => {
    expect(regret(Infinity, Infinity)).toBe(0);
    expect(regret(Infinity, 9.5)).toBe(Infinity);
  });
});
