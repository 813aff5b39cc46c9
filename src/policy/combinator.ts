import type { PolicyRecord } from '../metrics/round-record.js';
import { isDecision, type Decision } from './decision.js';
import type { Policy, PolicyContext } from './policy.js';

/** One inner policy's answer for the round, labelled with that policy's name. */
export interface NamedDecision {
  readonly policy: string;
  readonly decision: Decision;
}

/**
 * A rule that folds several policies' decisions for the same round into one (the built-ins `any`
 * and `all`). On the command line it is used as `--policy any:plateau,budget`.
 *
 * @example
 * export default defineCombinator({
 *   name: 'any',
 *   description: 'Shifts when any of its policies shifts.',
 *   combine: (decisions) => decisions.find((d) => d.decision.action === 'shift')?.decision ?? hold(),
 * });
 */
export interface PolicyCombinator {
  readonly name: string;
  /** One line: what the combination does. */
  readonly description: string;
  combine(decisions: readonly NamedDecision[]): Decision;
}

/**
 * Returns the combinator unchanged, for type inference in combinator modules.
 *
 * @example
 * const first = defineCombinator({ name: 'first', description: 'The first answer.', combine: (d) => d[0]!.decision });
 */
export function defineCombinator(combinator: PolicyCombinator): PolicyCombinator {
  return combinator;
}

/**
 * Asks every policy each round (with the same history) and folds their decisions with the
 * combinator. The result is synchronous when all inner policies are.
 *
 * @example
 * const policy = combinePolicies(any, { plateau: plateauPolicy, budget: budgetPolicy });
 */
export function combinePolicies(combinator: PolicyCombinator, policies: Readonly<Record<string, Policy>>): Policy {
  const entries = Object.entries(policies);
  if (entries.length === 0) throw new Error(`${combinator.name}: policies must be at least one, but got none.`);
  return {
    decide(history: readonly PolicyRecord[], context: PolicyContext) {
      const answers = entries.map(([, policy]) => policy.decide(history, context));
      const fold = (decisions: readonly unknown[]) =>
        combinator.combine(decisions.map((decision, index) => ({ policy: entries[index]![0], decision: checked(entries[index]![0], decision) })));
      return answers.some(isPromiseLike) ? Promise.all(answers).then(fold) : fold(answers);
    },
  };
}

function checked(name: string, decision: unknown): Decision {
  if (!isDecision(decision)) {
    throw new Error(`${name}: decide must return { action: "hold" | "shift", reason: string }, but got ${JSON.stringify(decision) ?? 'undefined'}.`);
  }
  return decision;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';
}
