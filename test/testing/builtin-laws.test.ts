import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import all from '../../policies/all.js';
import any from '../../policies/any.js';
import budget from '../../policies/budget.js';
import fittingRisk from '../../policies/fitting-risk.js';
import fixed from '../../policies/fixed.js';
import forecast from '../../policies/forecast.js';
import never from '../../policies/never.js';
import plateau from '../../policies/plateau.js';
import { combinePlugins } from '../../src/policy/combine-plugins.js';
import { loadPolicy } from '../../src/policy/load-policy.js';
import type { PolicyPlugin } from '../../src/policy/plugin.js';
import { realArb } from '../../src/testing/arbitraries.js';
import { checkLaws } from '../../src/testing/check-laws.js';
import type { Law } from '../../src/testing/law.js';
import {
  causal,
  deterministic,
  holdsOnIncompleteRecords,
  monotoneIn,
  neverOverspends,
  noShiftBeforeWarmup,
  oneShiftPerGear,
  shiftsOnFlatSignal,
} from '../../src/testing/laws.js';

// The example is checked the way its author would: loaded from its compiled module.
const targetAccuracy = await loadPolicy(fileURLToPath(new URL('../../examples/target-accuracy.js', import.meta.url)));

const warmup = noShiftBeforeWarmup({ option: 'warmup' });
/** The warm-up law for a policy whose warm-up has a floor of its own (a fit needs points). */
const warmupFrom = (min: number) => noShiftBeforeWarmup({ option: 'warmup', values: fc.integer({ min, max: 12 }) });
const laterWith = (option: string, values?: fc.Arbitrary<number>) => monotoneIn({ option, larger: 'no-earlier', values });
const most = (...bounds: unknown[]) => Math.max(...bounds.map(Number));

interface Configuration {
  readonly plugin: PolicyPlugin;
  readonly options: Record<string, unknown>;
  /** The laws it satisfies besides deterministic, causal and oneShiftPerGear. */
  readonly laws: readonly Law[];
}

const configurations: Configuration[] = [
  { plugin: never, options: {}, laws: [] },
  { plugin: fixed, options: { at: 7 }, laws: [shiftsOnFlatSignal({ within: ({ at }) => Number(at) }), laterWith('at')] },
  { plugin: fixed, options: { fraction: 0.2 }, laws: [laterWith('fraction', realArb(0.05, 1))] },
  {
    plugin: plateau,
    options: { patience: 3 },
    laws: [warmup, shiftsOnFlatSignal({ within: (o) => most(o.warmup, Number(o.patience) + 1) }), laterWith('patience'), laterWith('warmup')],
  },
  {
    plugin: plateau,
    options: { detector: 'slope', window: 4, minDelta: 0.001, thresholdMode: 'abs' },
    laws: [warmup, shiftsOnFlatSignal({ within: (o) => most(o.warmup, o.window) }), laterWith('warmup')],
  },
  { plugin: plateau, options: { monitor: 'validation-loss', patience: 5 }, laws: [warmup, shiftsOnFlatSignal({ within: (o) => most(o.warmup, Number(o.patience) + 1) })] },
  {
    plugin: budget,
    options: { budgetRounds: 30 },
    // A budget of one round can never pay for a round of the next gear, so it starts at 2.
    laws: [neverOverspends({ option: 'budgetRounds', unit: 'rounds' }), laterWith('budgetRounds', fc.integer({ min: 2, max: 100 }))],
  },
  { plugin: budget, options: { budgetMb: 200, largeRounds: 5 }, laws: [neverOverspends({ option: 'budgetMb', unit: 'MB' })] },
  { plugin: budget, options: { budgetSeconds: 600, largeShare: 0.3 }, laws: [neverOverspends({ option: 'budgetSeconds', unit: 'seconds' })] },
  {
    plugin: targetAccuracy,
    options: { target: 0.5 },
    laws: [
      warmup,
      shiftsOnFlatSignal({ within: (o) => most(o.warmup, o.confirm), levels: realArb(0.5, 1) }),
      laterWith('confirm'),
      laterWith('warmup'),
      laterWith('target', realArb(0.05, 1)),
    ],
  },
  // Whether it grows on a flat signal depends on the objective (never, for a target already
  // reached), so shiftsOnFlatSignal is not one of its laws.
  { plugin: forecast, options: {}, laws: [warmupFrom(3), laterWith('warmup', fc.integer({ min: 3, max: 12 }))] },
  { plugin: forecast, options: { nextGain: 0.3, recovery: 0 }, laws: [warmupFrom(3)] },
  {
    plugin: fittingRisk,
    options: {},
    laws: [warmupFrom(2), shiftsOnFlatSignal({ within: (o) => most(o.warmup, 2) }), laterWith('warmup', fc.integer({ min: 2, max: 12 }))],
  },
  { plugin: combinePlugins(any, [plateau, budget]), options: { patience: 3, budgetRounds: 40 }, laws: [] },
  {
    plugin: combinePlugins(all, [fixed, plateau]),
    options: { at: 10, patience: 3 },
    laws: [warmup, shiftsOnFlatSignal({ within: (o) => most(o.at, o.warmup, Number(o.patience) + 1) })],
  },
];

describe.each(configurations.map((configuration) => [`${configuration.plugin.name} ${JSON.stringify(configuration.options)}`, configuration] as const))(
  'the built-in %s',
  (_, { plugin, options, laws }) => {
    const universal = [deterministic, causal, oneShiftPerGear, holdsOnIncompleteRecords];
    const names = [...universal, ...laws].map((law) => law.name);
    it(`satisfies ${names.join(', ')}`, async () => {
      await checkLaws(plugin, options, { laws: [...universal, ...laws] });
    });
  },
);
