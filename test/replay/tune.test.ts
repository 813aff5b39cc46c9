import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/policy/load-policy.js';
import { readBundle } from '../../src/replay/bundle.js';
import { parseObjective } from '../../src/replay/objective.js';
import { tune } from '../../src/replay/tune.js';
import { makeBundle } from './make-bundle.js';
import { plateauAt6 } from './shapes.js';

const plateau = await loadPolicy('plateau');
const fixed = await loadPolicy('fixed');
const objective = parseObjective('max-accuracy');
// Plateau as Keras counts it, on validation accuracy: with these, patience p shifts after round 6 + p.
const given = { detector: 'best', monitor: 'validation-accuracy', mode: 'max', minDelta: 0, thresholdMode: 'abs', warmup: 0 };
const bestAt8 = [readBundle(makeBundle(plateauAt6(8, 'a'))), readBundle(makeBundle(plateauAt6(8, 'b'))), readBundle(makeBundle(plateauAt6(8, 'c')))];
const bestAt11 = readBundle(makeBundle(plateauAt6(11, 'late')));

describe('tune', () => {
  it('finds the patience that shifts at the best round (2: after round 8), with no regret', async () => {
    const result = await tune({ plugin: plateau, given, tuning: bestAt8.slice(0, 2), holdout: [], objective, search: 'grid' });
    expect(result.space.dimensions.map((dimension) => dimension.option)).toEqual(['patience']);
    expect(result.settings).toBe(7);
    expect(result.best.setting).toEqual({ patience: 2 });
    expect(result.best.meanRegret).toBeCloseTo(0, 12);
    expect(result.best.bundles.map((bundle) => bundle.switchAfter)).toEqual([8, 8]);
    expect(result.top[1]!.meanRegret).toBeGreaterThan(0);
  });

  it('judges the best setting on held-out bundles it was not tuned on', async () => {
    const result = await tune({ plugin: plateau, given, tuning: bestAt8.slice(0, 2), holdout: [bestAt11], objective, search: 'grid' });
    expect(result.heldOut.mode).toBe('bundles');
    const [late] = result.heldOut.results;
    expect(late).toMatchObject({ bundle: 'late', setting: { patience: 2 }, switchAfter: 8, oracle: { label: 'fixed --at 11', value: -0.65 } });
    // Switching after 8 instead of 11 loses 0.002 x 3^2 of accuracy.
    expect(late!.regret).toBeCloseTo(0.018, 12);
    expect(result.heldOut.meanRegret).toBeCloseTo(0.018, 12);
  });

  it('judges leave-one-out by default: each bundle with the setting best on the others', async () => {
    const result = await tune({ plugin: plateau, given, tuning: [...bestAt8.slice(0, 2), bestAt11], holdout: 'leave-one-out', objective, search: 'grid' });
    expect(result.heldOut.mode).toBe('leave-one-out');
    expect(result.heldOut.results.map((entry) => entry.bundle)).toEqual(['a', 'b', 'late']);
    // Without "late", patience 2 wins; with it, patience 3 (after 9) is the best compromise.
    expect(result.heldOut.results.map((entry) => entry.setting)).toEqual([{ patience: 3 }, { patience: 3 }, { patience: 2 }]);
    expect(result.heldOut.results[2]!.regret).toBeCloseTo(0.018, 12);
  });

  it('holds nothing out when tuned on a single bundle', async () => {
    const result = await tune({ plugin: plateau, given, tuning: bestAt8.slice(0, 1), holdout: 'leave-one-out', objective, search: 'grid' });
    expect(result.heldOut).toEqual({ mode: 'none', results: [], meanValue: null, meanRegret: null });
  });

  it('skips and counts the settings the policy refuses, grouped by the rule they break', async () => {
    const { detector: _detector, ...rest } = given;
    const result = await tune({
      plugin: plateau,
      given: rest,
      tuning: bestAt8.slice(0, 1),
      holdout: [],
      objective,
      search: 'grid',
      space: { detector: 'best,slope', patience: 'unset,2', window: 'unset,3' },
    });
    expect(result.settings).toBe(8);
    expect(result.invalid).toBe(4);
    expect(result.invalidReasons).toEqual([
      { message: "plateau: window must be unset with detector 'best' (it belongs to detector 'slope').", count: 2 },
      { message: "plateau: patience must be unset with detector 'slope' (it belongs to detector 'best').", count: 2 },
    ]);
  });

  it('searches options that exclude each other by leaving either unset (fixed: at or fraction)', async () => {
    const result = await tune({ plugin: fixed, given: {}, tuning: bestAt8.slice(0, 1), holdout: [], objective, search: 'grid', levels: 19 });
    // fraction 0.4 of 20 planned rounds is round 8 too; the grid meets it first.
    expect(result.top.slice(0, 2).map((setting) => setting.setting)).toEqual([{ fraction: 0.4 }, { at: 8 }]);
    expect(result.best.bundles[0]!.switchAfter).toBe(8);
    expect(result.invalidReasons.map((reason) => reason.message)).toEqual(['fixed: exactly one of at and fraction must be given.']);
  });

  it('draws the same random settings for the same seed', async () => {
    const run = (seed: number) => tune({ plugin: plateau, given: {}, tuning: bestAt8.slice(0, 1), holdout: [], objective, trials: 40, seed });
    const [first, again] = [await run(3), await run(3)];
    expect(again.top).toEqual(first.top);
    expect(first.settings).toBe(40);
  });

  it('refuses a grid larger than --trials', async () => {
    await expect(tune({ plugin: plateau, given: {}, tuning: bestAt8.slice(0, 1), holdout: [], objective, search: 'grid', trials: 1000 })).rejects.toThrow(
      'the grid must have at most --trials 1000 settings, but it has 42336; fix options with their flags, narrow them with --space, lower --levels, raise --trials, or use --search random.',
    );
  });

  it('refuses to tune when nothing is left to search', async () => {
    await expect(tune({ plugin: fixed, given: { at: 5 }, tuning: bestAt8.slice(0, 1), holdout: [], objective })).rejects.toThrow(
      'fixed: there must be an option left to search, but every option is given or cannot be searched (fraction: setting it makes fixed refuse the given options, whatever the other choices).',
    );
  });
});
