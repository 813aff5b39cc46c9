import { concatMap, defer, from, map, type OperatorFunction, scan, timeout, TimeoutError, catchError, throwError } from 'rxjs';
import type { PolicyRecord } from '../metrics/round-record.js';
import { hold, isDecision, type Decision } from './decision.js';
import type { Policy, PolicyContext } from './policy.js';

/** How the pipeline guards a policy it did not write. */
export interface DecideOptions {
  /** Name shown in errors, e.g. the plugin's name or path. */
  readonly label: string;
  /** Longest a single decision may take before the run stops. */
  readonly timeoutMs: number;
}

/** A policy broke its contract: threw, answered something else, or did not answer in time. */
export class PolicyError extends Error {
  constructor(
    readonly label: string,
    readonly round: number,
    message: string,
  ) {
    super(`policy "${label}" failed at round ${round}: ${message}`);
    this.name = 'PolicyError';
  }
}

/**
 * Lifts a plain policy into an rxjs operator: one decision per round record, in order. Live runs
 * and replays of recorded runs both pipe their records through this same operator.
 *
 * The top gear holds without asking the policy: there is nothing to shift to.
 *
 * @example
 * records$.pipe(decideGears(policy, context, { label: 'plateau', timeoutMs: 10_000 })).subscribe(console.log);
 */
export function decideGears(policy: Policy, context: PolicyContext, options: DecideOptions): OperatorFunction<PolicyRecord, Decision> {
  const topGear = context.ladder.length - 1;
  return (records) =>
    records.pipe(
      scan<PolicyRecord, PolicyRecord[]>((history, record) => [...history, record], []),
      concatMap((history) => {
        const current = history[history.length - 1]!;
        if (current.gear >= topGear) return from([hold('top gear reached')]);
        return defer(async () => policy.decide(history, context)).pipe(
          timeout({ first: options.timeoutMs }),
          catchError((error: unknown) => {
            const message =
              error instanceof TimeoutError
                ? `no decision within ${options.timeoutMs} ms`
                : `it threw ${error instanceof Error ? error.message : String(error)}`;
            return throwError(() => new PolicyError(options.label, current.round, message));
          }),
          map((decision: unknown) => {
            if (!isDecision(decision)) {
              throw new PolicyError(
                options.label,
                current.round,
                `decide must return { action: "hold" | "shift", reason: string }, but got ${describe(decision)}.`,
              );
            }
            return decision;
          }),
        );
      }),
    );
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
