import { describe, expect, it } from 'vitest';
import { contextFromHeader } from '../../src/policy/context-from-header.js';
import { loadPolicy } from '../../src/policy/load-policy.js';
import { validateOptions } from '../../src/policy/options-schema.js';
import { readBundle } from '../../src/replay/bundle.js';
import { compareOnBundle, maxTestAccuracy } from '../../src/replay/compare.js';
import { parseObjective } from '../../src/replay/objective.js';
import { makeBundle } from './make-bundle.js';
import { stepped } from './shapes.js';

const bundle = readBundle(makeBundle(stepped));
const context = contextFromHeader(bundle.small.header);
const fixed = await loadPolicy('fixed');
const atRound = (at: number) => fixed.create(validateOptions('fixed', fixed.options, { at }), context);
const objective = parseObjective('time-to:0.9');

describe('compareOnBundle', () => {
  it("lists the policy, every fixed switch, never, then 12-12, with the oracle's pick marked once", async () => {
    const comparison = await compareOnBundle(bundle, atRound(8), 'fixed', { objective });
    expect(comparison.rows.map((row) => row.label)).toEqual([
      'fixed',
      'fixed --at 2',
      'fixed --at 4',
      'fixed --at 6',
      'fixed --at 8',
      'fixed --at 10',
      'never (small only)',
      '12-12 (large only)',
    ]);
    expect(comparison.rows.filter((row) => row.oracle).map((row) => row.label)).toEqual(['fixed --at 6']);
    expect(comparison.policy).toMatchObject({ switchAfter: 8, value: 11.5, regret: 2, reason: 'small has trained 8 rounds (fixed schedule: 8 per gear)' });
    expect(comparison.rows.at(-1)!.regret).toBeNull();
  });

  it('gives regret 0 to fixed --at <the oracle round>', async () => {
    const comparison = await compareOnBundle(bundle, atRound(6), 'fixed', { objective });
    expect(comparison.policy.regret).toBe(0);
  });

  it('never gives a replayed fixed switch a negative regret, and scores it as the branch it used', async () => {
    for (let at = 1; at <= stepped.rounds!; at++) {
      const comparison = await compareOnBundle(bundle, atRound(at), 'fixed', { objective });
      const policy = comparison.policy;
      expect(policy.regret).toBeGreaterThanOrEqual(0);
      const same = comparison.rows.find((row) => row.kind !== 'policy' && row.usedBranch === policy.usedBranch && row.kind !== 'baseline');
      expect(same?.value).toBe(policy.value);
    }
  });

  it("refers fractions to the 12-12 run's max test accuracy unless given a reference", async () => {
    const byDefault = await compareOnBundle(bundle, atRound(6), 'fixed', { objective });
    expect(byDefault).toMatchObject({ referenceMax: maxTestAccuracy(bundle), reference: 'large' });
    const given = await compareOnBundle(bundle, atRound(6), 'fixed', { objective, reference: 0.7 });
    expect(given).toMatchObject({ referenceMax: 0.7, reference: 'given' });
    // 90% of 0.7 is 0.63, which no run here reaches.
    expect(given.policy.value).toBe(Infinity);
  });

  it("reads accuracy at the small-only run's traffic unless told a budget", async () => {
    const comparison = await compareOnBundle(bundle, atRound(6), 'fixed', { objective });
    expect(comparison.budgetsMb).toEqual([3.84]); // 12 small rounds x 0.32 MB
    expect((await compareOnBundle(bundle, atRound(6), 'fixed', { objective: parseObjective('accuracy-at-mb:5') })).budgetsMb).toEqual([5]);
    expect((await compareOnBundle(bundle, atRound(6), 'fixed', { objective, budgetsMb: [1, 2] })).budgetsMb).toEqual([1, 2]);
  });
});
