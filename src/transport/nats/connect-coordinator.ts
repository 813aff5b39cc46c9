import type { ClientExecutor } from '../../engine/client-executor.js';
import type { RunData } from '../../engine/load-run-data.js';
import { RemoteClients, type RoundRules } from '../../engine/remote-clients.js';
import type { RunHeader } from '../../metrics/run-file-schema.js';
import { connectNats } from './connect-nats.js';
import { NatsCoordinatorLink } from './nats-coordinator-link.js';
import { natsCredentials } from './nats-credentials.js';
import { runSubjects } from './run-subjects.js';

/** Where a distributed run's clients are and when its rounds close. */
export interface CoordinatorOptions {
  /** NATS server URL. */
  readonly nats: string;
  readonly runId: string;
  readonly credentialsFile?: string | undefined;
  readonly rules: RoundRules;
}

/** A coordinator's NATS side: hand `startClients` to `stagedRun`, then end or close. */
export interface NatsCoordinator {
  /** Serves the header and returns the executor that reaches the clients over NATS. */
  startClients(run: RunData & { readonly header: RunHeader }): Promise<ClientExecutor>;
  /** Tells the clients the run completed and deletes its stored weights. */
  announceEnd(status: string): Promise<void>;
  /** Closes the connection (clients keep waiting for a coordinator to resume the run). */
  close(): Promise<void>;
}

/**
 * Connects a coordinator to NATS. The federation core is `stagedRun`'s; this only supplies
 * {@link RemoteClients} over a {@link NatsCoordinatorLink} as its executor.
 *
 * @example
 * const coordinator = await connectCoordinator({ nats, runId: 'lab', rules }, console.error);
 * stagedRun({ config, plugin, outFile, startClients: (run) => coordinator.startClients(run) });
 */
export async function connectCoordinator(options: CoordinatorOptions, log: (line: string) => void): Promise<NatsCoordinator> {
  const subjects = runSubjects(options.runId);
  const credentials = natsCredentials(process.env, options.credentialsFile);
  const nc = await connectNats(options.nats, credentials, `fedgear serve ${options.runId}`);
  let link: NatsCoordinatorLink | undefined;
  return {
    async startClients({ header, data, ladder }) {
      link = await NatsCoordinatorLink.start(nc, subjects, header);
      const last = data.clients.length - 1;
      log(`serve: run ${options.runId} on ${options.nats}: waiting for ${data.clients.length} clients (fedgear client --run ${options.runId} --client-id 0..${last})`);
      const shardSizes = data.clients.map((shard) => shard.count);
      return new RemoteClients(link, { header, ladder, shardSizes }, options.rules, (line) => log(`serve: ${line}`));
    },
    async announceEnd(status) {
      await link?.announceEnd(status);
    },
    async close() {
      await nc.close();
    },
  };
}
