import { OBJECTIVE_FORMS, parseObjectiveSpec } from '../policy/objective-spec.js';
import * as z from '../vendor/zod.js';
import { metrics, roundLine } from '../metrics/run-file-schema.js';

/**
 * The `fedgear decide` protocol, one JSON object per line on stdin (docs/any-trainer.md).
 *
 * The first line gives the policy context: `{"context": {"plannedRounds": 20, "ladder": [{"name":
 * "small", "parameters": 70546, "bytesPerRound": 1693104}, ...]}}`. Fields beyond these pass to
 * the policy as they are, so a trainer can give what newer policies read.
 */
export const contextLine = z.object({
  context: z.looseObject({
    plannedRounds: z.number().int().min(1),
    ladder: z
      .array(
        z.object({
          name: z.string().min(1),
          parameters: z.number().int().nonnegative(),
          bytesPerRound: z.number().int().nonnegative(),
          multiplyAdds: z.number().int().nonnegative().optional(),
        }),
      )
      .min(1),
    /** What the run is judged by (an objective spec); `max-accuracy` when absent. */
    objective: z
      .string()
      .refine((spec) => {
        try {
          parseObjectiveSpec(spec);
          return true;
        } catch {
          return false;
        }
      }, `must be one of ${OBJECTIVE_FORMS}`)
      .optional(),
  }),
});

/**
 * Every later line is one round record, the `PolicyRecord` shape of docs/recorded-runs.md (a run
 * file's `round` line, whose `kind` may be left out). `test` metrics are optional: the policy
 * never sees them, but `--record` needs them, since reports score runs on test accuracy.
 */
export const decideRoundLine = roundLine.omit({ kind: true, test: true }).extend({
  kind: z.literal('round').optional(),
  test: metrics.optional(),
});

/** The context line's type. */
export type ContextLine = z.infer<typeof contextLine>;
/** A round line's type. */
export type DecideRound = z.infer<typeof decideRoundLine>;

/** One line of `fedgear decide`'s output. */
export type DecideReply =
  /** The answer to the context line: the policy is ready for rounds. */
  | {
      readonly ready: true;
      readonly policy: { readonly name: string; readonly spec: string; readonly options: Readonly<Record<string, unknown>> };
      /** The run file being written, with `--record`. */
      readonly recording?: string;
    }
  /** The policy's answer after a round. */
  | { readonly round: number; readonly action: 'hold' | 'shift'; readonly reason: string }
  /** A refused input line: nothing was decided, the stream goes on. */
  | { readonly error: string; readonly line: number; readonly field: string }
  /** The session cannot go on (the policy failed): the process exits after it. */
  | { readonly error: string; readonly fatal: true };
