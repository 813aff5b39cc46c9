/** What every option declares, whatever its type. */
interface OptionBase {
  /** One line for `fedgear policies` and `--help`. */
  readonly help: string;
  /** Unit of the value as a user reads it, e.g. "rounds", "MB", "accuracy". */
  readonly unit?: string;
}

/** A whole or real number; `min`/`max` are inclusive bounds, `greaterThan` an exclusive lower bound. */
export interface NumericOptionSpec extends OptionBase {
  readonly type: 'integer' | 'number';
  readonly default?: number;
  readonly min?: number;
  readonly max?: number;
  readonly greaterThan?: number;
}

/** `true` or `false` (the strings "true"/"false" on the command line). */
export interface BooleanOptionSpec extends OptionBase {
  readonly type: 'boolean';
  readonly default?: boolean;
}

/** Free text. */
export interface StringOptionSpec extends OptionBase {
  readonly type: 'string';
  readonly default?: string;
}

/** One of a fixed list of words. */
export interface EnumOptionSpec<C extends string = string> extends OptionBase {
  readonly type: 'enum';
  readonly choices: readonly C[];
  readonly default?: C;
}

/**
 * How one policy option is typed, bounded, defaulted and explained.
 *
 * @example
 * const patience: OptionSpec = { type: 'integer', min: 1, default: 10, unit: 'rounds', help: 'flat rounds before shifting' };
 */
export type OptionSpec = NumericOptionSpec | BooleanOptionSpec | StringOptionSpec | EnumOptionSpec;

/**
 * A plugin's options by name (camelCase; the CLI flag is the kebab-case form).
 *
 * @example
 * const schema = { at: { type: 'integer', min: 1, unit: 'round', help: 'shift after this round' } } satisfies OptionsSchema;
 */
export type OptionsSchema = Readonly<Record<string, OptionSpec>>;

/**
 * The TypeScript type of one option's value.
 *
 * @example
 * type Mode = OptionValue<{ type: 'enum'; choices: readonly ['min', 'max']; help: '' }>; // 'min' | 'max'
 */
export type OptionValue<S extends OptionSpec> = S extends { readonly type: 'enum'; readonly choices: readonly (infer C)[] }
  ? C
  : S extends { readonly type: 'integer' | 'number' }
    ? number
    : S extends { readonly type: 'boolean' }
      ? boolean
      : string;

/**
 * Validated options: every declared key is present; options without a default may be `undefined`.
 * For a schema whose keys are not known statically (any plugin), the values are `unknown`.
 *
 * @example
 * type Fixed = OptionsOf<{ at: { type: 'integer'; help: '' } }>; // { at: number | undefined }
 */
export type OptionsOf<S extends OptionsSchema> = string extends keyof S
  ? Readonly<Record<string, unknown>>
  : { -readonly [K in keyof S]: S[K] extends { readonly default: unknown } ? OptionValue<S[K]> : OptionValue<S[K]> | undefined };

/**
 * The command-line flag name of an option: its camelCase name in kebab-case.
 *
 * @example
 * optionFlagName('budgetMb'); // 'budget-mb'
 */
export function optionFlagName(option: string): string {
  return option.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/**
 * Checks raw option values against a schema and returns them typed: strings (as flags arrive) are
 * parsed, defaults applied, ranges checked, unknown names refused. `undefined` counts as not given.
 *
 * @example
 * validateOptions('plateau', plateau.options, { patience: '5' }).patience; // 5
 * validateOptions('plateau', plateau.options, { patience: 'x' });
 * // throws "plateau: patience must be an integer >= 1, but got 'x'."
 */
export function validateOptions<S extends OptionsSchema>(pluginName: string, schema: S, raw: Readonly<Record<string, unknown>>): OptionsOf<S> {
  const known = Object.keys(schema);
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined && !Object.hasOwn(schema, name)) {
      const constraint = known.length === 0 ? 'none (it takes no options)' : `one of ${known.join(', ')}`;
      throw new Error(`${pluginName}: options must be ${constraint}, but got ${show(name)}.`);
    }
  }
  const options: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(schema)) {
    const value = raw[name];
    options[name] = value === undefined ? spec.default : parseOption(`${pluginName}: ${name}`, spec, value);
  }
  return options as OptionsOf<S>;
}

/**
 * Parses and checks one option value (a string from the command line, or an already typed value).
 *
 * @example
 * parseOption('fixed: at', { type: 'integer', min: 1, help: '' }, '40'); // 40
 */
export function parseOption(what: string, spec: OptionSpec, value: unknown): number | boolean | string {
  const parsed = coerce(spec, value);
  if (parsed === undefined || !withinRange(spec, parsed)) {
    throw new Error(`${what} must be ${describeConstraint(spec)}, but got ${show(value)}.`);
  }
  return parsed;
}

/**
 * The constraint of an option in words, as errors and help print it.
 *
 * @example
 * describeConstraint({ type: 'number', min: 0, max: 1, help: '' }); // "a number between 0 and 1"
 */
export function describeConstraint(spec: OptionSpec): string {
  switch (spec.type) {
    case 'boolean':
      return 'true or false';
    case 'string':
      return 'a string';
    case 'enum':
      return `one of ${spec.choices.map((choice) => `'${choice}'`).join(', ')}`;
    default: {
      const noun = spec.type === 'integer' ? 'an integer' : 'a number';
      const lower = spec.greaterThan !== undefined ? `> ${spec.greaterThan}` : spec.min !== undefined ? `>= ${spec.min}` : undefined;
      if (spec.min !== undefined && spec.max !== undefined && spec.greaterThan === undefined) return `${noun} between ${spec.min} and ${spec.max}`;
      const bounds = [lower, spec.max !== undefined ? `<= ${spec.max}` : undefined].filter((bound) => bound !== undefined);
      return bounds.length === 0 ? noun : `${noun} ${bounds.join(' and ')}`;
    }
  }
}

/**
 * A value as an error message quotes it: strings in single quotes, everything else as JSON.
 *
 * @example
 * show('x'); // "'x'"
 */
export function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || value === undefined) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

const decimal = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function coerce(spec: OptionSpec, value: unknown): number | boolean | string | undefined {
  switch (spec.type) {
    case 'integer':
    case 'number': {
      const number = typeof value === 'number' ? value : typeof value === 'string' && decimal.test(value.trim()) ? Number(value) : NaN;
      if (!Number.isFinite(number)) return undefined;
      return spec.type === 'integer' && !Number.isInteger(number) ? undefined : number;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      return value === 'true' ? true : value === 'false' ? false : undefined;
    case 'string':
      return typeof value === 'string' ? value : undefined;
    case 'enum':
      return typeof value === 'string' && spec.choices.includes(value) ? value : undefined;
  }
}

function withinRange(spec: OptionSpec, value: number | boolean | string): boolean {
  if (typeof value !== 'number' || (spec.type !== 'integer' && spec.type !== 'number')) return true;
  if (spec.min !== undefined && value < spec.min) return false;
  if (spec.max !== undefined && value > spec.max) return false;
  return spec.greaterThan === undefined || value > spec.greaterThan;
}
