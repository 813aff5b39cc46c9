/**
 * What a process needs to take part in a run over NATS: the server, the run's id, the
 * credentials file (when not from the environment) and where its data lives.
 *
 * @example
 * const access: NatsRunAccess = { nats: 'nats://127.0.0.1:4222', runId: 'lab-1' };
 */
export interface NatsRunAccess {
  readonly nats: string;
  readonly runId: string;
  readonly credentialsFile?: string | undefined;
  readonly dataDir?: string | undefined;
}
