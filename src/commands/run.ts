import { Flags } from '../vendor/oclif-core.js';
import { FedgearCommand } from '../cli/fedgear-command.js';
import { followRun } from '../cli/follow-run.js';
import { ensureOutputDirectory } from '../cli/output-directory.js';
import { refuseSwitchAfterLastRound, runFlags } from '../cli/run-flags.js';
import { configFromFlags } from '../cli/scenario-flags.js';
import type { ResumePoint } from '../engine/federation.js';
import type { RecordedData } from '../engine/recorded-data.js';
import { runToResume } from '../engine/resume-run.js';
import type { RunConfig } from '../engine/run-config.js';
import { loadPolicy } from '../policy/load-policy.js';
import type { PolicyPlugin } from '../policy/plugin.js';
import { policyOptionsFromFlags } from '../policy/policy-flags.js';
import { reserveRunFile } from '../report/run-file-name.js';
import { formatSummary, type RunSummary } from '../report/run-summary.js';

/** `fedgear run`: one staged federated-learning run, recorded to JSONL. */
export default class Run extends FedgearCommand {
  static override summary = 'Train a staged federated model and record every round.';

  static override description = `Federated learning (FedAvg) over simulated clients, starting with the small model and growing it when the gear policy says so. Every round's validation/test accuracy, bytes and seconds are streamed to a JSONL file (flushed each round: a killed run keeps every finished round).

Data: CIFAR-10 in the official binary layout (--data-dir, else $FEDGEAR_DATA_DIR, else the per-user cache filled by "fedgear data fetch cifar10"), or a synthetic set generated offline.
Policies: fixed (--at N or --fraction F), never (small model only), plateau, budget, or your own plugin (--policy ./my-policy.mjs --policy-opt key=value). "fedgear policies" lists them and their options.`;

  static override examples = [
    { description: "The paper's Gear 40 on CIFAR-10 (switch after round 40):", command: '<%= config.bin %> <%= command.id %> --preset paper --policy fixed --at 40' },
    { description: 'A quick demo on synthetic data, switching at round 5:', command: '<%= config.bin %> <%= command.id %> --dataset synthetic --preset tiny --policy fixed --at 5' },
    { description: 'Let a plateau detector decide when to grow:', command: '<%= config.bin %> <%= command.id %> --preset small --policy plateau --patience 5' },
    { description: 'Let a learning-curve forecast decide, for the best accuracy within 10 minutes:', command: '<%= config.bin %> <%= command.id %> --preset small --policy forecast --objective accuracy-at-seconds:600' },
    { description: 'Plain 12-layer federated learning (12-12) and small-only (12-6):', command: '<%= config.bin %> <%= command.id %> --start large\n<%= config.bin %> <%= command.id %> --policy never' },
    { description: 'Non-IID clients and your own policy plugin:', command: '<%= config.bin %> <%= command.id %> --partition dirichlet --alpha 0.5 --policy ./my-policy.mjs --policy-opt threshold=0.6' },
  ];

  static override enableJsonFlag = true;

  static override flags = {
    ...runFlags,
    resume: Flags.string({
      helpGroup: 'OUTPUT',
      summary: 'Continue a stopped, failed or killed run file from its last checkpointed round, as if never stopped, with the settings of its header (only --data-dir and --workers may be given too).',
      // Everything else comes from the file's header.
      exclusive: Object.keys(runFlags).filter((flag) => flag !== 'data-dir' && flag !== 'workers'),
    }),
  };

  async run(): Promise<RunSummary & { file: string }> {
    const { flags } = await this.parse(Run);
    let started: { config: RunConfig; plugin: PolicyPlugin; file: string; resume?: ResumePoint; recordedData?: RecordedData };
    if (flags.resume === undefined) {
      ensureOutputDirectory(flags.out, '--out');
      const plugin = await loadPolicy(flags.policy);
      const options = policyOptionsFromFlags(plugin, flags, flags['policy-opt'] ?? []);
      const config = configFromFlags(flags, { start: flags.start as 'small' | 'large', objective: flags.objective, policy: { name: plugin.name, spec: flags.policy, options } });
      refuseSwitchAfterLastRound(options['at'], flags.rounds, config);
      started = { config, plugin, file: reserveRunFile(flags.out, config) };
    } else {
      const { config, plugin, resume, recordedData } = await runToResume(flags.resume);
      started = { config: flags.workers === undefined ? config : { ...config, workers: flags.workers }, plugin, file: flags.resume, resume, ...(recordedData === undefined ? {} : { recordedData }) };
      this.logToStderr(`fedgear: ${flags.resume} resumes after round ${resume.rounds.at(-1)!.round}`);
    }
    const { config, plugin, file, resume, recordedData } = started;
    const summary = await followRun(
      // Checkpoints every round: a stopped or killed run continues from its last one (--resume).
      { config, plugin, outFile: file, dataDir: flags['data-dir'], keepCheckpoints: true, ...(resume === undefined ? {} : { resume }), ...(recordedData === undefined ? {} : { recordedData }) },
      (line) => this.logToStderr(line),
    );
    this.log(formatSummary(summary));
    this.log(`recorded to ${file}`);
    return { ...summary, file };
  }
}
