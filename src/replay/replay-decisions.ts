import { from, lastValueFrom, toArray } from '../vendor/rxjs.js';
import type { RecordedRun } from '../metrics/read-run.js';
import { toPolicyRecord } from '../metrics/round-record.js';
import { decideGears } from '../policy/decide-gears.js';
import type { Decision } from '../policy/decision.js';
import type { Policy } from '../policy/policy.js';
import { contextFromHeader } from '../policy/context-from-header.js';
import { policyTimeoutMs } from '../policy/plugin-guard.js';

/**
 * Feeds a recorded run's rounds through a policy — the very pipeline live runs use — and returns
 * its decision after each round. On the run's own policy this reproduces the live decisions.
 *
 * @example
 * const decisions = await replayDecisions(readRun('runs/a.jsonl'), plateau.create({ patience: 3 }, context), 'plateau');
 */
export async function replayDecisions(run: RecordedRun, policy: Policy, label: string, timeoutMs = policyTimeoutMs()): Promise<Decision[]> {
  const decide = decideGears(policy, contextFromHeader(run.header), { label, timeoutMs });
  return lastValueFrom(from(run.rounds.map(toPolicyRecord)).pipe(decide, toArray()));
}
