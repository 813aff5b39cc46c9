import { Subject } from '../vendor/rxjs.js';
import type { PolicyRecord } from '../metrics/round-record.js';
import { decideGears } from '../policy/decide-gears.js';
import type { Decision } from '../policy/decision.js';
import type { Policy } from '../policy/policy.js';
import { decisionTimeoutMs, type PolicyRun } from './policy-run.js';
import { roundMeter, type RunScenario } from './run-scenario.js';

/**
 * What a run did when its gears followed the policy: the records (the gear of each round is the
 * one the decisions so far chose) and the decision after every round.
 */
export interface FollowedRun extends PolicyRun {
  readonly decisions: readonly Decision[];
  /** Rounds after which the policy shifted, in order. */
  readonly shiftsAfter: readonly number[];
}

/**
 * Plays a scenario the way the engine runs a live run: the policy decides after each round,
 * through `decideGears`, and a shift trains the next gear from the next round on. Rejects with
 * the pipeline's `PolicyError` when the policy breaks its contract.
 *
 * @example
 * const run = await followDecisions(plateau.create(options, scenario.context), scenario);
 * run.shiftsAfter; // e.g. [23, 41]
 */
export async function followDecisions(policy: Policy, scenario: RunScenario, label = 'policy', timeoutMs = decisionTimeoutMs): Promise<FollowedRun> {
  const records = new Subject<PolicyRecord>();
  const answers = answerQueue();
  const subscription = records.pipe(decideGears(policy, scenario.context, { label, timeoutMs })).subscribe(answers.observer);
  const next = roundMeter(scenario);
  const played: PolicyRecord[] = [];
  const decisions: Decision[] = [];
  let gear = 0;
  try {
    for (let round = 1; round <= scenario.noise.length; round += 1) {
      const record = next(gear);
      played.push(record);
      const answer = answers.next();
      records.next(record);
      const decision = await answer;
      decisions.push(decision);
      if (decision.action === 'shift') gear += 1;
    }
  } finally {
    subscription.unsubscribe();
  }
  return {
    context: scenario.context,
    records: played,
    decisions,
    shiftsAfter: decisions.flatMap((decision, index) => (decision.action === 'shift' ? [index + 1] : [])),
  };
}

/** Hands out the pipeline's decisions one per round, and its error to whoever waits. */
function answerQueue() {
  let waiting: { resolve: (decision: Decision) => void; reject: (error: unknown) => void } | undefined;
  let failure: { error: unknown } | undefined;
  return {
    observer: {
      next: (decision: Decision) => waiting?.resolve(decision),
      error: (error: unknown) => {
        failure = { error };
        waiting?.reject(error);
      },
    },
    next(): Promise<Decision> {
      if (failure !== undefined) return Promise.reject(failure.error);
      return new Promise((resolve, reject) => (waiting = { resolve, reject }));
    },
  };
}
