import { catchError, concatMap, from, map, of, type OperatorFunction, scan, throwError, timeout, TimeoutError } from '../vendor/rxjs.js';
import type { PolicyRecord } from '../metrics/round-record.js';
import { hold, isDecision, type Decision } from './decision.js';
import { callWithin, DeadlineError, isGuarded } from './plugin-guard.js';
import { PolicyError } from './policy-error.js';
import type { Policy, PolicyContext } from './policy.js';

/** How the pipeline guards a policy it did not write. */
export interface DecideOptions {
  /** Name shown in errors, e.g. the plugin's name or path. */
  readonly label: string;
  /** Longest a single decision may take before the run stops. */
  readonly timeoutMs: number;
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
      // Each call gets its own frozen array: a plugin cannot alter the history later rounds see.
      scan<PolicyRecord, readonly PolicyRecord[]>((history, record) => Object.freeze([...history, record]), []),
      concatMap((history) => {
        const current = history[history.length - 1]!;
        if (current.gear >= topGear) return of(hold('top gear reached'));
        const failed = (message: string, cause?: unknown) => new PolicyError(options.label, current.round, message, cause);
        const checked = (decision: unknown): Decision => {
          if (!isDecision(decision)) {
            throw failed(`decide must return { action: "hold" | "shift", reason: string }, but got ${describe(decision)}.`);
          }
          return decision;
        };
        let answer: Decision | Promise<Decision>;
        try {
          // A plugin fedgear did not write runs under the deadline: even a busy loop is stopped.
          answer = isGuarded(policy) ? callWithin(options.timeoutMs, () => policy.decide(history, context)) : policy.decide(history, context);
        } catch (error) {
          return throwError(() => failed(error instanceof DeadlineError ? `no decision within ${options.timeoutMs} ms` : `it threw ${errorText(error)}`, error));
        }
        // A synchronous answer needs no timer: replays of thousands of settings stay fast.
        if (!(answer instanceof Promise)) {
          try {
            return of(checked(answer));
          } catch (error) {
            return throwError(() => error);
          }
        }
        return from(answer).pipe(
          timeout({ first: options.timeoutMs }),
          catchError((error: unknown) =>
            throwError(() =>
              error instanceof TimeoutError ? failed(`no decision within ${options.timeoutMs} ms`) : failed(`it threw ${errorText(error)}`, error),
            ),
          ),
          map(checked),
        );
      }),
    );
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
