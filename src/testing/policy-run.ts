import { from, lastValueFrom, toArray } from '../vendor/rxjs.js';
import type { PolicyRecord } from '../metrics/round-record.js';
import { decideGears } from '../policy/decide-gears.js';
import type { Decision } from '../policy/decision.js';
import type { Policy, PolicyContext } from '../policy/policy.js';

/**
 * A recorded run as a policy sees it: the run's fixed facts and its round records, in order.
 *
 * @example
 * const run: PolicyRun = { context: { plannedRounds: 2, ladder }, records: recordRun(scenario, [0, 0]) };
 */
export interface PolicyRun {
  readonly context: PolicyContext;
  readonly records: readonly PolicyRecord[];
}

/**
 * How long the kit waits for one decision before it counts as a broken contract.
 *
 * @example
 * await replayRun(policy, run, 'slow-policy', 10 * decisionTimeoutMs);
 */
export const decisionTimeoutMs = 2_000;

/**
 * The policy's decision after each round of a recorded run, asked through `decideGears`, the
 * pipeline of live runs and replays. Rejects with the pipeline's `PolicyError` when the policy
 * throws, answers something else or takes longer than `timeoutMs`.
 *
 * @example
 * const decisions = await replayRun(plateau.create(options, run.context), run);
 */
export async function replayRun(policy: Policy, run: PolicyRun, label = 'policy', timeoutMs = decisionTimeoutMs): Promise<Decision[]> {
  if (run.records.length === 0) return [];
  return lastValueFrom(from(run.records).pipe(decideGears(policy, run.context, { label, timeoutMs }), toArray()));
}
