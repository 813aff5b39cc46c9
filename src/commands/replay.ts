import { statSync } from 'node:fs';
import { Args, Flags } from '../vendor/oclif-core.js';
import { FedgearCommand } from '../cli/fedgear-command.js';
import { readRun } from '../metrics/read-run.js';
import { contextFromHeader } from '../policy/context-from-header.js';
import { loadPolicy } from '../policy/load-policy.js';
import { policyFlags, policyOptionsFromFlags } from '../policy/policy-flags.js';
import { readBundle } from '../replay/bundle.js';
import { checkBundle } from '../replay/check-bundle.js';
import { compareOnBundle, type BundleComparison } from '../replay/compare.js';
import { formatComparison } from '../replay/format-comparison.js';
import { formatRegret, parseObjective } from '../replay/objective.js';
import { formatRunFileReplay } from '../replay/format-run-file-replay.js';
import { parseBudgets, parseReference, replayFlags } from '../replay/replay-flags.js';
import { replayRunFile, type RunFileReplay } from '../replay/replay-run-file.js';

/** `fedgear replay`: judge a gear policy on recorded bundles, without training. */
export default class Replay extends FedgearCommand {
  static override summary = 'Judge a gear policy on recorded bundles in milliseconds, against every fixed switch and the oracle.';

  static override description = `A bundle (recorded by "fedgear sweep") holds one scenario: the small model trained alone, the large model trained alone (12-12), and one branch per recorded switch round. The policy is replayed on the small run through the same pipeline live runs use; the run it would have produced is the small run up to its first shift, then the branch that switches there (or the nearest later one, which the table notes).

Every run is scored on test accuracy: max accuracy, seconds and MB to first reach 60/70/80/90% of the reference (the 12-12 run's max test accuracy unless --reference is given), and accuracy within a traffic budget. The oracle is the best recorded switch (or never) in hindsight for --objective; regret is the policy's objective minus the oracle's, in the objective's unit.

A run file (.jsonl: a fedgear run, or another trainer's run recorded by "fedgear decide --record" or made by "fedgear import") is replayed through the same pipeline, its rounds as recorded: the policy's decisions are set beside the recorded ones, with the first shift each way and the first round where they differ. Replayed with the run's own policy and options, the decisions are the recorded ones.

Policy options are given exactly as on "fedgear run". Give the bundles and run files before any repeatable flag such as --policy-opt.`;

  static override examples = [
    { description: 'A plateau detector with patience 5 on one bundle:', command: '<%= config.bin %> <%= command.id %> bundles/cifar10-iid --policy plateau --patience 5' },
    { description: 'Judge by traffic to 80% of the 12-12 accuracy, on several bundles:', command: '<%= config.bin %> <%= command.id %> bundles/* --policy budget --budget-mb 300 --objective mb-to:0.8' },
    { description: 'Replay a run another trainer recorded through fedgear decide, with a shorter patience:', command: '<%= config.bin %> <%= command.id %> runs/torch.jsonl --policy plateau --patience 3' },
    { description: 'Best accuracy within 300 MB, against an absolute reference, as JSON:', command: '<%= config.bin %> <%= command.id %> bundles/a --policy fixed --at 8 --objective accuracy-at-mb:300 --reference 0.7 --json' },
  ];

  static override strict = false;

  static override args = {
    bundle: Args.string({ description: 'Bundle directories (each holding manifest.json) and run files (.jsonl); one or more.', required: true }),
  };

  static override enableJsonFlag = true;

  static override flags = {
    ...replayFlags,
    'accuracy-at-mb': Flags.string({
      summary: 'Traffic budgets (MB, comma-separated) to show the best accuracy within. Default: the budget of an accuracy-at-mb objective, else the small-only run\'s traffic.',
    }),
    ...policyFlags,
  };

  async run(): Promise<{ objective: string; policy: string; bundles: BundleComparison[]; runs: RunFileReplay[]; meanRegret: number | null }> {
    const { argv, flags } = await this.parse(Replay);
    const plugin = await loadPolicy(flags.policy);
    const options = policyOptionsFromFlags(plugin, flags, flags['policy-opt'] ?? []);
    const objective = parseObjective(flags.objective);
    const reference = parseReference(flags.reference);
    const budgetsMb = flags['accuracy-at-mb'] === undefined ? undefined : parseBudgets(flags['accuracy-at-mb']);
    const bundles: BundleComparison[] = [];
    const runs: RunFileReplay[] = [];
    for (const [index, input] of (argv as string[]).entries()) {
      const gap = index > 0 ? '\n' : '';
      if (isFile(input)) {
        const run = readRun(input);
        const replay = await replayRunFile(run, plugin.create(options, contextFromHeader(run.header, objective.goal)), plugin.name);
        runs.push(replay);
        this.log(`${gap}${formatRunFileReplay(replay, `${plugin.name} ${JSON.stringify(options)}`)}`);
        continue;
      }
      const bundle = checkBundle(readBundle(input));
      const policy = plugin.create(options, contextFromHeader(bundle.small.header, objective.goal));
      const comparison = await compareOnBundle(bundle, policy, plugin.name, { objective, reference, ...(budgetsMb === undefined ? {} : { budgetsMb }) });
      bundles.push(comparison);
      this.log(`${gap}${formatComparison(comparison, objective)}`);
    }
    const regrets = bundles.map((comparison) => comparison.policy.regret!);
    const meanRegret = regrets.length === 0 ? Number.NaN : regrets.reduce((sum, value) => sum + value, 0) / regrets.length;
    if (bundles.length > 1) this.log(`\n${plugin.name}: mean regret ${formatRegret(objective, meanRegret)} over ${bundles.length} bundles (${objective.spec})`);
    // JSON has no Infinity: a regret against a target the policy never reached is null.
    return { objective: objective.spec, policy: plugin.name, bundles, runs, meanRegret: Number.isFinite(meanRegret) ? meanRegret : null };
  }
}

function isFile(input: string): boolean {
  try {
    return statSync(input).isFile();
  } catch {
    // Not there at all: let the bundle reader say what it expected.
    return false;
  }
}
