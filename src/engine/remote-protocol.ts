import { createHash } from 'node:crypto';
import * as z from '../vendor/zod.js';
import type { RunHeader } from '../metrics/run-file-schema.js';

/**
 * The messages a coordinator and its remote clients exchange, whatever carries them (NATS in
 * `src/transport/nats/`). Weights never travel in these messages: they name a stored object
 * (`weights`) the other side fetches. Every message is checked on arrival, so a malformed one is
 * refused with the field at fault instead of reaching the average.
 */

const count = z.number().int().nonnegative();

/** The coordinator's offer of one round's job to one client. */
export const jobOffer = z.object({
  /** Unique per coordinator, round and client: an update names the job it answers. */
  jobId: z.string().min(1),
  /** Digest of the run header's config: a client trains only for the run whose data it loaded. */
  configDigest: z.string().min(1),
  round: z.number().int().min(1),
  client: count,
  gear: count,
  /** Where the round's global weights are stored. */
  weights: z.string().min(1),
  sgd: z.object({
    epochs: z.number().int().min(1),
    batchSize: z.number().int().min(1),
    learningRate: z.number(),
    momentum: z.number(),
    weightDecay: z.number(),
    seed: z.number().int(),
    augment: z.boolean(),
  }),
});

/** A client's answer to an offer: it takes the job (or already has it), or says why not. */
export const offerReply = z.object({ accepted: z.boolean(), reason: z.string().optional() });

/** A client's trained update: the job it answers and its result, weights stored under `weights`. */
export const updateNotice = z.object({
  jobId: z.string().min(1),
  round: z.number().int().min(1),
  client: count,
  gear: count,
  weights: z.string().min(1),
  /** Bytes the stored weights take: 4 per float32 parameter. */
  bytes: count,
  samples: count,
  /** Mean training loss and accuracy over those samples (null when not finite, as JSON has no NaN). */
  loss: z.number().nullable(),
  accuracy: z.number().min(0).max(1).nullable(),
  seconds: z.number(),
});

/** The coordinator's verdict on an update. */
export const updateReply = z.object({ status: z.enum(['accepted', 'late', 'rejected']), reason: z.string() });

/** What a client asks the coordinator for first: the run's header and its config digest. */
export const headerReply = z.object({ header: z.record(z.string(), z.unknown()), configDigest: z.string() });

export type JobOffer = z.infer<typeof jobOffer>;
export type OfferReply = z.infer<typeof offerReply>;
export type UpdateNotice = z.infer<typeof updateNotice>;
export type UpdateReply = z.infer<typeof updateReply>;

/**
 * A short digest of a run's config: equal on the coordinator and a client exactly when both
 * derive the same data, models and training from it.
 *
 * @example
 * configDigest(header); // "3f1c9a…" (16 hex digits)
 */
export function configDigest(header: Pick<RunHeader, 'config'>): string {
  return createHash('sha256').update(JSON.stringify(header.config)).digest('hex').slice(0, 16);
}

/**
 * Parses a message against its schema, or explains the first problem in the house error shape.
 *
 * @example
 * const offer = parseMessage(jobOffer, 'job offer', JSON.parse(text));
 */
export function parseMessage<T extends z.ZodType>(schema: T, what: string, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.join('.') || what;
  throw new Error(`${what} field ${field} must be valid (${issue.message}), but got ${JSON.stringify(at(value, issue.path))?.slice(0, 80)}.`);
}

function at(value: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((v, key) => (v as Record<PropertyKey, unknown> | undefined)?.[key], value);
}
