import { describe, expect, it } from 'vitest';
import { Random } from '../../src/data/random.js';
import { hold } from '../../src/policy/decision.js';
import { loadPolicy } from '../../src/policy/load-policy.js';
import { definePolicy } from '../../src/policy/plugin.js';
import type { PolicyContext } from '../../src/policy/policy.js';
import { searchSpace } from '../../src/replay/search-space.js';

const context: PolicyContext = {
  plannedRounds: 20,
  ladder: [
    { name: 'small', parameters: 10, bytesPerRound: 100 },
    { name: 'large', parameters: 90, bytesPerRound: 900 },
  ],
  objective: { kind: 'max-accuracy', spec: 'max-accuracy' },
};
const plateau = await loadPolicy('plateau');
const budget = await loadPolicy('budget');
const base = { given: {}, context, plannedRounds: 20 };

const levels = (space: ReturnType<typeof searchSpace>, option: string) => space.dimensions.find((dimension) => dimension.option === option)?.levels;

describe('searchSpace', () => {
  it('searches every option of plateau, in schema order, when none is given', () => {
    const space = searchSpace(plateau, base);
    expect(space.dimensions.map((dimension) => dimension.option)).toEqual(['monitor', 'mode', 'minDelta', 'thresholdMode', 'patience', 'warmup', 'detector', 'window']);
    expect(space.skipped).toEqual([]);
  });

  it('takes every choice of an enum', () => {
    expect(levels(searchSpace(plateau, base), 'mode')).toEqual(['auto', 'max', 'min']);
  });

  it('spans a round count from its minimum to planned rounds - 1, geometrically, unset first when it has no default', () => {
    expect(levels(searchSpace(plateau, base), 'patience')).toEqual([undefined, 1, 2, 3, 6, 11, 19]);
    expect(levels(searchSpace(plateau, base), 'warmup')).toEqual([0, 1, 2, 4, 9, 19]);
  });

  it('spans an unbounded number a decade above its default, from its minimum 0, and keeps the default among the levels', () => {
    expect(levels(searchSpace(plateau, base), 'minDelta')).toEqual([0, 0.001, 0.0032, 0.01, 0.032, 0.1]);
  });

  it('honours the number of levels', () => {
    expect(levels(searchSpace(plateau, { ...base, levels: 3 }), 'warmup')).toEqual([0, 1, 19]);
  });

  it('does not search given options', () => {
    const space = searchSpace(plateau, { ...base, given: { monitor: 'validation-loss', patience: 4 } });
    expect(space.dimensions.map((dimension) => dimension.option)).not.toContain('monitor');
    expect(space.dimensions.map((dimension) => dimension.option)).not.toContain('patience');
  });

  it('leaves out an option that conflicts with the given ones whatever the other choices (window once detector best is given)', () => {
    const space = searchSpace(plateau, { ...base, given: { detector: 'best' } });
    expect(space.dimensions.map((dimension) => dimension.option)).toEqual(['monitor', 'mode', 'minDelta', 'thresholdMode', 'patience', 'warmup']);
    expect(space.skipped).toEqual([{ option: 'window', why: 'setting it makes plateau refuse the given options, whatever the other choices' }]);
  });

  it("leaves budget's other budgets alone once one is given, and says why", () => {
    const space = searchSpace(budget, { ...base, given: { budgetMb: 300 } });
    expect(space.dimensions.map((dimension) => dimension.option)).toEqual(['largeRounds', 'largeShare']);
    expect(space.skipped).toEqual([
      { option: 'budgetSeconds', why: 'no upper bound to search up to (no max, no default, not in rounds); fix it with its flag or give --space' },
      { option: 'budgetRounds', why: 'setting it makes budget refuse the given options, whatever the other choices' },
    ]);
    expect(levels(space, 'largeShare')).toEqual([undefined, 0.1, 0.28, 0.46, 0.64, 0.82, 1]);
  });

  it('searches booleans both ways and leaves free text alone', () => {
    const plugin = definePolicy({
      name: 'toy',
      description: 'A plugin with odd options.',
      options: {
        eager: { type: 'boolean', default: false, help: 'shift early' },
        note: { type: 'string', default: 'x', help: 'a remark' },
      },
      create: () => ({ decide: () => hold() }),
    });
    const space = searchSpace(plugin, base);
    expect(levels(space, 'eager')).toEqual([false, true]);
    expect(space.skipped).toEqual([{ option: 'note', why: 'free text is not searched; fix it with its flag' }]);
  });

  it('takes the values or the range given for an option', () => {
    const space = searchSpace(plateau, { ...base, overrides: { patience: 'unset,2,4', minDelta: '0.001..0.01' } });
    expect(levels(space, 'patience')).toEqual([undefined, 2, 4]);
    expect(levels(space, 'minDelta')).toEqual([0.001, 0.0028, 0.0046, 0.0064, 0.0082, 0.01]);
  });

  it('counts the full grid', () => {
    const space = searchSpace(plateau, { ...base, given: { detector: 'best', monitor: 'validation-accuracy', mode: 'max', thresholdMode: 'abs', warmup: 0 }, overrides: { minDelta: '0,0.001' } });
    expect(space.gridSize).toBe(2 * 7);
  });

  it('draws random values within each span, the same for the same seed', () => {
    const space = searchSpace(plateau, base);
    const draw = (seed: number) => {
      const random = new Random(seed);
      return Array.from({ length: 200 }, () => Object.fromEntries(space.dimensions.map((dimension) => [dimension.option, dimension.sample(random)])));
    };
    const settings = draw(7);
    expect(draw(7)).toEqual(settings);
    for (const setting of settings) {
      expect(['validation-accuracy', 'validation-loss']).toContain(setting['monitor']);
      const minDelta = setting['minDelta'] as number;
      expect(minDelta >= 0 && minDelta <= 0.1).toBe(true);
      const patience = setting['patience'] as number | undefined;
      expect(patience === undefined || (Number.isInteger(patience) && patience >= 1 && patience <= 19)).toBe(true);
    }
    expect(settings.some((setting) => setting['patience'] === undefined)).toBe(true);
  });

  it('refuses overrides of unknown or given options, unset for an option with a default, and a range for an enum', () => {
    expect(() => searchSpace(plateau, { ...base, overrides: { pateince: '1' } })).toThrow("--space pateince must name an option of plateau");
    expect(() => searchSpace(plateau, { ...base, given: { patience: 3 }, overrides: { patience: '1,2' } })).toThrow('option patience must be either fixed or searched, but got both a value and --space.');
    expect(() => searchSpace(plateau, { ...base, overrides: { warmup: 'unset,1' } })).toThrow("--space warmup may hold 'unset' only for an option without a default, but warmup defaults to 0.");
    expect(() => searchSpace(plateau, { ...base, overrides: { mode: 'a..b' } })).toThrow("--space mode must list values (a,b,c) for the enum option mode, but got 'a..b'.");
    expect(() => searchSpace(plateau, { ...base, overrides: { patience: '0,2' } })).toThrow("plateau: --space patience must be an integer >= 1, but got '0'.");
  });

  it('refuses fewer than 2 levels', () => {
    expect(() => searchSpace(plateau, { ...base, levels: 1 })).toThrow('levels must be an integer >= 2, but got 1.');
  });
});
