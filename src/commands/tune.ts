import { Args, Flags } from '../vendor/oclif-core.js';
import { FedgearCommand } from '../cli/fedgear-command.js';
import type { OptionSpec } from '../policy/options-schema.js';
import { loadPolicy } from '../policy/load-policy.js';
import type { PolicyPlugin } from '../policy/plugin.js';
import { policyFlags, policyOptionsFromFlags } from '../policy/policy-flags.js';
import { readBundle } from '../replay/bundle.js';
import { checkBundle } from '../replay/check-bundle.js';
import { formatTune } from '../replay/format-tune.js';
import { parseObjective } from '../replay/objective.js';
import { parseReference, replayFlags } from '../replay/replay-flags.js';
import { tune, type TuneResult } from '../replay/tune.js';

/** `fedgear tune`: search a policy's options on recorded bundles. */
export default class Tune extends FedgearCommand {
  static override summary = "Search a policy's options on recorded bundles and judge the best on bundles held out.";

  static override description = `Every setting is replayed on every tuning bundle (see "fedgear replay"), so thousands of settings take seconds. The search space comes from the policy's option schema: enums take every choice, booleans both values, numbers a grid within their bounds (a missing bound is derived: options in rounds go up to the planned rounds, others a decade either side of the default). Options given with their usual flags (as on "fedgear run") are fixed and not searched; --space sets the values of one option ("--space patience=2,4,8" or "--space min-delta=0..0.01"). Settings the policy refuses (e.g. plateau's window with detector best) are skipped and counted.

Settings are ranked by the mean objective over the tuning bundles (fewest never-reached first); mean regret against each bundle's oracle is shown too. The best is then judged on held-out bundles: by default leave-one-out (each bundle judged with the setting best on the others), or the last --holdout K bundles, or --holdout-bundles.

Give the bundles before any repeatable flag (--policy-opt, --space, --holdout-bundles).`;

  static override examples = [
    { description: 'Tune plateau on four scenarios, judged leave-one-out:', command: '<%= config.bin %> <%= command.id %> bundles/a bundles/b bundles/c bundles/d --policy plateau' },
    { description: 'Fix the detector, grid-search the rest, hold out the last bundle:', command: '<%= config.bin %> <%= command.id %> bundles/* --policy plateau --detector best --search grid --levels 4 --holdout 1' },
    { description: 'Tune the budget policy for a 300 MB budget by traffic to 80%:', command: '<%= config.bin %> <%= command.id %> bundles/a bundles/b --policy budget --budget-mb 300 --objective mb-to:0.8' },
  ];

  static override strict = false;

  static override args = {
    bundle: Args.string({ description: 'Bundle directories to tune on (each holding manifest.json); one or more.', required: true }),
  };

  static override enableJsonFlag = true;

  static override flags = {
    ...replayFlags,
    search: Flags.string({ summary: 'grid: every combination of levels (at most --trials); random: --trials random settings.', options: ['grid', 'random'], default: 'random' }),
    trials: Flags.integer({ summary: 'Settings to evaluate (random), or the most the grid may have (grid).', min: 1, default: 500 }),
    levels: Flags.integer({ summary: 'Grid levels per numeric option.', min: 2, default: 6 }),
    seed: Flags.integer({ summary: 'Seed of the random search.', default: 0 }),
    space: Flags.string({ summary: 'Values to search for one option: name=a,b,c or name=lo..hi (repeatable).', multiple: true }),
    holdout: Flags.integer({ summary: 'Hold out the last K bundles instead of leave-one-out.', min: 1, exclusive: ['holdout-bundles'] }),
    'holdout-bundles': Flags.string({ summary: 'Bundles to judge the best setting on, instead of leave-one-out.', multiple: true, exclusive: ['holdout'] }),
    ...policyFlags,
  };

  async run(): Promise<TuneResult> {
    const { argv, flags } = await this.parse(Tune);
    const plugin = await loadPolicy(flags.policy);
    // Defaults stripped, the usual option parsing yields exactly the options the user gave.
    const given = policyOptionsFromFlags(withoutDefaults(plugin), flags, flags['policy-opt'] ?? []);
    const objective = parseObjective(flags.objective);
    const bundles = (argv as string[]).map((directory) => checkBundle(readBundle(directory)));
    const holdoutCount = flags.holdout;
    if (holdoutCount !== undefined && holdoutCount >= bundles.length) {
      throw new Error(`--holdout must be less than the number of bundles (${bundles.length}), so that one is left to tune on, but got ${holdoutCount}.`);
    }
    const tuning = holdoutCount === undefined ? bundles : bundles.slice(0, bundles.length - holdoutCount);
    const holdout =
      holdoutCount !== undefined
        ? bundles.slice(bundles.length - holdoutCount)
        : flags['holdout-bundles'] !== undefined
          ? flags['holdout-bundles'].map((directory) => checkBundle(readBundle(directory)))
          : 'leave-one-out';
    const result = await tune({
      plugin,
      spec: flags.policy,
      given,
      tuning,
      holdout,
      objective,
      reference: parseReference(flags.reference),
      search: flags.search as 'grid' | 'random',
      trials: flags.trials,
      seed: flags.seed,
      levels: flags.levels,
      space: parseSpace(plugin, flags.space ?? []),
    });
    this.log(formatTune(result, objective, new Set(Object.keys(policyFlags))));
    return result;
  }
}

function withoutDefaults(plugin: PolicyPlugin): PolicyPlugin {
  const options = Object.fromEntries(Object.entries(plugin.options).map(([name, { default: _default, ...spec }]) => [name, spec as OptionSpec]));
  return { ...plugin, options };
}

function parseSpace(plugin: PolicyPlugin, pairs: readonly string[]): Record<string, string> {
  const space: Record<string, string> = {};
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new Error(`--space must be name=a,b,c or name=lo..hi, but got '${pair}'.`);
    const option = pair.slice(0, equals).replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
    if (space[option] !== undefined) throw new Error(`--space must be given once per option, but got ${option} twice.`);
    if (!Object.hasOwn(plugin.options, option)) {
      throw new Error(`--space must name an option of ${plugin.name} (${Object.keys(plugin.options).join(', ') || 'it has none'}), but got '${pair.slice(0, equals)}'.`);
    }
    space[option] = pair.slice(equals + 1);
  }
  return space;
}
