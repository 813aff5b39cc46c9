import { firstValueFrom, ReplaySubject, skip, Subject } from 'rxjs';
import type { PolicyRecord } from '../../src/metrics/round-record.js';
import { decideGears } from '../../src/policy/decide-gears.js';
import type { Decision } from '../../src/policy/decision.js';
import type { Policy, PolicyContext } from '../../src/policy/policy.js';
import { makeRecords, type Step } from './records.js';

/** What a simulated run did: the gear of every round and the decision after it. */
export interface FollowedRun {
  readonly gears: readonly number[];
  readonly decisions: readonly Decision[];
  /** Rounds after which the policy shifted. */
  readonly shiftsAfter: readonly number[];
}

/**
 * Plays a run round by round through `decideGears`, the way the engine does: the gear of each
 * record follows the decisions so far. `step(round, gear, roundOfGear)` says what a round measured.
 *
 * @example
 * await followDecisions(policy, context({ ladder: threeGears }), 30, () => ({ accuracy: 0.5 }));
 */
export async function followDecisions(
  policy: Policy,
  context: PolicyContext,
  rounds: number,
  step: (round: number, gear: number, roundOfGear: number) => Omit<Step, 'gear'>,
): Promise<FollowedRun> {
  const records = new Subject<PolicyRecord>();
  const answers = new ReplaySubject<Decision>();
  const subscription = records.pipe(decideGears(policy, context, { label: 'test', timeoutMs: 1_000 })).subscribe(answers);
  const steps: Step[] = [];
  const decisions: Decision[] = [];
  let gear = 0;
  let roundOfGear = 0;
  try {
    for (let round = 1; round <= rounds; round += 1) {
      roundOfGear += 1;
      steps.push({ ...step(round, gear, roundOfGear), gear });
      const answer = firstValueFrom(answers.pipe(skip(round - 1)));
      records.next(makeRecords(steps, context.ladder).at(-1)!);
      const decision = await answer;
      decisions.push(decision);
      if (decision.action === 'shift') [gear, roundOfGear] = [gear + 1, 0];
    }
  } finally {
    subscription.unsubscribe();
  }
  return {
    gears: steps.map((s) => s.gear!),
    decisions,
    shiftsAfter: decisions.flatMap((decision, index) => (decision.action === 'shift' ? [index + 1] : [])),
  };
}
