import { hostname } from 'node:os';
import { Flags } from '../vendor/oclif-core.js';
import { FedgearCommand } from '../cli/fedgear-command.js';
import { natsFlags } from '../cli/nats-flags.js';

/** `fedgear worker`: runs the jobs of a sweep recorded with `fedgear sweep --nats`. */
export default class Worker extends FedgearCommand {
  static override summary = 'Run jobs of a sweep recorded across machines (see "fedgear sweep --nats").';

  static override description = `Connects to the NATS server and takes the jobs of the sweep coordinated by "fedgear sweep --nats" from its JetStream work queue, one at a time: the small trajectory, the 12-12 baseline, one branch per switch point. Each job runs exactly as in a local sweep, in a scratch directory; the run file and checkpoints it writes go back to the coordinator through the server's object store, and the coordinator writes them into the bundle. Start as many workers as you have machines (or cores to spare): a worker that dies loses its job to another after the sweep's --ack-wait, which continues a trajectory from the last checkpoint the first one saved. It waits for a sweep when there is none yet, logs each job it takes and each round it trains, and exits when the sweep ends (with status 1 when it failed).`;

  static override examples = [
    { description: 'A worker for the default run on a local NATS server:', command: '<%= config.bin %> <%= command.id %>' },
    {
      description: 'On another machine, with a token in the environment and CIFAR-10 in a directory of its own:',
      command: 'FEDGEAR_NATS_TOKEN=… <%= config.bin %> <%= command.id %> --nats nats://10.0.0.5:4222 --run lab-1 --data-dir ~/data/cifar-10-batches-bin',
    },
  ];

  static override flags = {
    ...natsFlags,
    'worker-id': Flags.string({ summary: "This worker's name in logs and in the coordinator's progress (default: host name and process id)." }),
    // The variable is read where the directory is resolved, so its errors name it rather than --data-dir.
    'data-dir': Flags.string({ summary: 'CIFAR-10 directory (cifar-10-batches-bin), for sweeps on CIFAR-10; default: $FEDGEAR_DATA_DIR, else the per-user cache.' }),
    workers: Flags.integer({ summary: 'Threads training clients in parallel within a job (0: main thread). Default: as "fedgear run" picks them on this machine.', min: 0 }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Worker);
    const worker = flags['worker-id'] ?? `${hostname()}-${process.pid}`;
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(worker)) throw new Error(`--worker-id must be 1 to 64 letters, digits, '.', '-' or '_', but got ${JSON.stringify(worker)}.`);
    const { workSweepJobs } = await import('../transport/nats/sweep-worker.js');
    const status = await workSweepJobs(
      { nats: flags.nats, runId: flags.run, credentialsFile: flags['nats-creds'], worker, dataDir: flags['data-dir'], threads: flags.workers },
      (line) => this.logToStderr(line),
    );
    // A sweep that failed fails its workers too, so that scripts running them notice.
    if (status !== 'completed') process.exitCode = 1;
  }
}
