import * as z from '../vendor/zod.js';
import { decodeNonFinite } from './non-finite.js';

/**
 * The versioned schema of a recorded run: a JSONL file whose first line is a header and whose
 * other lines are round records, gear switches and one closing line. Documented in
 * docs/recorded-runs.md; bump {@link RUN_FILE_VERSION} on any incompatible change.
 */
export const RUN_FILE_FORMAT = 'fedgear-run';

/**
 * Version of the run-file schema this code writes. Version 2 added the rounds' `training`
 * metrics; version-1 files (without them) are still read.
 */
export const RUN_FILE_VERSION = 2;

/** Every run-file version this code reads. */
export const READABLE_RUN_FILE_VERSIONS = [1, 2] as const;

const count = z.number().int().nonnegative();
const finite = z.number().refine(Number.isFinite, 'must be a finite number');
// A diverged round measures NaN (or an infinite loss): written as "NaN" / "Infinity", read back as numbers.
const accuracy = z.preprocess(decodeNonFinite, z.union([z.number().min(0).max(1), z.nan()], { error: 'must be a number in [0, 1] or "NaN"' }));
const loss = z.preprocess(decodeNonFinite, z.union([z.number().nonnegative(), z.nan(), z.literal(Number.POSITIVE_INFINITY)], { error: 'must be a number >= 0, "NaN" or "Infinity"' }));
/** Accuracy in [0, 1] and mean cross-entropy loss on one evaluation set (NaN, or an infinite loss, for a diverged round). */
export const metrics = z.object({ accuracy, loss });

/** One round's record (see `RoundRecord`). */
export const roundLine = z.object({
  kind: z.literal('round'),
  round: z.number().int().min(1),
  gear: count,
  gearName: z.string(),
  parameters: count,
  validation: metrics,
  test: metrics,
  training: metrics.optional(),
  bytes: z.object({ sent: count, received: count, sentTotal: count, receivedTotal: count }),
  seconds: z.object({
    training: finite,
    aggregation: finite,
    distillation: finite,
    evaluation: finite,
    round: finite,
    total: finite,
  }),
  clients: z.object({ asked: z.array(count), answered: z.array(count), late: z.array(count) }).optional(),
});

/** A gear switch between two rounds, with how well the new model did before any training. */
export const switchLine = z.object({
  kind: z.literal('switch'),
  afterRound: count,
  from: count,
  to: count,
  reason: z.string(),
  /** Absent when the trainer did not measure it (runs recorded by `fedgear decide`). */
  inherited: metrics.optional(),
});

/** The policy's answer after a round, as it was given live. */
export const decisionLine = z.object({
  kind: z.literal('decision'),
  round: z.number().int().min(1),
  action: z.enum(['hold', 'shift']),
  reason: z.string(),
});

/** The last line of a finished (or failed) run. */
export const endLine = z.object({
  kind: z.literal('end'),
  status: z.enum(['completed', 'stopped', 'failed']),
  message: z.string().optional(),
});

/**
 * One rung of the ladder as recorded. fedgear's engine records its layers and the bytes of one
 * transfer of the weights; another trainer (`fedgear decide`) records the bytes of one round.
 */
export const gearLine = z
  .object({
    name: z.string(),
    parameters: count,
    weightLayers: count.optional(),
    bytesPerTransfer: count.optional(),
    /** Bytes one round of this gear moves, both directions, all clients, as the trainer gave it. */
    bytesPerRound: count.optional(),
    /** Forward multiply-adds per example (absent before version 2 and when a trainer does not say). */
    multiplyAdds: count.optional(),
  })
  .refine((gear) => gear.bytesPerTransfer !== undefined || gear.bytesPerRound !== undefined, {
    message: 'must hold bytesPerTransfer or bytesPerRound',
  });

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits');

/**
 * What a run's images were (see `DataDigest`): each data file (or generated set) with its image
 * count and SHA-256, and one SHA-256 over them all. Absent in files written before it existed and
 * in runs of other trainers.
 */
export const dataDigest = z.object({
  sha256,
  parts: z.array(z.object({ name: z.string(), images: count, sha256 })),
});

/** The first line: how the run was made. */
export const headerLine = z.object({
  kind: z.literal('header'),
  format: z.literal(RUN_FILE_FORMAT),
  version: z.union(READABLE_RUN_FILE_VERSIONS.map((version) => z.literal(version))),
  createdAt: z.string(),
  backend: z.string(),
  versions: z.record(z.string(), z.string()),
  ladder: z.array(gearLine).min(1),
  config: z.record(z.string(), z.unknown()),
  data: dataDigest.optional(),
});

/** Any line after the header. */
export const bodyLine = z.discriminatedUnion('kind', [roundLine, decisionLine, switchLine, endLine]);

/** The header line's type. */
export type RunHeader = z.infer<typeof headerLine>;
/** A switch line's type. */
export type SwitchEvent = z.infer<typeof switchLine>;
/** A decision line's type. */
export type DecisionEvent = z.infer<typeof decisionLine>;
/** An end line's type. */
export type RunEnd = z.infer<typeof endLine>;
