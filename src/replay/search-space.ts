import { Random } from '../data/random.js';
import { optionFlagName, parseOption, validateOptions, type NumericOptionSpec, type OptionSpec } from '../policy/options-schema.js';
import type { PolicyPlugin } from '../policy/plugin.js';
import type { PolicyContext } from '../policy/policy.js';

/** A value an option can take in a search; `undefined` leaves the option unset (the plugin decides). */
export type SearchValue = number | boolean | string | undefined;

/** One searched option: its grid levels and how random search draws it. */
export interface Dimension {
  readonly option: string;
  /** Grid levels in search order; `undefined` (unset) first for options without a default. */
  readonly levels: readonly SearchValue[];
  /** How the levels were chosen, for the report, e.g. "1..19 geometric (rounds: up to planned rounds - 1)". */
  readonly origin: string;
  /** How random search draws it, for the report, e.g. "integers 1..19, log-uniform (up to planned rounds - 1)". */
  readonly drawn: string;
  /** Draws a value for random search. */
  sample(random: Random): SearchValue;
}

/** What a search varies, and what it leaves alone and why. */
export interface SearchSpace {
  readonly dimensions: readonly Dimension[];
  readonly skipped: readonly { readonly option: string; readonly why: string }[];
  /** Settings in the full grid: the product of the level counts. */
  readonly gridSize: number;
}

/** How to derive the space. */
export interface SearchSpaceOptions {
  /** Options the user fixed (validated values): not searched. */
  readonly given: Readonly<Record<string, unknown>>;
  /** A context to probe the factory with, e.g. the first tuning bundle's. */
  readonly context: PolicyContext;
  /** Fewest planned rounds among the tuning bundles: the span of options counted in rounds. */
  readonly plannedRounds: number;
  /** Grid levels per numeric option; default 6. */
  readonly levels?: number;
  /** User-given spaces by option (camelCase): "a,b,c" values ("unset" among them for an option without a default) or "lo..hi" for numbers. */
  readonly overrides?: Readonly<Record<string, string>>;
}

/** Enumerations of enum/boolean options tried when probing for conflicts, at most. */
const PROBE_LIMIT = 256;

/**
 * Derives a search space from a plugin's option schema. Options the user gave are fixed; every
 * other option is searched:
 * - enum: every choice; boolean: false and true; string: not searched (free text).
 * - integer and number: `levels` values from `lo` to `hi`, geometric when lo > 0 and hi/lo > 10
 *   (after a 0 level when lo = 0), else evenly spaced; the default is always among them. Bounds
 *   come from the schema's min/max (`greaterThan` g: g + 1 for integers). A missing bound is
 *   derived: options counted in rounds (unit "rounds") go up to `plannedRounds - 1`, the last
 *   round a shift can follow; others span a decade either way of a positive default (default/10
 *   to 10 x default); a number with only an exclusive lower bound g and an upper bound starts
 *   a tenth of the way up, g + (hi - g)/10. Where no bound can be derived (no default, no max,
 *   not in rounds — e.g. budget's budgetMb) the option is not searched: fix it or give `overrides`.
 *   Random search draws numbers continuously over the same span (log-uniform when geometric),
 *   rounded to 3 significant digits, so a reported setting is exactly what was evaluated.
 * - An option without a default may also stay unset: "unset" is its first level, and random
 *   search leaves it unset half the time. This is how options that exclude each other (plateau's
 *   patience and window, fixed's at and fraction) are searched: the factory rejects the invalid
 *   combinations, which tuning skips and counts.
 * - An option without a default that conflicts with what the user gave is not searched: when the
 *   given options make a valid policy, but setting this one makes the factory throw for every
 *   choice of the enum and boolean options (e.g. budget's budgetRounds once --budget-mb is given).
 *
 * @example
 * const space = searchSpace(plateau, { given: { detector: 'best' }, context, plannedRounds: 200 });
 * space.dimensions.map((d) => d.option); // ['monitor', 'mode', 'minDelta', 'thresholdMode', 'patience', 'warmup']
 */
export function searchSpace(plugin: PolicyPlugin, options: SearchSpaceOptions): SearchSpace {
  const levelCount = options.levels ?? 6;
  if (!Number.isInteger(levelCount) || levelCount < 2) throw new Error(`levels must be an integer >= 2, but got ${levelCount}.`);
  const overrides = options.overrides ?? {};
  for (const option of Object.keys(overrides)) {
    if (!Object.hasOwn(plugin.options, option)) throw new Error(`--space ${optionFlagName(option)} must name an option of ${plugin.name} (${Object.keys(plugin.options).map(optionFlagName).join(', ')}), but got '${option}'.`);
    if (options.given[option] !== undefined) throw new Error(`option ${option} must be either fixed or searched, but got both a value and --space.`);
  }
  const dimensions: Dimension[] = [];
  const skipped: { option: string; why: string }[] = [];
  for (const [option, spec] of Object.entries(plugin.options)) {
    if (options.given[option] !== undefined) continue;
    const override = overrides[option];
    const dimension = override !== undefined ? fromOverride(plugin.name, option, spec, override, levelCount) : fromSchema(option, spec, options.plannedRounds, levelCount);
    if (typeof dimension === 'string') skipped.push({ option, why: dimension });
    else dimensions.push(dimension);
  }
  const kept = dropConflicts(plugin, options, dimensions, skipped);
  return { dimensions: kept, skipped, gridSize: kept.reduce((size, dimension) => size * dimension.levels.length, 1) };
}

function fromSchema(option: string, spec: OptionSpec, plannedRounds: number, levelCount: number): Dimension | string {
  const optional = spec.default === undefined;
  switch (spec.type) {
    case 'string':
      return 'free text is not searched; fix it with its flag';
    case 'boolean':
      return choices(option, spec, [false, true], 'false, true');
    case 'enum':
      return choices(option, spec, spec.choices, 'every choice');
    default: {
      const span = numericSpan(spec, plannedRounds);
      if (typeof span === 'string') return span;
      return numeric(option, spec, span.lo, span.hi, levelCount, span.why, optional);
    }
  }
}

function numericSpan(spec: NumericOptionSpec, plannedRounds: number): { lo: number; hi: number; why: string } | string {
  const inRounds = spec.unit === 'rounds' || spec.unit === 'round';
  const positiveDefault = spec.default !== undefined && spec.default > 0 ? spec.default : undefined;
  const why: string[] = [];
  let hi = spec.max;
  if (hi === undefined && inRounds) {
    hi = plannedRounds - 1;
    why.push('up to planned rounds - 1');
  } else if (hi === undefined && positiveDefault !== undefined) {
    hi = 10 * positiveDefault;
    why.push('up to 10 x default');
  }
  if (hi === undefined) return 'no upper bound to search up to (no max, no default, not in rounds); fix it with its flag or give --space';
  let lo = spec.min ?? (spec.type === 'integer' && spec.greaterThan !== undefined ? Math.floor(spec.greaterThan) + 1 : undefined);
  if (lo === undefined && positiveDefault !== undefined) {
    lo = positiveDefault / 10;
    why.push('from default / 10');
  } else if (lo === undefined && spec.greaterThan !== undefined) {
    lo = spec.greaterThan + (hi - spec.greaterThan) / 10;
    why.push('from a tenth of the way up');
  }
  if (lo === undefined) return 'no lower bound to search from (no min, no default); fix it with its flag or give --space';
  if (spec.type === 'integer') [lo, hi] = [Math.ceil(lo), Math.floor(hi)];
  if (!(hi > lo)) return `its range ${lo}..${hi} holds a single value; fix it with its flag`;
  return { lo, hi, why: why.join(', ') };
}

function numeric(option: string, spec: NumericOptionSpec, lo: number, hi: number, levelCount: number, why: string, optional: boolean): Dimension {
  const integer = spec.type === 'integer';
  // From lo = 0 a geometric grid starts at its first positive level after a 0 level: 1 for
  // integers, else a decade below a positive default, else hi / 100.
  const first = lo > 0 ? lo : integer ? 1 : spec.default !== undefined && spec.default > 0 ? spec.default / 10 : hi / 100;
  const geometric = hi / first > 10;
  const spaced = (from: number, count: number) =>
    Array.from({ length: count }, (_, index) => (geometric ? from * Math.pow(hi / from, index / (count - 1)) : from + ((hi - from) * index) / (count - 1)));
  const raw =
    integer && hi - lo + 1 <= levelCount
      ? Array.from({ length: hi - lo + 1 }, (_, index) => lo + index)
      : geometric && lo === 0
        ? [0, ...spaced(first, levelCount - 1)]
        : spaced(lo, levelCount);
  const inRange = (value: number) => value >= lo && value <= hi && (spec.greaterThan === undefined || value > spec.greaterThan);
  const tidy = (value: number) => (integer ? Math.round(value) : Number(value.toPrecision(geometric ? 2 : 3)));
  const values = [...new Set([...raw.map(tidy), ...(spec.default !== undefined ? [spec.default] : [])])].filter(inRange).sort((a, b) => a - b);
  const sample = (random: Random): number => {
    if (geometric && lo === 0 && random.int(levelCount) === 0) return 0;
    const u = random.next();
    const value = geometric ? first * Math.pow(hi / first, u) : lo + (hi - lo) * u;
    const drawn = integer ? Math.round(value) : Number(value.toPrecision(3));
    // Rounding can step over an exclusive bound; the nearest level is then the honest draw.
    return inRange(drawn) ? drawn : values.reduce((best, level) => (Math.abs(level - drawn) < Math.abs(best - drawn) ? level : best));
  };
  const because = why === '' ? '' : ` (${why})`;
  const origin = `${format(lo)}..${format(hi)} ${geometric ? 'geometric' : 'linear'}${because}`;
  const kind = integer ? 'integers ' : '';
  const range = geometric && lo === 0 ? `0 one time in ${levelCount}, else ${kind}${format(first)}..${format(hi)}` : `${kind}${format(lo)}..${format(hi)}`;
  const drawn = `${range}, ${geometric ? 'log-uniform' : 'uniform'}${integer ? '' : ', to 3 significant digits'}${because}`;
  return withUnset(option, optional, values, origin, drawn, sample);
}

function choices(option: string, spec: OptionSpec, values: readonly (string | boolean)[], origin: string): Dimension {
  return withUnset(option, spec.default === undefined, values, origin, `one of ${values.join(', ')}`, (random) => values[random.int(values.length)]);
}

function withUnset(option: string, optional: boolean, values: readonly SearchValue[], origin: string, drawn: string, draw: (random: Random) => SearchValue): Dimension {
  if (!optional) return { option, levels: values, origin, drawn, sample: draw };
  return {
    option,
    levels: [undefined, ...values],
    origin: `unset, ${origin}`,
    drawn: `unset half the time, else ${drawn}`,
    sample: (random) => (random.next() < 0.5 ? undefined : draw(random)),
  };
}

function fromOverride(pluginName: string, option: string, spec: OptionSpec, text: string, levelCount: number): Dimension {
  const what = `--space ${optionFlagName(option)}`;
  if (text.includes('..')) {
    const range = text.split('..').map((part) => part.trim());
    if (spec.type !== 'integer' && spec.type !== 'number') throw new Error(`${what} must list values (a,b,c) for the ${spec.type} option ${option}, but got '${text}'.`);
    if (range.length !== 2) throw new Error(`${what} must be a range lo..hi, but got '${text}'.`);
    const lo = parseOption(`${pluginName}: ${what} (low end)`, spec, range[0]) as number;
    const hi = parseOption(`${pluginName}: ${what} (high end)`, spec, range[1]) as number;
    if (!(hi > lo)) throw new Error(`${what} must be a range lo..hi with lo < hi, but got '${text}'.`);
    return numeric(option, spec, lo, hi, levelCount, 'from --space', false);
  }
  const values = [
    ...new Set(
      text.split(',').map((part): SearchValue => {
        if (part.trim() !== 'unset') return parseOption(`${pluginName}: ${what}`, spec, part.trim());
        if (spec.default !== undefined) throw new Error(`${what} may hold 'unset' only for an option without a default, but ${option} defaults to ${String(spec.default)}.`);
        return undefined;
      }),
    ),
  ];
  const shown = values.map((value) => (value === undefined ? 'unset' : String(value))).join(', ');
  return { option, levels: values, origin: `${shown} (from --space)`, drawn: `one of ${shown} (from --space)`, sample: (random) => values[random.int(values.length)] };
}

function dropConflicts(plugin: PolicyPlugin, options: SearchSpaceOptions, dimensions: readonly Dimension[], skipped: { option: string; why: string }[]): Dimension[] {
  const switches = dimensions.filter((dimension) => dimension.levels.every((level) => typeof level !== 'number'));
  const assignments = product(switches).slice(0, PROBE_LIMIT);
  const works = (extra: Readonly<Record<string, SearchValue>>) =>
    assignments.some((assignment) => {
      try {
        plugin.create(validateOptions(plugin.name, plugin.options, { ...options.given, ...assignment, ...extra }), options.context);
        return true;
      } catch {
        return false;
      }
    });
  if (!works({})) return [...dimensions];
  return dimensions.filter((dimension) => {
    if (dimension.levels[0] !== undefined || switches.includes(dimension)) return true;
    const set = dimension.levels.filter((level) => level !== undefined);
    const middle = set[Math.floor(set.length / 2)];
    if (works({ [dimension.option]: middle })) return true;
    skipped.push({ option: dimension.option, why: `setting it makes ${plugin.name} refuse the given options, whatever the other choices` });
    return false;
  });
}

function product(dimensions: readonly Dimension[]): Record<string, SearchValue>[] {
  let settings: Record<string, SearchValue>[] = [{}];
  for (const dimension of dimensions) {
    settings = settings.flatMap((setting) => dimension.levels.map((level) => ({ ...setting, [dimension.option]: level })));
    if (settings.length > PROBE_LIMIT) settings = settings.slice(0, PROBE_LIMIT);
  }
  return settings;
}

function format(value: number): string {
  return Number(value.toPrecision(3)).toString();
}
