import { from, lastValueFrom, takeWhile, toArray } from '../vendor/rxjs.js';
import type { PolicyRecord } from '../metrics/round-record.js';
import { decideGears } from '../policy/decide-gears.js';
import type { Decision } from '../policy/decision.js';
import type { Policy, PolicyContext } from '../policy/policy.js';
import { policyTimeoutMs } from '../policy/plugin-guard.js';

/**
 * The policy's decisions on recorded small-model rounds, up to and including its first shift (all
 * of them when it never shifts). The records go through `decideGears`, the operator live runs use,
 * so these decisions are exactly the first ones `replayDecisions` returns; stopping at the shift
 * only skips rounds whose decisions cannot matter on a two-gear ladder: once grown, the live run
 * trains the top gear, where the pipeline holds without asking the policy. Tuning replays
 * thousands of settings, and stopping early is what makes that cheap.
 *
 * @example
 * const decisions = await replayToFirstShift(small.rounds.map(toPolicyRecord), contextFromHeader(small.header), policy, 'plateau');
 * decisions.at(-1)?.action; // 'shift' unless the policy never shifted
 */
export function replayToFirstShift(
  records: readonly PolicyRecord[],
  context: PolicyContext,
  policy: Policy,
  label: string,
  timeoutMs = policyTimeoutMs(),
): Promise<Decision[]> {
  const decide = decideGears(policy, context, { label, timeoutMs });
  return lastValueFrom(
    from(records).pipe(
      decide,
      takeWhile((decision) => decision.action !== 'shift', true),
      toArray(),
    ),
  );
}
