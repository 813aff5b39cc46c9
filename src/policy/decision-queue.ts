import type { OperatorFunction, Subject } from '../vendor/rxjs.js';
import type { PolicyRecord } from '../metrics/round-record.js';
import type { Decision } from './decision.js';

/** Hands out a policy pipeline's decisions one at a time, in order. */
export interface DecisionQueue {
  /** The decision on the next record pushed into the subject; rejects with the pipeline's error. */
  next(): Promise<Decision>;
}

/**
 * Subscribes to the policy's decisions and hands them out one per record, surfacing its errors:
 * the bridge between a loop that needs each answer before it goes on (the engine's rounds, the
 * `fedgear decide` sidecar) and the `decideGears` operator, which keeps the history.
 *
 * @example
 * const records = new Subject<PolicyRecord>();
 * const decisions = decisionQueue(records, decideGears(policy, context, { label: 'plateau', timeoutMs: 30_000 }));
 * records.next(record);
 * const decision = await decisions.next();
 */
export function decisionQueue(records: Subject<PolicyRecord>, decide: OperatorFunction<PolicyRecord, Decision>): DecisionQueue {
  const ready: Decision[] = [];
  const waiting: { resolve: (d: Decision) => void; reject: (e: unknown) => void }[] = [];
  let failure: unknown;
  let failed = false;
  records.pipe(decide).subscribe({
    next: (decision) => {
      const waiter = waiting.shift();
      if (waiter) waiter.resolve(decision);
      else ready.push(decision);
    },
    error: (error: unknown) => {
      failed = true;
      failure = error;
      for (const waiter of waiting.splice(0)) waiter.reject(error);
    },
  });
  return {
    next(): Promise<Decision> {
      const decision = ready.shift();
      if (decision) return Promise.resolve(decision);
      if (failed) return Promise.reject(failure);
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
  };
}
