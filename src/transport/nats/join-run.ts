import type { BackendChoice } from '../../backend/backend-choice.js';
import { runRemoteClient } from '../../engine/remote-client.js';
import { connectNats } from './connect-nats.js';
import { NatsClientLink } from './nats-client-link.js';
import { natsCredentials } from './nats-credentials.js';
import type { NatsRunAccess } from './nats-run-access.js';
import { runSubjects } from './run-subjects.js';

/** Who a client is and where its run is. */
export interface JoinOptions extends NatsRunAccess {
  readonly client: number;
  readonly backend: BackendChoice;
}

/**
 * Runs one client of a distributed run over NATS until the coordinator announces the run's end;
 * resolves with the end status.
 *
 * @example
 * await joinRun({ nats: 'nats://127.0.0.1:4222', runId: 'lab', client: 0, backend: 'auto' }, console.error);
 */
export async function joinRun(options: JoinOptions, log: (line: string) => void): Promise<string> {
  const subjects = runSubjects(options.runId);
  const credentials = natsCredentials(process.env, options.credentialsFile);
  const nc = await connectNats(options.nats, credentials, `fedgear client ${options.client} ${options.runId}`);
  try {
    return await runRemoteClient(new NatsClientLink(nc, subjects), { client: options.client, dataDir: options.dataDir, backend: options.backend, log });
  } finally {
    await nc.close();
  }
}
