import { rmSync, statSync } from 'node:fs';
import { Flags } from '@oclif/core';
import { FedgearCommand } from '../cli/fedgear-command.js';
import { ensureOutputDirectory } from '../cli/output-directory.js';
import { configFromFlags, scenarioFlags } from '../cli/scenario-flags.js';
import type { RoundRecord } from '../metrics/round-record.js';
import type { SwitchEvent } from '../metrics/run-file-schema.js';
import { loadPolicy } from '../policy/load-policy.js';
import { policyFlags, policyOptionsFromFlags } from '../policy/policy-flags.js';
import { reserveRunFile } from '../report/run-file-name.js';
import { lateShift } from '../report/late-shift.js';
import { progressLine } from '../report/progress-line.js';
import { formatSummary, summarizeRun, type RunSummary } from '../report/run-summary.js';

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
    ...scenarioFlags,
    start: Flags.string({ helpGroup: 'SCENARIO', summary: 'Gear to start in: large gives plain large-model FL (12-12).', options: ['small', 'large'], default: 'small' }),
    out: Flags.string({ helpGroup: 'OUTPUT', summary: 'Output directory for the JSONL recording.', default: 'runs' }),
    policy: Flags.string({ helpGroup: 'POLICY', summary: 'Gear policy: a built-in name, any:a,b / all:a,b, a .js/.mjs file, or a package.', default: 'plateau' }),
    objective: Flags.string({
      helpGroup: 'POLICY',
      summary: 'What the run is judged by, told to the policy: max-accuracy (by the last planned round), time-to:F, mb-to:F (seconds/MB to F x the large model\'s accuracy), accuracy-at-mb:M or accuracy-at-seconds:S.',
      default: 'max-accuracy',
    }),
    ...policyFlags,
  };

  async run(): Promise<RunSummary & { file: string }> {
    const { flags } = await this.parse(Run);
    ensureOutputDirectory(flags.out, '--out');
    const plugin = await loadPolicy(flags.policy);
    const options = policyOptionsFromFlags(plugin, flags, flags['policy-opt'] ?? []);
    const config = configFromFlags(flags, { start: flags.start as 'small' | 'large', objective: flags.objective, policy: { name: plugin.name, spec: flags.policy, options } });
    const file = reserveRunFile(flags.out, config);
    this.logToStderr(`fedgear: recording to ${file}, every round as it ends; replay it with another policy: fedgear replay ${file} --policy <policy> [options]`);
    const rounds: RoundRecord[] = [];
    const switches: SwitchEvent[] = [];
    const live = process.stderr.isTTY === true;
    // Imported here, not at the top: TensorFlow.js loads only once there is something to train.
    const { stagedRun } = await import('../engine/staged-run.js');
    await new Promise<void>((resolve, reject) => {
      stagedRun({ config, plugin, outFile: file, dataDir: flags['data-dir'] }).subscribe({
        next: (event) => {
          if (event.kind === 'start') {
            const given = flags.policy === plugin.name ? '' : ` (${flags.policy})`;
            this.logToStderr(`fedgear: backend ${event.header.backend}, ${event.header.ladder.map((g) => `${g.name} ${g.parameters} params`).join(' -> ')}, policy ${plugin.name}${given}`);
          } else if (event.kind === 'round') {
            rounds.push(event.record);
            const line = progressLine(event.record, config.rounds);
            if (live) process.stderr.write(`\r\x1b[2K${line}`);
            else this.logToStderr(line);
          } else if (event.kind === 'decision' && event.action === 'shift' && event.round >= config.rounds) {
            this.logToStderr(`${live ? '\n' : ''}${lateShift(event.round)} (${event.reason})`);
          } else if (event.kind === 'switch') {
            switches.push(event);
            const inherited = event.inherited === undefined ? '' : `; val ${(event.inherited.accuracy * 100).toFixed(1)}% before training`;
            this.logToStderr(`${live ? '\n' : ''}switch after round ${event.afterRound}: gear ${event.from} -> ${event.to} (${config.transfer}${inherited}): ${event.reason}`);
          }
        },
        error: reject,
        complete: resolve,
      });
    })
      .catch((error: unknown) => {
        // Failed before its header (e.g. no data): leave no empty file behind to trip up `report runs/*`.
        if (statSync(file, { throwIfNoEntry: false })?.size === 0) rmSync(file);
        throw error;
      })
      .finally(() => {
        if (live) process.stderr.write('\n');
      });
    const summary = summarizeRun(rounds, switches);
    this.log(formatSummary(summary));
    this.log(`recorded to ${file}`);
    return { ...summary, file };
  }
}
