/**
 * Worker-thread entry point: one tfjs instance per thread, training client jobs it is sent.
 * Weights travel as transferable ArrayBuffers; image shards arrive once, shared, in workerData.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { BackendChoice } from '../backend/backend-choice.js';
import { selectBackend } from '../backend/select-backend.js';
import { ClientTrainer, type ClientJob, type ClientSetup } from './client-trainer.js';

/** What the pool passes to each worker when it starts. */
export interface ClientWorkerData extends ClientSetup {
  readonly backend: BackendChoice;
}

/** A worker's answer to one job. */
export type ClientWorkerReply =
  | { readonly ok: true; readonly result: import('./client-trainer.js').ClientResult }
  | { readonly ok: false; readonly client: number; readonly error: string };

const port = parentPort;
if (port === null) throw new Error('client-worker must be started as a worker thread, but it was run as a main module.');
const setup = workerData as ClientWorkerData;
await selectBackend(setup.backend);
const trainer = new ClientTrainer(setup);
port.on('message', (job: ClientJob) => {
  let reply: ClientWorkerReply;
  try {
    reply = { ok: true, result: trainer.train(job) };
  } catch (error) {
    reply = { ok: false, client: job.client, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  port.postMessage(reply, reply.ok ? [reply.result.weights.buffer as ArrayBuffer] : []);
});
port.postMessage('ready');
