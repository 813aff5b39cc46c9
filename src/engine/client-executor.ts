import { Worker } from 'node:worker_threads';
import type { BackendChoice } from '../backend/backend-choice.js';
import type { ClientAttendance } from '../metrics/round-record.js';
import { ClientTrainer, type ClientJob, type ClientResult, type ClientSetup } from './client-trainer.js';
import type { ClientWorkerData, ClientWorkerReply } from './client-worker.js';

/**
 * Runs a round's client jobs and returns the results that count, in job order. Implementations
 * differ only in where the jobs run (worker threads here, other machines over NATS in
 * `src/transport/nats/`); the training code is the same {@link ClientTrainer}.
 *
 * @example
 * const executor = await createClientExecutor(setup, { workers: 2, backend: 'auto' });
 * const { results } = await executor.run(jobs, 1);
 * await executor.close();
 */
export interface ClientExecutor {
  run(jobs: readonly ClientJob[], round: number): Promise<RoundAnswers>;
  close(): Promise<void>;
}

/** What a round's clients gave back. */
export interface RoundAnswers {
  /** The updates to average, in job order: one per job, or fewer where clients can fail. */
  readonly results: readonly ClientResult[];
  /** Who took part, from executors whose clients can miss a round; absent when every job always answers. */
  readonly clients?: ClientAttendance;
}

/**
 * Starts `workers` worker threads (each with its own tfjs), or trains in the calling thread when
 * `workers` is 0 (whose tfjs backend the caller has already selected).
 *
 * @example
 * const executor = await createClientExecutor(setup, { workers: 0, backend: 'cpu' });
 */
export async function createClientExecutor(
  setup: ClientSetup,
  options: { readonly workers: number; readonly backend: BackendChoice },
): Promise<ClientExecutor> {
  if (!Number.isInteger(options.workers) || options.workers < 0) {
    throw new Error(`workers must be an integer >= 0, but got ${options.workers}.`);
  }
  if (options.workers === 0) return inProcessExecutor(setup);
  const data: ClientWorkerData = { ...setup, backend: options.backend };
  const workers = await Promise.all(Array.from({ length: options.workers }, () => startWorker(data)));
  return new WorkerPool(workers);
}

function inProcessExecutor(setup: ClientSetup): ClientExecutor {
  const trainer = new ClientTrainer(setup);
  return {
    run: async (jobs) => ({ results: jobs.map((job) => trainer.train(job)) }),
    close: async () => trainer.dispose(),
  };
}

function startWorker(data: ClientWorkerData): Promise<Worker> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./client-worker.js', import.meta.url), { workerData: data });
    const failed = (error: Error) => reject(new Error(`client worker failed to start: ${error.message}`));
    worker.once('error', failed);
    worker.once('message', (message) => {
      worker.off('error', failed);
      if (message === 'ready') resolve(worker);
      else reject(new Error(`client worker must say "ready" first, but said ${JSON.stringify(message)}.`));
    });
  });
}

/** Hands jobs to idle workers as they free up, so uneven jobs still keep every thread busy. */
class WorkerPool implements ClientExecutor {
  constructor(private readonly workers: readonly Worker[]) {}

  run(jobs: readonly ClientJob[]): Promise<RoundAnswers> {
    return new Promise((resolve, reject) => {
      const results: ClientResult[] = new Array(jobs.length);
      let next = 0;
      let done = 0;
      let failed = false;
      const cleanups: (() => void)[] = [];
      const finish = (error?: Error) => {
        for (const cleanup of cleanups) cleanup();
        if (error) reject(error);
        else resolve({ results });
      };
      const feed = (worker: Worker) => {
        const index = next++;
        const job = jobs[index];
        if (job === undefined) return;
        // The buffer is transferred: give each job its own copy of the global weights.
        const weights = job.weights.slice();
        worker.postMessage({ ...job, weights }, [weights.buffer]);
        const onMessage = (reply: ClientWorkerReply) => {
          if (failed) return;
          if (!reply.ok) {
            failed = true;
            finish(new Error(`client ${reply.client} failed in its worker: ${reply.error}`));
            return;
          }
          results[index] = reply.result;
          done++;
          if (done === jobs.length) finish();
          else feed(worker);
        };
        worker.once('message', onMessage);
        cleanups.push(() => worker.off('message', onMessage));
      };
      for (const worker of this.workers) {
        const onError = (error: Error) => {
          if (!failed) {
            failed = true;
            finish(new Error(`a client worker crashed: ${error.message}`));
          }
        };
        worker.on('error', onError);
        cleanups.push(() => worker.off('error', onError));
      }
      if (jobs.length === 0) finish();
      for (const worker of this.workers) feed(worker);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
