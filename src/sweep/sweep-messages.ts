import * as z from '../vendor/zod.js';
import { TRANSFER_KINDS, type TransferKind } from '../engine/run-config.js';

/**
 * The messages of a sweep whose jobs run on workers (`fedgear sweep --nats`, `fedgear worker`),
 * whatever carries them (NATS in `src/transport/nats/`). Files never travel in these messages:
 * they name stored objects the other side fetches. Every message is checked on arrival.
 */

/** A relative path inside a bundle directory: no absolute paths, no `..`. */
const bundlePath = z.string().regex(/^(state\/)?[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a file of the bundle directory or of its state/ folder');

const sweepJob = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('trajectory'), file: z.enum(['small.jsonl', 'large.jsonl']), start: z.enum(['small', 'large']) }),
  z.object({
    kind: z.literal('branch'),
    file: z.string().regex(/^branch-[1-9][0-9]*(-[a-z]+)?\.jsonl$/),
    switchAfter: z.number().int().min(1),
    transfer: z.enum(TRANSFER_KINDS as [TransferKind, ...TransferKind[]]),
  }),
]);

/** A stored file: where it goes in the bundle directory and the object that holds it. */
const storedFile = z.object({ path: bundlePath, object: z.string().min(1) });

/** One job on the work queue: what to run, for which scenario, and the files it starts from. */
export const sweepJobMessage = z.object({
  job: sweepJob,
  /** The scenario (a `RunConfig`), as the coordinator built it from its flags. */
  config: z.record(z.string(), z.unknown()),
  switchPoints: z.array(z.number().int().min(1)),
  inputs: z.array(storedFile),
});

/** A worker's result: the files its job wrote, stored, or why it failed. */
export const jobResult = z.object({
  file: z.string().min(1),
  worker: z.string().min(1),
  outputs: z.array(storedFile),
  seconds: z.number(),
  /** Set when the job failed: the error's message. */
  error: z.string().optional(),
});

/** The coordinator's verdict on a result: `accepted` (also for a job it already has) or `rejected` with the reason. */
export const jobResultReply = z.object({ status: z.enum(['accepted', 'rejected']), reason: z.string() });

/** A worker says which job it took (for the coordinator's log), and how many times the job was delivered. */
export const jobTaken = z.object({ file: z.string().min(1), worker: z.string().min(1), delivery: z.number().int().min(1) });

export type SweepJobMessage = z.infer<typeof sweepJobMessage>;
export type JobResult = z.infer<typeof jobResult>;
export type JobResultReply = z.infer<typeof jobResultReply>;
export type JobTaken = z.infer<typeof jobTaken>;
