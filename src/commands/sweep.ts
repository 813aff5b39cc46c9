import { basename } from 'node:path';
import { Args, Flags } from '../vendor/oclif-core.js';
import { FedgearCommand } from '../cli/fedgear-command.js';
import { natsFlags } from '../cli/nats-flags.js';
import { ensureOutputDirectory } from '../cli/output-directory.js';
import { stopOnSignals } from '../cli/stop-on-signals.js';
import { configFromFlags, scenarioFlags } from '../cli/scenario-flags.js';
import { TRANSFER_KINDS, type TransferKind } from '../engine/run-config.js';
import { progressLine } from '../report/progress-line.js';

/** `fedgear sweep`: record one scenario as a bundle for replay, scoring and tuning. */
export default class Sweep extends FedgearCommand {
  static override summary = 'Record a scenario once as a bundle: the small trajectory, the 12-12 baseline and a branch per switch point.';

  static override description = `Trains the small model for all rounds (saving its weights at every switch point), the large model for all rounds (12-12), then, for each switch point k, the run that grows the model after round k, resumed from the saved small state. The result is a directory of JSONL runs plus manifest.json (docs/recorded-runs.md) that "fedgear replay", "fedgear tune" and "fedgear report" read in milliseconds.

Ctrl-C (or SIGTERM) lets the job in progress finish its round and write end: stopped, then the sweep exits saying how to continue it (a second Ctrl-C stops at once). Every job is resumable: run the same command again after a stop or a kill and it continues where it stopped (finished runs are skipped, trajectories resume from their latest checkpoint). A rerun with flags that change results (seed, learning rate, sizes…) is refused, naming each differing field; --force-restart records the bundle again from scratch.

With --nats, the jobs go to a JetStream work queue on that NATS server instead, and "fedgear worker" processes on any machines run them (the small trajectory and 12-12 at once, the branches once the small trajectory is done); this process writes the same bundle from what they send back, skips jobs already in the directory, and gives a job whose worker went silent for --ack-wait seconds to another. Ctrl-C withdraws the jobs no worker has taken yet and waits for the others. See docs/distributed.md.`;

  static override examples = [
    { description: 'Branches every 5 rounds on the small preset:', command: '<%= config.bin %> <%= command.id %> bundles/cifar10-iid --preset small --every 5' },
    { description: 'Explicit switch points, non-IID clients:', command: '<%= config.bin %> <%= command.id %> bundles/cifar10-dir05 --switch-points 5,10,20 --partition dirichlet --alpha 0.5' },
    { description: 'Compare the three transfers at round 4 as well:', command: '<%= config.bin %> <%= command.id %> bundles/cifar10-iid --rounds 20 --switch-points 2,4,6,8 --compare-transfers kd,scratch --compare-at 4' },
    { description: 'A synthetic bundle where the switch round matters, in a few minutes:', command: '<%= config.bin %> <%= command.id %> bundles/synthetic --dataset synthetic --preset tiny --switch-points 5,10,15,20' },
    {
      description: 'The same across machines: jobs go to a NATS work queue; start "fedgear worker --run synth" on each machine:',
      command: '<%= config.bin %> <%= command.id %> bundles/synthetic --dataset synthetic --preset tiny --switch-points 5,10,15,20 --nats nats://127.0.0.1:4222 --run synth',
    },
  ];

  static override args = {
    directory: Args.string({ description: 'Bundle directory to create or continue.', required: true }),
  };

  static override flags = {
    ...scenarioFlags,
    every: Flags.integer({ summary: 'A branch every N rounds (N, 2N, … below the last round).', min: 1, exclusive: ['switch-points'] }),
    'switch-points': Flags.string({ summary: 'Comma-separated rounds after which branches switch, e.g. 5,10,20.', exclusive: ['every'] }),
    'compare-transfers': Flags.string({
      summary: 'Also record, at --compare-at, a branch per listed transfer (comma-separated, other than --transfer), to compare how the model grows.',
      dependsOn: ['compare-at'],
    }),
    'compare-at': Flags.integer({ summary: 'The switch point of the --compare-transfers branches (one of the switch points).', min: 1, dependsOn: ['compare-transfers'] }),
    name: Flags.string({ summary: 'Scenario name in the manifest (default: the directory name).' }),
    'force-restart': Flags.boolean({
      summary: 'Delete the runs, checkpoints and manifest of an earlier sweep in the directory and record it again.',
      description: 'Without it, continuing a directory recorded with settings that change results (seed, learning rate, sizes…) is refused, naming each differing field.',
    }),
    // No default and no variable: a sweep runs its jobs here unless told otherwise.
    nats: Flags.string({ summary: 'Hand the jobs to "fedgear worker" processes through this NATS server (nats:// or tls://) instead of running them here.', helpGroup: 'NATS' }),
    run: natsFlags.run,
    'nats-creds': natsFlags['nats-creds'],
    'ack-wait': Flags.integer({
      summary: 'Seconds a worker may stay silent on a job (it reports every quarter of this while it works) before the job goes to another worker. Default: 60.',
      min: 1,
      dependsOn: ['nats'],
      helpGroup: 'NATS',
    }),
  };

  static override enableJsonFlag = true;

  async run(): Promise<{ directory: string; branches: number } | { directory: string; stopped: string }> {
    const { args, flags } = await this.parse(Sweep);
    ensureOutputDirectory(args.directory, 'the bundle directory');
    const config = configFromFlags(flags, { start: 'small', policy: { name: 'never', options: {} } });
    const points = switchPoints(flags.every, flags['switch-points'], config.rounds);
    const live = process.stderr.isTTY === true;
    const log = (line: string) => (live ? process.stderr.write(`\r\x1b[2K${line}\n`) : this.logToStderr(line));
    // Imported here, not at the top: TensorFlow.js loads only once there is something to train.
    const [{ sweep }, { SweepStopped }] = await Promise.all([import('../sweep/sweep.js'), import('../sweep/sweep-stopped.js')]);
    const command = ['fedgear', 'sweep', ...this.argv.map(shellWord)].join(' ');
    const coordinator =
      flags.nats === undefined
        ? undefined
        : await (await import('../transport/nats/sweep-coordinator.js')).connectSweepCoordinator(
            { nats: flags.nats, runId: flags.run, credentialsFile: flags['nats-creds'], ackWaitSeconds: flags['ack-wait'] ?? 60, directory: args.directory, config, switchPoints: points },
            log,
          );
    let last: { job: string; round: number } | undefined;
    // Ctrl-C / SIGTERM: the job in progress finishes its round and writes end: stopped; a second one stops it at once.
    const now = new AbortController();
    const stop = stopOnSignals({
      graceful: (signal) => {
        if (coordinator === undefined) {
          this.logToStderr(`${live ? '\n' : ''}${signal}: stopping after the round in progress (again to stop at once)`);
          return;
        }
        log(`${signal}: withdrawing the jobs no worker has taken, waiting for the others (again to stop at once)`);
        void coordinator.withdraw(signal);
      },
      immediately: (signal) => now.abort(signal),
    });
    let manifest;
    let status = 'failed';
    try {
      manifest = await sweep({
        config,
        directory: args.directory,
        switchPoints: points,
        ...(flags['compare-transfers'] === undefined ? {} : { alternatives: { at: flags['compare-at']!, transfers: parseTransfers(flags['compare-transfers']) } }),
        name: flags.name ?? basename(args.directory),
        forceRestart: flags['force-restart'],
        command,
        ...(flags['data-dir'] === undefined ? {} : { dataDir: flags['data-dir'] }),
        onNote: log,
        onProgress: ({ file, by, done, total }) => log(`sweep: ${done}/${total} jobs done (${file} by ${by})`),
        ...(coordinator === undefined ? {} : { runJob: coordinator.runJob }),
        onEvent: (job, event) => {
          if (event.kind !== 'round') return;
          last = { job, round: event.record.round };
          const line = `${job.padEnd(10)} ${progressLine(event.record, config.rounds)}`;
          if (live) process.stderr.write(`\r\x1b[2K${line}`);
          else if (event.record.round === config.rounds || event.record.round % 5 === 0) this.logToStderr(line);
        },
        stop: stop.signal,
        stopNow: now.signal,
      });
      status = 'completed';
    } catch (error) {
      if (!(error instanceof SweepStopped)) throw error;
      status = 'stopped';
      const where = last === undefined ? '' : ` (${last.job}.jsonl after round ${last.round}, end: stopped)`;
      this.logToStderr(`${live ? '\n' : ''}sweep stopped${where}: run the same command again to continue it: ${command}`);
      process.exitCode = stop.exitCode ?? 1;
      return { directory: args.directory, stopped: error.reason };
    } finally {
      stop.dispose();
      // A stopped sweep leaves its workers waiting for the command that continues it.
      if (status !== 'stopped') await coordinator?.end(status);
      await coordinator?.close();
    }
    if (live) process.stderr.write('\n');
    const extra = manifest.alternatives === undefined ? '' : ` and ${manifest.alternatives.length} alternative transfers`;
    this.log(`bundle ${manifest.name}: small, large and ${manifest.branches.length} branches (${points.join(', ')})${extra} in ${args.directory}`);
    return { directory: args.directory, branches: manifest.branches.length };
  }
}

/** An argument as a POSIX shell reads it back: as is when plain, else single-quoted. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

function parseTransfers(list: string): TransferKind[] {
  return list.split(',').map((item) => {
    const transfer = item.trim();
    if (!(TRANSFER_KINDS as readonly string[]).includes(transfer)) {
      throw new Error(`--compare-transfers must list transfers among ${TRANSFER_KINDS.join(', ')}, but got '${transfer}' in '${list}'.`);
    }
    return transfer as TransferKind;
  });
}

function switchPoints(every: number | undefined, list: string | undefined, rounds: number): number[] {
  if (list !== undefined) {
    return list.split(',').map((item) => {
      const value = Number(item.trim());
      if (!Number.isInteger(value)) throw new Error(`--switch-points must be comma-separated integers, but got '${list}'.`);
      return value;
    });
  }
  const step = every ?? Math.max(1, Math.floor(rounds / 8));
  return Array.from({ length: Math.floor((rounds - 1) / step) }, (_, i) => (i + 1) * step);
}
