import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { jetstream, type Consumer, type JsMsg } from '@nats-io/jetstream';
import { millis, type NatsConnection } from '@nats-io/transport-node';
import { defaultWorkers } from '../../engine/build-run-config.js';
import { parseMessage } from '../../engine/remote-protocol.js';
import type { RunConfig } from '../../engine/run-config.js';
import { progressLine } from '../../report/progress-line.js';
import { jobName, jobOutputs, runSweepJob } from '../../sweep/sweep-job.js';
import { jobResultReply, sweepJobMessage, type JobResult, type JobResultReply, type SweepJobMessage } from '../../sweep/sweep-messages.js';
import { connectNats } from './connect-nats.js';
import { JobProgress } from './job-progress.js';
import { natsCredentials } from './nats-credentials.js';
import type { NatsRunAccess } from './nats-run-access.js';
import { runSubjects, type RunSubjects } from './run-subjects.js';
import { WeightObjects } from './weight-objects.js';

/** Who a worker is and where its sweep is. */
export interface SweepWorkerOptions extends NatsRunAccess {
  /** The worker's name in logs and in the coordinator's progress. */
  readonly worker: string;
  /** Worker threads for client training (default: as `fedgear run` picks them on this machine). */
  readonly threads?: number | undefined;
}

/** JetStream's ack wait when a consumer does not set one. */
const DEFAULT_ACK_WAIT_MS = 30_000;

/** How long a worker waits for the coordinator's verdict on a result (it fetches the files first). */
const RESULT_TIMEOUT_MS = 60_000;

/**
 * Runs a sweep's jobs from its NATS work queue, one at a time, until the coordinator announces
 * the sweep's end; resolves with the end status. Each job runs through `runSweepJob` in a
 * scratch directory holding the files the coordinator sent with it (and, for a trajectory, the
 * progress an earlier worker of the job saved: see `JobProgress`); while it runs, the worker
 * tells JetStream it is still working (so only a worker that dies or hangs loses its job to
 * another), and once it is done it stores the files the job wrote, waits for the coordinator to
 * accept them, and only then acknowledges the job.
 *
 * @example
 * await workSweepJobs({ nats: 'nats://127.0.0.1:4222', runId: 'lab', worker: 'box-2' }, console.error);
 */
export async function workSweepJobs(options: SweepWorkerOptions, log: (line: string) => void): Promise<string> {
  const subjects = runSubjects(options.runId);
  const credentials = natsCredentials(process.env, options.credentialsFile);
  const nc = await connectNats(options.nats, credentials, `fedgear worker ${options.worker} ${options.runId}`);
  let ended: string | undefined;
  nc.subscribe(subjects.sweepEnd, {
    callback: (_error, message) => {
      try {
        ended = String((JSON.parse(message.string()) as { status?: unknown }).status ?? 'ended');
      } catch {
        ended = 'ended';
      }
    },
  });
  const say = (line: string) => log(`worker ${options.worker}: ${line}`);
  try {
    const js = jetstream(nc);
    let consumer: Consumer | undefined;
    let waiting = false;
    while (ended === undefined) {
      let message: JsMsg | null;
      try {
        consumer ??= await js.consumers.get(subjects.sweepStream, subjects.sweepConsumer);
        message = await consumer.next({ expires: 5000 });
      } catch {
        // No sweep yet, or a coordinator restarting it: its queue comes back.
        consumer = undefined;
        await new Promise((resolve) => setTimeout(resolve, 1000));
        // The coordinator deletes its queue right after announcing the end: that is no reason to wait.
        if (!waiting && ended === undefined) say(`waiting for a sweep on run ${options.runId} (fedgear sweep --nats ${options.nats} --run ${options.runId} …)`);
        waiting = true;
        continue;
      }
      waiting = false;
      if (message === null) continue;
      const ackWait = (await consumer.info(true)).config.ack_wait;
      const ackWaitMs = ackWait === undefined ? DEFAULT_ACK_WAIT_MS : millis(ackWait);
      try {
        await work(nc, subjects, options, message, ackWaitMs, say, () => ended !== undefined);
      } catch (error) {
        // The sweep ended under the job (its files are gone), or the server is unreachable: unacknowledged, the job comes back.
        if (ended === undefined) say(`${message.info.stream} job ${message.seq} left unfinished: ${(error as Error).message}`);
      }
    }
    say(`the sweep ended (${ended})`);
    return ended;
  } finally {
    await nc.close();
  }
}

/** Runs one job taken from the queue, and acknowledges it once the coordinator has its result. */
async function work(
  nc: NatsConnection,
  subjects: RunSubjects,
  options: SweepWorkerOptions,
  message: JsMsg,
  ackWaitMs: number,
  say: (line: string) => void,
  sweepEnded: () => boolean,
): Promise<void> {
  let job: SweepJobMessage;
  try {
    job = parseMessage(sweepJobMessage, 'sweep job', JSON.parse(message.string()));
  } catch (error) {
    say(`a malformed job was dropped: ${(error as Error).message}`);
    message.term();
    return;
  }
  const { file } = job.job;
  const delivery = message.info.deliveryCount;
  say(`took ${file}${delivery > 1 ? ` (delivery ${delivery})` : ''}`);
  nc.publish(subjects.sweepTaken, JSON.stringify({ file, worker: options.worker, delivery }));
  // Well inside the ack wait, so that only a dead or hung worker loses its job.
  const heartbeat = setInterval(() => message.working(), Math.max(250, ackWaitMs / 4));
  const scratch = mkdtempSync(join(tmpdir(), 'fedgear-worker-'));
  const started = performance.now();
  try {
    const files = await WeightObjects.open(nc, subjects.sweepBucket);
    const progress = new JobProgress(files, job.job, scratch, say);
    const received = new Map<string, string>();
    let error: string | undefined;
    try {
      for (const { path, object } of job.inputs) {
        const bytes = await files.getBytes(object);
        mkdirSync(dirname(join(scratch, path)), { recursive: true });
        writeFileSync(join(scratch, path), bytes);
        received.set(path, sha256(bytes));
      }
      const config = job.config as unknown as RunConfig;
      if (await progress.restore(config)) say(`${file}: continuing from the progress an earlier worker saved`);
      await runSweepJob(job.job, {
        config: { ...config, workers: options.threads ?? defaultWorkers(config.clients) },
        directory: scratch,
        switchPoints: job.switchPoints,
        dataDir: options.dataDir,
        onNote: say,
        onEvent: (name, event) => {
          if (event.kind === 'round') say(`${name} ${progressLine(event.record, config.rounds)}`);
          if (event.kind === 'checkpoint' && name === jobName(job.job)) progress.save(event.round);
        },
      });
      await progress.saved();
    } catch (failure) {
      error = (failure as Error).message;
      say(`${file} failed: ${error}`);
    }
    const outputs = [];
    if (error === undefined) {
      for (const path of jobOutputs(job.job, scratch)) {
        const bytes = readFileSync(join(scratch, path));
        if (received.get(path) === sha256(bytes)) continue;
        const object = `${jobName(job.job)}/out/${options.worker}-${delivery}/${path}`;
        await files.putBytes(object, bytes);
        outputs.push({ path, object });
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const result: JobResult = { file, worker: options.worker, outputs, seconds, ...(error === undefined ? {} : { error }) };
    const reply = await sendResult(nc, subjects, result, sweepEnded);
    if (reply === undefined) return;
    say(`${file} ${error === undefined ? `done in ${seconds.toFixed(1)} s` : 'failed'}: ${reply.status} (${reply.reason})`);
    message.ack();
  } finally {
    clearInterval(heartbeat);
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Sends a result until the coordinator answers (it may be restarting); undefined once the sweep ended. */
async function sendResult(nc: NatsConnection, subjects: RunSubjects, result: JobResult, sweepEnded: () => boolean): Promise<JobResultReply | undefined> {
  while (!sweepEnded()) {
    try {
      const reply = await nc.request(subjects.sweepResult, JSON.stringify(result), { timeout: RESULT_TIMEOUT_MS });
      return parseMessage(jobResultReply, 'result reply', JSON.parse(reply.string()));
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
  return undefined;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
