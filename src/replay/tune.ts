import { Random } from '../data/random.js';
import { toPolicyRecord } from '../metrics/round-record.js';
import { contextFromHeader } from '../policy/context-from-header.js';
import { optionFlagName, validateOptions } from '../policy/options-schema.js';
import type { PolicyPlugin } from '../policy/plugin.js';
import type { Policy } from '../policy/policy.js';
import type { Bundle } from './bundle.js';
import { maxTestAccuracy } from './compare.js';
import { settingFlags } from './format-tune.js';
import { compareValues, scoreOptionsFor, type Objective } from './objective.js';
import { findOracle, regret, scoreOutcome, type Outcome } from './oracle.js';
import { replayToFirstShift } from './replay-to-first-shift.js';
import { searchSpace, type SearchSpace, type SearchValue } from './search-space.js';
import { spliceBranch } from './splice.js';

/** What to tune, on what, and how to search. */
export interface TuneOptions {
  readonly plugin: PolicyPlugin;
  /** The policy as the user gave it (a name, a combination, a path or a package); default the plugin's name. */
  readonly spec?: string;
  /** Options the user fixed (validated values); the others are searched. */
  readonly given: Readonly<Record<string, unknown>>;
  /** Bundles the settings are ranked on. */
  readonly tuning: readonly Bundle[];
  /** Bundles to judge the best setting on, or leave-one-out over the tuning bundles (none when there is only one). */
  readonly holdout: readonly Bundle[] | 'leave-one-out';
  readonly objective: Objective;
  /** "large" (default: each bundle's 12-12 max test accuracy) or an accuracy. */
  readonly reference?: 'large' | number;
  /** grid: every combination of levels; random (default): `trials` distinct random settings. */
  readonly search?: 'grid' | 'random';
  /** Settings to evaluate: exactly that many for random search, at most for grid. Default 500. */
  readonly trials?: number;
  readonly seed?: number;
  /** Grid levels per numeric option (see `searchSpace`). */
  readonly levels?: number;
  /** User-given spaces by option: "a,b,c" or "lo..hi". */
  readonly space?: Readonly<Record<string, string>>;
}

/** One setting on one bundle. */
export interface BundleResult {
  readonly bundle: string;
  readonly switchAfter: number | null;
  readonly usedBranch: number | null;
  /** The objective's value (+Infinity never reached; null in JSON). */
  readonly value: number;
  readonly regret: number;
  readonly maxAccuracy: number;
}

/** One setting, over the tuning bundles. */
export interface SettingResult {
  /** The searched options' values; options left unset are absent. */
  readonly setting: Readonly<Record<string, number | boolean | string>>;
  /** Mean objective over the tuning bundles (+Infinity if any never reached). */
  readonly meanValue: number;
  /** Mean regret against each bundle's oracle, in the objective's unit. */
  readonly meanRegret: number;
  /** Tuning bundles on which the objective was never reached. */
  readonly misses: number;
  readonly meanMaxAccuracy: number;
  readonly bundles: readonly BundleResult[];
}

/** The best setting, judged on a bundle it was not tuned on. */
export interface HeldOutResult extends BundleResult {
  /** The setting judged: the overall best, or with leave-one-out the best without this bundle. */
  readonly setting: Readonly<Record<string, number | boolean | string>>;
  /** The bundle's oracle: its best recorded switch. */
  readonly oracle: { readonly label: string; readonly value: number };
}

/** Everything a tuning run found. */
export interface TuneResult {
  readonly policy: string;
  /** The policy as given (see `TuneOptions.spec`): what the best line passes to `--policy`. */
  readonly spec: string;
  readonly objective: string;
  readonly search: 'grid' | 'random';
  readonly space: { readonly dimensions: readonly { option: string; levels: readonly SearchValue[]; origin: string; drawn: string }[]; readonly skipped: SearchSpace['skipped']; readonly gridSize: number };
  readonly given: Readonly<Record<string, unknown>>;
  readonly tuningBundles: readonly string[];
  /** Distinct settings tried, including invalid ones. */
  readonly settings: number;
  /** Settings the factory refused (skipped), and the commonest reasons. */
  readonly invalid: number;
  readonly invalidReasons: readonly { readonly message: string; readonly count: number }[];
  readonly best: SettingResult;
  /** The best settings, best first (at most 5). */
  readonly top: readonly SettingResult[];
  readonly heldOut: {
    readonly mode: 'bundles' | 'leave-one-out' | 'none';
    readonly results: readonly HeldOutResult[];
    readonly meanValue: number | null;
    readonly meanRegret: number | null;
  };
}

/**
 * Tunes a policy's options on recorded bundles: derives the search space from the option schema
 * (see `searchSpace`), replays every setting on every bundle, and ranks settings by their mean
 * objective over the tuning bundles. Ranking by mean regret would give the same order, since each
 * bundle's oracle is a constant; both are reported.
 *
 * Ranking: fewest bundles where the objective was never reached first, then the lowest mean of
 * the reached values, then the highest mean max accuracy, then search order. A setting the
 * factory refuses on any bundle is skipped and counted, not an error.
 *
 * Speed: what does not depend on the setting is computed once per bundle — the policy records,
 * the context, the oracle, and the scored outcome of each switch round — so a setting costs a
 * factory call and a replay through the live pipeline up to its first shift, per bundle.
 *
 * Held out: with explicit hold-out bundles the best setting is judged on them; with leave-one-out
 * each bundle is judged with the setting that is best on all the others, an honest estimate of
 * how the tuned policy does on a scenario it was not tuned on.
 *
 * @example
 * const result = await tune({ plugin: plateau, given: { detector: 'best' }, tuning: bundles, holdout: 'leave-one-out', objective: parseObjective('time-to:0.9') });
 * result.best.setting; // e.g. { patience: 4, minDelta: 0.001, ... }
 */
export async function tune(options: TuneOptions): Promise<TuneResult> {
  const { plugin, objective, tuning } = options;
  const search = options.search ?? 'random';
  const trials = options.trials ?? 500;
  if (!Number.isInteger(trials) || trials < 1) throw new Error(`trials must be an integer >= 1, but got ${trials}.`);
  if (tuning.length === 0) throw new Error('the tuning bundles must be at least one, but got none.');
  const leaveOneOut = options.holdout === 'leave-one-out';
  const heldOutBundles = leaveOneOut ? [] : (options.holdout as readonly Bundle[]);
  const names = bundleNames([...tuning, ...heldOutBundles]);
  const prepared = tuning.map((bundle, index) => prepare(bundle, names[index]!, objective, options.reference ?? 'large'));

  const first = prepared[0]!;
  const space = searchSpace(plugin, {
    given: options.given,
    context: first.context,
    plannedRounds: Math.min(...prepared.map((bundle) => bundle.context.plannedRounds)),
    ...(options.levels === undefined ? {} : { levels: options.levels }),
    ...(options.space === undefined ? {} : { overrides: options.space }),
  });
  if (space.dimensions.length === 0) {
    const skipped = space.skipped.map(({ option, why }) => `${option}: ${why}`).join('; ');
    throw new Error(`${plugin.name}: there must be an option left to search, but every option is given or cannot be searched${skipped === '' ? '' : ` (${skipped})`}.`);
  }
  const settings = search === 'grid' ? gridSettings(space, trials) : randomSettings(space, trials, options.seed ?? 0);

  const evaluated: SettingResult[] = [];
  const invalidReasons = new Map<string, number>();
  for (const setting of settings) {
    const policies = create(plugin, options.given, setting, prepared);
    if (typeof policies === 'string') {
      // Grouped by the rule broken, not the value that broke it.
      const rule = policies.replace(/, but got .*$/s, '.');
      invalidReasons.set(rule, (invalidReasons.get(rule) ?? 0) + 1);
      continue;
    }
    const bundles: BundleResult[] = [];
    for (const [index, bundle] of prepared.entries()) {
      try {
        bundles.push(await bundle.evaluate(policies[index]!, plugin.name));
      } catch (error) {
        const flags = settingFlags(present(setting), new Set(Object.keys(setting).map(optionFlagName)));
        throw new Error(`tune: setting ${flags} on bundle ${names[index]}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    evaluated.push(summarise(present(setting), bundles));
  }
  const invalid = settings.length - evaluated.length;
  if (evaluated.length === 0) {
    const [reason] = [...invalidReasons.entries()].sort((a, b) => b[1] - a[1]);
    throw new Error(`${plugin.name}: at least one setting must be valid, but all ${settings.length} were refused, e.g. ${reason?.[0]}`);
  }
  const order = rank(evaluated, (result) => result.bundles);
  const best = evaluated[order[0]!]!;
  return {
    policy: plugin.name,
    spec: options.spec ?? plugin.name,
    objective: objective.spec,
    search,
    space: { dimensions: space.dimensions.map(({ option, levels, origin, drawn }) => ({ option, levels, origin, drawn })), skipped: space.skipped, gridSize: space.gridSize },
    given: options.given,
    tuningBundles: names.slice(0, tuning.length),
    settings: settings.length,
    invalid,
    invalidReasons: [...invalidReasons.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([message, count]) => ({ message, count })),
    best,
    top: order.slice(0, 5).map((index) => evaluated[index]!),
    heldOut: leaveOneOut
      ? leaveOneOutResults(evaluated, prepared)
      : await heldOutResults(plugin, options, best, heldOutBundles.map((bundle, index) => prepare(bundle, names[tuning.length + index]!, objective, options.reference ?? 'large'))),
  };
}

/** A bundle with everything that does not depend on the setting worked out once. */
interface PreparedBundle {
  readonly name: string;
  readonly context: ReturnType<typeof contextFromHeader>;
  readonly oracle: Outcome;
  evaluate(policy: Policy, label: string): Promise<BundleResult>;
}

function prepare(bundle: Bundle, name: string, objective: Objective, reference: 'large' | number): PreparedBundle {
  const context = contextFromHeader(bundle.small.header, objective.goal);
  const records = bundle.small.rounds.map(toPolicyRecord);
  // Only what the objective reads: the full 60..90% table is the replay command's business.
  const scoring = scoreOptionsFor(objective, { referenceMax: reference === 'large' ? maxTestAccuracy(bundle) : reference, fractions: [], budgetsMb: [] });
  const oracle = findOracle(bundle, objective, scoring).best;
  const outcomes = new Map<number | undefined, BundleResult>();
  const outcome = (switchAfter: number | undefined): BundleResult => {
    let result = outcomes.get(switchAfter);
    if (result === undefined) {
      const scored = scoreOutcome(name, 'policy', spliceBranch(bundle, switchAfter), objective, scoring);
      result = {
        bundle: name,
        switchAfter: switchAfter ?? null,
        usedBranch: scored.usedBranch ?? null,
        value: scored.value,
        regret: regret(scored.value, oracle.value),
        maxAccuracy: scored.score.maxAccuracy,
      };
      outcomes.set(switchAfter, result);
    }
    return result;
  };
  return {
    name,
    context,
    oracle,
    async evaluate(policy, label) {
      const decisions = await replayToFirstShift(records, context, policy, label);
      return outcome(decisions.at(-1)?.action === 'shift' ? records[decisions.length - 1]!.round : undefined);
    },
  };
}

/** The policy for each bundle, or the factory's complaint. */
function create(plugin: PolicyPlugin, given: Readonly<Record<string, unknown>>, setting: Readonly<Record<string, SearchValue>>, bundles: readonly PreparedBundle[]): Policy[] | string {
  try {
    const options = validateOptions(plugin.name, plugin.options, { ...given, ...setting });
    return bundles.map((bundle) => plugin.create(options, bundle.context));
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function summarise(setting: Readonly<Record<string, number | boolean | string>>, bundles: readonly BundleResult[]): SettingResult {
  return {
    setting,
    meanValue: mean(bundles.map((bundle) => bundle.value)),
    meanRegret: mean(bundles.map((bundle) => bundle.regret)),
    misses: bundles.filter((bundle) => bundle.value === Infinity).length,
    meanMaxAccuracy: mean(bundles.map((bundle) => bundle.maxAccuracy)),
    bundles,
  };
}

/** Indices of `results`, best first, judged on the bundles `on` picks (see `tune` for the order). */
function rank<T>(results: readonly T[], on: (result: T) => readonly BundleResult[]): number[] {
  const keys = results.map((result) => {
    const bundles = on(result);
    const reached = bundles.filter((bundle) => bundle.value !== Infinity).map((bundle) => bundle.value);
    return { misses: bundles.length - reached.length, reached: reached.length === 0 ? 0 : mean(reached), accuracy: mean(bundles.map((bundle) => bundle.maxAccuracy)) };
  });
  return results
    .map((_, index) => index)
    .sort((a, b) => keys[a]!.misses - keys[b]!.misses || compareValues(keys[a]!.reached, keys[b]!.reached) || keys[b]!.accuracy - keys[a]!.accuracy || a - b);
}

function leaveOneOutResults(evaluated: readonly SettingResult[], prepared: readonly PreparedBundle[]): TuneResult['heldOut'] {
  if (prepared.length < 2) return { mode: 'none', results: [], meanValue: null, meanRegret: null };
  const results = prepared.map((bundle, held) => {
    const chosen = evaluated[rank(evaluated, (result) => result.bundles.filter((_, index) => index !== held))[0]!]!;
    return { ...chosen.bundles[held]!, setting: chosen.setting, oracle: { label: bundle.oracle.label, value: bundle.oracle.value } };
  });
  return { mode: 'leave-one-out', results, ...means(results) };
}

async function heldOutResults(plugin: PolicyPlugin, options: TuneOptions, best: SettingResult, bundles: readonly PreparedBundle[]): Promise<TuneResult['heldOut']> {
  if (bundles.length === 0) return { mode: 'none', results: [], meanValue: null, meanRegret: null };
  const policies = create(plugin, options.given, best.setting, bundles);
  if (typeof policies === 'string') throw new Error(`the best setting must be valid on the held-out bundles too, but ${policies}`);
  const results: HeldOutResult[] = [];
  for (const [index, bundle] of bundles.entries()) {
    const result = await bundle.evaluate(policies[index]!, plugin.name);
    results.push({ ...result, setting: best.setting, oracle: { label: bundle.oracle.label, value: bundle.oracle.value } });
  }
  return { mode: 'bundles', results, ...means(results) };
}

function means(results: readonly BundleResult[]): { meanValue: number; meanRegret: number } {
  return { meanValue: mean(results.map((result) => result.value)), meanRegret: mean(results.map((result) => result.regret)) };
}

function gridSettings(space: SearchSpace, trials: number): Record<string, SearchValue>[] {
  if (space.gridSize > trials) {
    throw new Error(
      `the grid must have at most --trials ${trials} settings, but it has ${space.gridSize}; fix options with their flags, narrow them with --space, lower --levels, raise --trials, or use --search random.`,
    );
  }
  let settings: Record<string, SearchValue>[] = [{}];
  for (const dimension of space.dimensions) {
    settings = settings.flatMap((setting) => dimension.levels.map((level) => ({ ...setting, [dimension.option]: level })));
  }
  return settings;
}

function randomSettings(space: SearchSpace, trials: number, seed: number): Record<string, SearchValue>[] {
  const random = new Random(seed);
  const seen = new Set<string>();
  const settings: Record<string, SearchValue>[] = [];
  // A small discrete space runs out of new settings; stop drawing rather than loop forever.
  for (let attempt = 0; settings.length < trials && attempt < 20 * trials; attempt++) {
    const setting = Object.fromEntries(space.dimensions.map((dimension) => [dimension.option, dimension.sample(random)]));
    const key = JSON.stringify(space.dimensions.map((dimension) => setting[dimension.option] ?? null));
    if (seen.has(key)) continue;
    seen.add(key);
    settings.push(setting);
  }
  return settings;
}

function present(setting: Readonly<Record<string, SearchValue>>): Record<string, number | boolean | string> {
  return Object.fromEntries(Object.entries(setting).filter((entry): entry is [string, number | boolean | string] => entry[1] !== undefined));
}

function bundleNames(bundles: readonly Bundle[]): string[] {
  const names = bundles.map((bundle) => bundle.manifest.name);
  return bundles.map((bundle, index) => (names.indexOf(names[index]!) === names.lastIndexOf(names[index]!) ? names[index]! : bundle.directory));
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
