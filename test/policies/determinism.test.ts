import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import budget from '../../policies/budget.js';
import fixed from '../../policies/fixed.js';
import plateau from '../../policies/plateau.js';
import { validateOptions } from '../../src/policy/options-schema.js';
import type { PolicyPlugin } from '../../src/policy/plugin.js';
import { context, makeRecords } from '../policy/records.js';

const configurations: [PolicyPlugin, Record<string, unknown>][] = [
  [fixed, { at: 7 }],
  [plateau, { patience: 3 }],
  [plateau, { detector: 'slope', window: 4 }],
  [budget, { budgetMb: 200 }],
  [budget, { budgetSeconds: 60, largeRounds: 5 }],
];

describe('every built-in policy', () => {
  it.each(configurations.map(([plugin, raw]) => [plugin.name, raw, plugin] as const))('%s %j is deterministic: the same records give the same decisions', (_, raw, plugin) => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ accuracy: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constant(Number.NaN)), seconds: fc.double({ min: 0.1, max: 5, noNaN: true }) }), {
          minLength: 1,
          maxLength: 40,
        }),
        (steps) => {
          const history = makeRecords(steps);
          const decide = () => {
            const policy = plugin.create(validateOptions(plugin.name, plugin.options, raw), context());
            return history.map((_, index) => policy.decide(history.slice(0, index + 1), context()));
          };
          expect(decide()).toEqual(decide());
        },
      ),
      { numRuns: 50 },
    );
  });
});
