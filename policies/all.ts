import { defineCombinator, hold, shift, type NamedDecision } from 'fedgear/policy';

/**
 * all: combines policies with a logical AND: shift only in a round where every one of them shifts.
 *
 * Rule: every combined policy is asked every round with the same history; hold (reporting the
 * policies that hold) unless all shift. The built-ins keep answering shift while their condition
 * holds, so `all:fixed,plateau --at 40` means "not before round 40, and then on a plateau".
 *
 * @example
 * fedgear run --policy all:fixed,plateau --at 40 --patience 5
 */
export default defineCombinator({
  name: 'all',
  description: 'Shifts when all of the combined policies shift in the same round (logical AND).',
  combine(decisions) {
    const holding = decisions.filter(({ decision }) => decision.action === 'hold');
    if (holding.length > 0) return hold(reasons(holding));
    return shift(reasons(decisions));
  },
});

function reasons(decisions: readonly NamedDecision[]): string {
  return decisions.map(({ policy, decision }) => `${policy}: ${decision.reason}`).join('; ');
}
