import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AckPolicy, jetstream, jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { nanos, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import type { RunConfig } from '../../engine/run-config.js';
import { parseMessage } from '../../engine/remote-protocol.js';
import { acceptJobFiles } from '../../sweep/accept-job-files.js';
import { jobInputs, jobName, type SweepJob } from '../../sweep/sweep-job.js';
import { SweepStopped } from '../../sweep/sweep-stopped.js';
import { jobResult, jobTaken, type JobResult, type JobResultReply, type SweepJobMessage } from '../../sweep/sweep-messages.js';
import type { JobDone, JobRunner } from '../../sweep/sweep.js';
import { connectNats } from './connect-nats.js';
import { natsCredentials } from './nats-credentials.js';
import { runSubjects, type RunSubjects } from './run-subjects.js';
import { WeightObjects } from './weight-objects.js';

/** Where a sweep's workers are, and what it records. */
export interface SweepCoordinatorOptions {
  /** NATS server URL. */
  readonly nats: string;
  readonly runId: string;
  readonly credentialsFile?: string | undefined;
  /** Seconds a worker may go silent on a job before the job goes to another worker. */
  readonly ackWaitSeconds: number;
  /** The bundle directory: job inputs come from it, results go into it. */
  readonly directory: string;
  readonly config: RunConfig;
  readonly switchPoints: readonly number[];
}

/** A sweep's NATS side: pass `runJob` to `sweep`, then `end` and `close`. */
export interface SweepCoordinator {
  readonly runJob: JobRunner;
  /**
   * Takes back the jobs no worker has taken yet (their `runJob` rejects with `SweepStopped`);
   * those taken are still awaited. For a graceful stop: workers stay, waiting for the sweep to
   * be run again.
   */
  withdraw(reason: string): Promise<void>;
  /** Tells the workers the sweep ended, and deletes its queue and stored files. */
  end(status: string): Promise<void>;
  close(): Promise<void>;
}

interface Pending {
  readonly job: SweepJob;
  readonly message: SweepJobMessage;
  resolve(done: JobDone): void;
  reject(error: Error): void;
}

/**
 * Connects a sweep's coordinator to NATS: a JetStream stream with work-queue retention holds the
 * jobs (each delivered to one worker at a time, redelivered when its worker stays silent for
 * `ackWaitSeconds`), and an object store holds the files each job starts from and the files its
 * worker sends back. Results are checked and written into the bundle directory by
 * `acceptJobFiles`; a rejected result puts its job back on the queue. The jobs themselves run
 * through `runSweepJob` on the workers, as they would in `fedgear sweep`.
 *
 * @example
 * const coordinator = await connectSweepCoordinator({ nats, runId: 'lab', ackWaitSeconds: 60, directory, config, switchPoints }, console.error);
 * await sweep({ ...options, runJob: coordinator.runJob });
 */
export async function connectSweepCoordinator(options: SweepCoordinatorOptions, log: (line: string) => void): Promise<SweepCoordinator> {
  const subjects = runSubjects(options.runId);
  const credentials = natsCredentials(process.env, options.credentialsFile);
  const nc = await connectNats(options.nats, credentials, `fedgear sweep ${options.runId}`);
  try {
    const other = await nc.request(subjects.sweepCoordinator, '', { timeout: 1000 }).then(
      () => true,
      () => false,
    );
    if (other) throw new Error(`--run must name a sweep no other coordinator records, but ${subjects.sweepCoordinator} already answers (pick another --run).`);
    return await NatsSweepCoordinator.start(nc, subjects, options, log);
  } catch (error) {
    await nc.close();
    throw error;
  }
}

class NatsSweepCoordinator implements SweepCoordinator {
  private readonly pending = new Map<string, Pending>();
  /** Files of the jobs some worker has taken. */
  private readonly taken = new Set<string>();
  private withdrawn: string | undefined;
  private readonly subscriptions: Subscription[] = [];

  private constructor(
    private readonly nc: NatsConnection,
    private readonly subjects: RunSubjects,
    private readonly files: WeightObjects,
    private readonly options: SweepCoordinatorOptions,
    private readonly log: (line: string) => void,
  ) {}

  static async start(nc: NatsConnection, subjects: RunSubjects, options: SweepCoordinatorOptions, log: (line: string) => void): Promise<NatsSweepCoordinator> {
    const jsm = await jetstreamManager(nc);
    // A queue left by an earlier coordinator of this run holds jobs it may no longer want: start afresh.
    await jsm.streams.delete(subjects.sweepStream).catch(() => false);
    await jsm.streams.add({ name: subjects.sweepStream, subjects: [subjects.sweepJobs], retention: RetentionPolicy.Workqueue, storage: StorageType.File });
    await jsm.consumers.add(subjects.sweepStream, {
      durable_name: subjects.sweepConsumer,
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(options.ackWaitSeconds * 1000),
      max_deliver: -1,
    });
    const coordinator = new NatsSweepCoordinator(nc, subjects, await WeightObjects.create(nc, subjects.sweepBucket), options, log);
    coordinator.subscriptions.push(
      nc.subscribe(subjects.sweepCoordinator, { callback: (_error, message) => void message.respond(options.directory) }),
      nc.subscribe(subjects.sweepTaken, {
        callback: (_error, message) => {
          try {
            const taken = parseMessage(jobTaken, 'taken notice', JSON.parse(message.string()));
            coordinator.taken.add(taken.file);
            log(`sweep: ${taken.file} taken by ${taken.worker}${taken.delivery > 1 ? ` (delivery ${taken.delivery}: its earlier worker went silent)` : ''}`);
          } catch {
            // Only for the log: a malformed notice changes nothing.
          }
        },
      }),
      nc.subscribe(subjects.sweepResult, {
        callback: (_error, message) => {
          void coordinator.receive(message.string()).then((reply) => message.respond(JSON.stringify(reply)));
        },
      }),
    );
    log(`sweep: jobs of run ${options.runId} on ${options.nats}: start workers with "fedgear worker --run ${options.runId}" (on any machine that reaches the server)`);
    return coordinator;
  }

  readonly runJob: JobRunner = async (job) => {
    if (this.withdrawn !== undefined) throw new SweepStopped(this.withdrawn);
    const inputs = [];
    for (const path of jobInputs(job, this.options.directory, (note) => this.log(`sweep: ${note}`))) {
      const object = `${jobName(job)}/in/${path}`;
      await this.files.putBytes(object, readFileSync(join(this.options.directory, path)));
      inputs.push({ path, object });
    }
    const message: SweepJobMessage = { job, config: { ...this.options.config }, switchPoints: [...this.options.switchPoints], inputs };
    return new Promise<JobDone>((resolve, reject) => {
      this.pending.set(job.file, { job, message, resolve, reject });
      this.publish(message).catch(reject);
    });
  };

  async withdraw(reason: string): Promise<void> {
    this.withdrawn = reason;
    const jsm = await jetstreamManager(this.nc);
    await jsm.streams.purge(this.subjects.sweepStream).catch(() => undefined);
    for (const [file, pending] of this.pending) {
      if (this.taken.has(file)) continue;
      this.pending.delete(file);
      pending.reject(new SweepStopped(reason));
    }
  }

  async end(status: string): Promise<void> {
    this.nc.publish(this.subjects.sweepEnd, JSON.stringify({ status }));
    await this.nc.flush();
    const jsm = await jetstreamManager(this.nc);
    await jsm.streams.delete(this.subjects.sweepStream).catch(() => false);
    await this.files.destroy().catch(() => undefined);
  }

  async close(): Promise<void> {
    for (const subscription of this.subscriptions.splice(0)) subscription.unsubscribe();
    await this.nc.close();
  }

  private async publish(message: SweepJobMessage): Promise<void> {
    await jetstream(this.nc).publish(this.subjects.sweepJobs, JSON.stringify(message));
  }

  /** Takes in a worker's result: its files go into the bundle, or it is rejected and its job queued again. */
  private async receive(text: string): Promise<JobResultReply> {
    let result: JobResult;
    try {
      result = parseMessage(jobResult, 'job result', JSON.parse(text));
    } catch (error) {
      this.log(`sweep: a result was rejected: ${(error as Error).message}`);
      return { status: 'rejected', reason: (error as Error).message };
    }
    const pending = this.pending.get(result.file);
    // Already recorded (a job that came back to a second worker), withdrawn, or not this sweep's.
    if (pending === undefined) return { status: 'accepted', reason: `${result.file} is not awaited (already recorded, or withdrawn)` };
    this.pending.delete(result.file);
    if (result.error !== undefined) {
      pending.reject(new Error(`${result.file} failed on worker ${result.worker}: ${result.error}`));
      return { status: 'accepted', reason: 'the sweep stops' };
    }
    try {
      const files = new Map<string, Uint8Array>();
      for (const { path, object } of result.outputs) files.set(path, await this.files.getBytes(object));
      acceptJobFiles(pending.job, files, this.options.directory, this.options.config);
    } catch (error) {
      const reason = (error as Error).message;
      this.log(`sweep: ${result.worker}'s result for ${result.file} rejected: ${reason} The job goes back on the queue.`);
      this.pending.set(result.file, pending);
      this.publish(pending.message).catch((failure: Error) => pending.reject(failure));
      return { status: 'rejected', reason };
    }
    await this.files.deletePrefix(`${jobName(pending.job)}/`).catch(() => undefined);
    pending.resolve({ by: result.worker });
    return { status: 'accepted', reason: `${result.file} recorded` };
  }
}
