import { toPolicyRecord } from '../metrics/round-record.js';
import { contextFromHeader } from '../policy/context-from-header.js';
import type { Decision } from '../policy/decision.js';
import type { ObjectiveSpec } from '../policy/objective-spec.js';
import type { Policy } from '../policy/policy.js';
import type { Bundle } from './bundle.js';
import { replayToFirstShift } from './replay-to-first-shift.js';
import { spliceBranch, type SplicedRun } from './splice.js';

/** What a policy did on a bundle, and the run that came of it. */
export interface PolicyReplay {
  /**
   * The policy's decisions on the small trajectory through its first shift (all rounds when it
   * never shifted): what a live run would have shown it. Later rounds train the large model,
   * where the pipeline holds without asking the policy.
   */
  readonly decisions: readonly Decision[];
  /** The reason of the first shift; `undefined` when the policy never shifted. */
  readonly reason: string | undefined;
  /** The run the policy would have produced (see `spliceBranch`). */
  readonly run: SplicedRun;
}

/**
 * Replays a policy on a bundle: its decisions on the small trajectory (through the live
 * pipeline, see `replayToFirstShift`), then the run spliced at its first shift. The policy's
 * context names `objective` (the one being scored) when given, else the one the run recorded.
 *
 * A policy shifts once on a two-gear ladder: after the splice the rounds come from the branch,
 * and whatever the policy would have answered later does not matter, since the top gear holds.
 *
 * @example
 * const { run, reason } = await replayPolicy(bundle, plateau.create({ patience: 5, ... }, context), 'plateau');
 * run.switchAfter; // e.g. 12
 */
export async function replayPolicy(bundle: Bundle, policy: Policy, label: string, objective?: ObjectiveSpec): Promise<PolicyReplay> {
  const { small } = bundle;
  const decisions = await replayToFirstShift(small.rounds.map(toPolicyRecord), contextFromHeader(small.header, objective), policy, label);
  const shifted = decisions.at(-1)?.action === 'shift' ? decisions.at(-1) : undefined;
  return { decisions, reason: shifted?.reason, run: spliceBranch(bundle, shifted === undefined ? undefined : small.rounds[decisions.length - 1]!.round) };
}
