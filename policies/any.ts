import { defineCombinator, hold, shift, type NamedDecision } from 'fedgear/policy';

/**
 * any: combines policies with a logical OR, the way Optuna composes pruners by wrapping: shift as
 * soon as any of them shifts.
 *
 * Rule: every combined policy is asked every round with the same history; the first shift wins and
 * its reason is reported. Combined policies keep their own options, given by the same flags.
 *
 * @example
 * fedgear run --policy any:plateau,budget --patience 5 --budget-mb 500
 */
export default defineCombinator({
  name: 'any',
  description: 'Shifts when any of the combined policies shifts (logical OR).',
  combine(decisions) {
    const shifting = decisions.filter(({ decision }) => decision.action === 'shift');
    if (shifting.length === 0) return hold(reasons(decisions));
    return shift(reasons(shifting));
  },
});

function reasons(decisions: readonly NamedDecision[]): string {
  return decisions.map(({ policy, decision }) => `${policy}: ${decision.reason}`).join('; ');
}
