import { Flags, Parser, type Interfaces } from '../../src/vendor/oclif-core.js';
import { describe, expect, it } from 'vitest';
import fixed from '../../policies/fixed.js';
import never from '../../policies/never.js';
import plateau from '../../policies/plateau.js';
import { loadPolicy } from '../../src/policy/load-policy.js';
import { definePolicy } from '../../src/policy/plugin.js';
import { policyFlags, policyFlagsFor, policyOptionsFromFlags } from '../../src/policy/policy-flags.js';
import { hold } from '../../src/policy/decision.js';

/** Parses a command line the way `fedgear run` does: the policy flags plus an unrelated flag. */
async function parse(...argv: string[]): Promise<Record<string, unknown> & { 'policy-opt'?: string[] }> {
  const { flags } = await Parser.parse(argv, { flags: { ...policyFlags, rounds: Flags.integer() }, strict: true });
  return flags;
}

const custom = definePolicy({
  name: 'custom',
  description: 'A third-party plugin.',
  options: {
    patience: { type: 'integer', min: 1, default: 3, help: 'custom patience' },
    threshold: { type: 'number', default: 0.5, help: 'accuracy to reach' },
  },
  create: () => ({ decide: () => hold() }),
});

// Option flags are made at run time, so their names are not in the static type.
const optionFlags = policyFlags as unknown as Record<string, Interfaces.OptionFlag<string | undefined>>;

describe('policyFlags', () => {
  it('has one kebab-case flag per option of the built-ins, and --policy-opt', () => {
    expect(Object.keys(policyFlags).sort()).toEqual(
      [
        'policy-opt',
        'at',
        'fraction',
        'monitor',
        'mode',
        'min-delta',
        'threshold-mode',
        'patience',
        'warmup',
        'detector',
        'window',
        'budget-mb',
        'budget-seconds',
        'budget-rounds',
        'large-rounds',
        'large-share',
        'underfit-gap',
        'min-gain',
        'next-gain',
        'recovery',
      ].sort(),
    );
  });

  it("describes each flag with its policy, help, constraint and default", () => {
    expect(optionFlags['min-delta']!.description).toBe(
      '[plateau] smallest change that counts as an improvement: a fraction of the best value (rel) or in metric units (abs). plateau: a number >= 0; default 0.01.',
    );
    expect(optionFlags['threshold-mode']!.helpValue).toBe('rel|abs');
    expect(optionFlags['budget-mb']!.helpValue).toBe('<MB>');
  });

  it('makes one flag of an option several plugins declare, naming them all', () => {
    const flags = policyFlagsFor([plateau, custom]) as unknown as typeof optionFlags;
    expect(flags.patience!.description).toBe('[plateau, custom] plateau: rounds without improvement before shifting (detector best; default 10); custom: custom patience');
  });
});

describe('policyOptionsFromFlags', () => {
  it('collects and validates the options the chosen plugin declares', async () => {
    const flags = await parse('--patience', '5', '--min-delta', '0.01', '--threshold-mode', 'abs', '--rounds', '50');
    expect(policyOptionsFromFlags(plateau, flags, flags['policy-opt'])).toEqual({
      monitor: 'validation-accuracy',
      mode: 'auto',
      minDelta: 0.01,
      thresholdMode: 'abs',
      patience: 5,
      warmup: 0,
      detector: 'best',
      window: undefined,
    });
  });

  it('takes --policy-opt key=value with camelCase or kebab-case keys', async () => {
    const flags = await parse('--policy-opt', 'min-delta=0.02', '--policy-opt', 'thresholdMode=abs');
    expect(policyOptionsFromFlags(plateau, flags, flags['policy-opt'])).toMatchObject({ minDelta: 0.02, thresholdMode: 'abs' });
  });

  it("gives a plugin's options from shared flags and --policy-opt", async () => {
    const flags = await parse('--patience', '4', '--policy-opt', 'threshold=0.7');
    expect(policyOptionsFromFlags(custom, flags, flags['policy-opt'])).toEqual({ patience: 4, threshold: 0.7 });
  });

  it('gives combined policies their options from the same flags', async () => {
    const plugin = await loadPolicy('any:plateau,budget');
    const flags = await parse('--patience', '5', '--budget-mb', '500');
    expect(policyOptionsFromFlags(plugin, flags, flags['policy-opt'])).toMatchObject({ patience: 5, budgetMb: 500 });
  });

  describe('refuses', () => {
    it('a flag the chosen policy does not accept, listing its options', async () => {
      const flags = await parse('--at', '40', '--patience', '5');
      expect(() => policyOptionsFromFlags(fixed, flags, flags['policy-opt'])).toThrow('--patience is not an option of policy "fixed" (its options: at, fraction).');
      expect(() => policyOptionsFromFlags(never, flags, flags['policy-opt'])).toThrow('--at is not an option of policy "never" (it takes no options).');
    });

    it('a --policy-opt key the policy does not declare', async () => {
      const flags = await parse('--policy-opt', 'budget-mb=3');
      expect(() => policyOptionsFromFlags(plateau, flags, flags['policy-opt'])).toThrow(
        '--policy-opt budget-mb is not an option of policy "plateau" (its options: monitor, mode, min-delta, threshold-mode, patience, warmup, detector, window).',
      );
    });

    it('a --policy-opt that is not key=value', async () => {
      const flags = await parse('--policy-opt', 'patience');
      expect(() => policyOptionsFromFlags(plateau, flags, flags['policy-opt'])).toThrow("--policy-opt must be key=value, but got 'patience'.");
    });

    it('an option given both as a flag and with --policy-opt', async () => {
      const flags = await parse('--patience', '5', '--policy-opt', 'patience=6');
      expect(() => policyOptionsFromFlags(plateau, flags, flags['policy-opt'])).toThrow(
        'option patience must be given once, but got --patience 5 and --policy-opt patience=6.',
      );
    });

    it('a value the option schema rejects', async () => {
      const flags = await parse('--patience', 'x');
      expect(() => policyOptionsFromFlags(plateau, flags, flags['policy-opt'])).toThrow("plateau: patience must be an integer >= 1, but got 'x'.");
    });
  });
});
