import { Flags } from '../vendor/oclif-core.js';
import { BACKEND_CHOICES, type BackendChoice } from '../backend/backend-choice.js';
import { FedgearCommand } from '../cli/fedgear-command.js';
import { natsFlags } from '../cli/nats-flags.js';

/** `fedgear client`: one federated client of a run coordinated by `fedgear serve`. */
export default class Client extends FedgearCommand {
  static override summary = 'Train one client of a distributed run (see "fedgear serve").';

  static override description = `Connects to the NATS server, asks the run's coordinator for the run header, loads this client's shard exactly as the coordinator partitions it (CIFAR-10 from --data-dir, or the synthetic set), then trains every round's job it is offered and sends back its update, logging each round. It waits for the coordinator when there is none yet (or while one resumes), and exits when the run completes.`;

  static override examples = [
    { description: 'Client 0 of the default run on a local NATS server:', command: '<%= config.bin %> <%= command.id %> --client-id 0' },
    { description: 'On another machine, with a credentials file:', command: '<%= config.bin %> <%= command.id %> --nats nats://10.0.0.5:4222 --nats-creds ~/.config/fedgear/client.creds --run lab-1 --client-id 2' },
  ];

  static override flags = {
    ...natsFlags,
    'client-id': Flags.integer({ summary: "This client's shard: 0 to the run's clients minus 1.", required: true, min: 0 }),
    // The variable is read where the directory is resolved, so its errors name it rather than --data-dir.
    'data-dir': Flags.string({ summary: 'CIFAR-10 directory (cifar-10-batches-bin), for runs on CIFAR-10; default: $FEDGEAR_DATA_DIR, else the per-user cache.' }),
    backend: Flags.string({ summary: 'tfjs backend; auto prefers tfjs-node, then wasm.', options: [...BACKEND_CHOICES], default: 'auto' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Client);
    const { joinRun } = await import('../transport/nats/join-run.js');
    await joinRun(
      { nats: flags.nats, runId: flags.run, credentialsFile: flags['nats-creds'], client: flags['client-id'], dataDir: flags['data-dir'], backend: flags.backend as BackendChoice },
      (line) => this.logToStderr(line),
    );
  }
}
