import { describe, expect, expectTypeOf, it } from 'vitest';
import { describeConstraint, optionFlagName, validateOptions, type OptionsOf } from '../../src/policy/options-schema.js';

const schema = {
  patience: { type: 'integer', min: 1, default: 10, unit: 'rounds', help: 'flat rounds' },
  window: { type: 'integer', min: 2, help: 'slope window' },
  share: { type: 'number', greaterThan: 0, max: 1, default: 0.5, help: 'a share' },
  verbose: { type: 'boolean', default: false, help: 'talk more' },
  label: { type: 'string', help: 'a label' },
  mode: { type: 'enum', choices: ['min', 'max'], default: 'max', help: 'direction' },
} as const;

describe('validateOptions', () => {
  it('parses strings as flags deliver them, typed by the schema', () => {
    expect(validateOptions('p', schema, { patience: '5', window: '3', share: '0.25', verbose: 'true', label: 'x', mode: 'min' })).toEqual({
      patience: 5,
      window: 3,
      share: 0.25,
      verbose: true,
      label: 'x',
      mode: 'min',
    });
  });

  it('accepts already typed values from the library API', () => {
    expect(validateOptions('p', schema, { patience: 7, share: 1, verbose: false })).toMatchObject({ patience: 7, share: 1, verbose: false });
  });

  it('applies defaults and leaves options without a default undefined', () => {
    expect(validateOptions('p', schema, {})).toEqual({ patience: 10, window: undefined, share: 0.5, verbose: false, label: undefined, mode: 'max' });
  });

  it('treats an undefined value as not given', () => {
    expect(validateOptions('p', schema, { patience: undefined, other: undefined }).patience).toBe(10);
  });

  it('infers the option types from the schema', () => {
    const options = validateOptions('p', schema, {});
    expectTypeOf(options).toEqualTypeOf<OptionsOf<typeof schema>>();
    expectTypeOf(options.patience).toEqualTypeOf<number>();
    expectTypeOf(options.window).toEqualTypeOf<number | undefined>();
    expectTypeOf(options.mode).toEqualTypeOf<'min' | 'max'>();
    expectTypeOf(options.verbose).toEqualTypeOf<boolean>();
    expectTypeOf(options.label).toEqualTypeOf<string | undefined>();
  });

  describe('refuses', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['a word for an integer', { patience: 'x' }, "p: patience must be an integer >= 1, but got 'x'."],
      ['a fraction for an integer', { patience: '2.5' }, "p: patience must be an integer >= 1, but got '2.5'."],
      ['an integer below its minimum', { window: '1' }, "p: window must be an integer >= 2, but got '1'."],
      ['an empty string for a number', { share: '' }, "p: share must be a number > 0 and <= 1, but got ''."],
      ['a number at an exclusive bound', { share: 0 }, 'p: share must be a number > 0 and <= 1, but got 0.'],
      ['a number above its maximum', { share: '1.5' }, "p: share must be a number > 0 and <= 1, but got '1.5'."],
      ['an infinite number', { share: 'Infinity' }, "p: share must be a number > 0 and <= 1, but got 'Infinity'."],
      ['a boolean that is not true or false', { verbose: 'yes' }, "p: verbose must be true or false, but got 'yes'."],
      ['a non-string for a string', { label: 3 }, 'p: label must be a string, but got 3.'],
      ['a word outside the choices', { mode: 'auto' }, "p: mode must be one of 'min', 'max', but got 'auto'."],
      ['an unknown option, listing the known ones', { patients: '5' }, "p: options must be one of patience, window, share, verbose, label, mode, but got 'patients'."],
    ];
    it.each(cases)('%s', (_, raw, message) => {
      expect(() => validateOptions('p', schema, raw)).toThrow(message);
    });

    it('any option for a plugin that takes none', () => {
      expect(() => validateOptions('never', {}, { at: '3' })).toThrow("never: options must be none (it takes no options), but got 'at'.");
    });
  });
});

describe('describeConstraint', () => {
  it('says a range in words', () => {
    expect(describeConstraint({ type: 'number', min: 0, max: 1, help: '' })).toBe('a number between 0 and 1');
    expect(describeConstraint({ type: 'integer', max: 9, help: '' })).toBe('an integer <= 9');
    expect(describeConstraint({ type: 'number', help: '' })).toBe('a number');
  });
});

describe('optionFlagName', () => {
  it('turns camelCase option names into kebab-case flags', () => {
    expect(optionFlagName('budgetMb')).toBe('budget-mb');
    expect(optionFlagName('thresholdMode')).toBe('threshold-mode');
    expect(optionFlagName('at')).toBe('at');
  });
});
