import { Flags } from '../vendor/oclif-core.js';
import { FedgearCommand } from '../cli/fedgear-command.js';
import { natsFlags } from '../cli/nats-flags.js';
import { ensureOutputDirectory } from '../cli/output-directory.js';
import { refuseSwitchAfterLastRound, runFlags } from '../cli/run-flags.js';
import { configFromFlags } from '../cli/scenario-flags.js';
import { loadPolicy } from '../policy/load-policy.js';
import { policyOptionsFromFlags } from '../policy/policy-flags.js';
import type { RunConfig } from '../engine/run-config.js';
import { settingDifferences } from '../replay/recorded-settings.js';
import { reserveRunFile } from '../report/run-file-name.js';
import { formatSummary, type RunSummary } from '../report/run-summary.js';

// Clients train elsewhere: the coordinator has no worker threads to size.
const { workers: _workers, ...coordinatorFlags } = runFlags;

/** `fedgear serve`: the coordinator of a federated run whose clients are other processes, over NATS. */
export default class Serve extends FedgearCommand {
  static override summary = 'Coordinate a staged federated run whose clients run elsewhere, over NATS.';

  static override description = `The same run as "fedgear run" — global model, FedAvg, distillation, evaluation, the gear policy and the JSONL recording — but each client is a "fedgear client" process, on this machine or another, reached through a NATS server (request/reply for control, a JetStream object store for the weights). With every client healthy and the same flags, the recording has the same metrics and decisions as "fedgear run".

A round closes when every client has answered, or at --round-timeout once --min-clients have; updates that come later are dropped and counted as late. Each round record lists the clients asked, answered and late. Clients that stop come back by themselves at the next round they are offered. See docs/distributed.md.`;

  static override examples = [
    { description: 'A coordinator for three clients on synthetic data (start them with "fedgear client --client-id 0|1|2"):', command: '<%= config.bin %> <%= command.id %> --dataset synthetic-easy --preset tiny --rounds 5 --policy fixed --at 3' },
    { description: 'Tolerate a lost client: close rounds after 2 minutes with at least 2 answers:', command: '<%= config.bin %> <%= command.id %> --preset small --round-timeout 120 --min-clients 2' },
    { description: 'Continue a coordinator that was killed, with the flags it was started with:', command: '<%= config.bin %> <%= command.id %> --dataset synthetic-easy --preset tiny --rounds 5 --policy fixed --at 3 --resume runs/2026-…-seed0.jsonl' },
    { description: 'A NATS server on another machine, with a token in the environment:', command: 'FEDGEAR_NATS_TOKEN=… <%= config.bin %> <%= command.id %> --nats nats://10.0.0.5:4222 --run lab-1' },
  ];

  static override enableJsonFlag = true;

  static override flags = {
    ...coordinatorFlags,
    ...natsFlags,
    'round-timeout': Flags.integer({ summary: 'Seconds after which a round closes, once --min-clients have answered.', min: 1, default: 600, helpGroup: 'NATS' }),
    'min-clients': Flags.integer({ summary: 'Answers a round needs before it may close at its deadline (default: every client).', min: 1, helpGroup: 'NATS' }),
    resume: Flags.string({ summary: 'Continue the run recorded in this file from its latest checkpoint (give the flags it was started with); clients reconnect by themselves.', helpValue: '<run.jsonl>' }),
  };

  async run(): Promise<RunSummary & { file: string }> {
    const { flags } = await this.parse(Serve);
    if (flags.resume === undefined) ensureOutputDirectory(flags.out, '--out');
    const plugin = await loadPolicy(flags.policy);
    const options = policyOptionsFromFlags(plugin, flags, flags['policy-opt'] ?? []);
    const config = configFromFlags({ ...flags, workers: 0 }, { start: flags.start as 'small' | 'large', objective: flags.objective, policy: { name: plugin.name, spec: flags.policy, options } });
    refuseSwitchAfterLastRound(options['at'], flags.rounds, config);
    const { resumePointOf } = await import('../engine/run-checkpoints.js');
    const resumed = flags.resume === undefined ? undefined : resumePointOf(flags.resume);
    if (resumed !== undefined) refuseOtherSettings(flags.resume!, resumed.header.config, config);
    const file = flags.resume ?? reserveRunFile(flags.out, config);
    const [{ connectCoordinator }, { followRun }] = await Promise.all([import('../transport/nats/connect-coordinator.js'), import('../cli/follow-run.js')]);
    const log = (line: string) => this.logToStderr(line);
    const rules = { roundTimeout: flags['round-timeout'], minClients: flags['min-clients'] ?? config.clients };
    const coordinator = await connectCoordinator({ nats: flags.nats, runId: flags.run, credentialsFile: flags['nats-creds'], rules }, log);
    let summary: RunSummary;
    try {
      const run = { config, plugin, outFile: file, dataDir: flags['data-dir'], keepCheckpoints: true, startClients: coordinator.startClients };
      const data = resumed?.header.data;
      const recordedData = data === undefined ? {} : { recordedData: { file, data, remedy: 'Resume it with the data it was recorded with (--data-dir or FEDGEAR_DATA_DIR).' } };
      summary = await followRun(resumed === undefined ? run : { ...run, resume: resumed.resume, ...recordedData }, log);
      await coordinator.announceEnd('completed');
    } finally {
      await coordinator.close();
    }
    this.log(formatSummary(summary));
    this.log(`recorded to ${file}`);
    return { ...summary, file };
  }
}

/** A resumed run must be continued with the settings it was recorded with, its policy and start gear included. */
function refuseOtherSettings(file: string, recorded: Readonly<Record<string, unknown>>, config: RunConfig): void {
  const differences = settingDifferences(recorded, config);
  for (const field of ['start', 'policy'] as const) {
    const was = JSON.stringify(recorded[field]);
    const now = JSON.stringify(config[field]);
    if (was !== now) differences.push(`${field} is ${now} (recorded ${was})`);
  }
  if (differences.length > 0) {
    throw new Error(`--resume ${file} must be given the flags it was recorded with, but ${differences.join(', ')}.`);
  }
}
