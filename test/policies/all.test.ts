import { describe, expect, it } from 'vitest';
import all from '../../policies/all.js';
import { combinePolicies } from '../../src/policy/combinator.js';
import { hold, shift } from '../../src/policy/decision.js';
import type { Policy } from '../../src/policy/policy.js';
import { loadPolicy } from '../../src/policy/load-policy.js';
import { followDecisions } from '../policy/follow-decisions.js';
import { context, makeRecords } from '../policy/records.js';

const answering = (action: 'hold' | 'shift', reason: string): Policy => ({ decide: () => (action === 'hold' ? hold(reason) : shift(reason)) });
const history = makeRecords([0.5]);

describe('the all combinator', () => {
  it('shifts only when every policy shifts, giving every reason', () => {
    const policy = combinePolicies(all, { fixed: answering('shift', 'round 40'), plateau: answering('shift', 'flat') });
    expect(policy.decide(history, context())).toEqual(shift('fixed: round 40; plateau: flat'));
  });

  it('holds while any policy holds, naming the ones that hold', () => {
    const policy = combinePolicies(all, { fixed: answering('shift', 'round 40'), plateau: answering('hold', 'improving') });
    expect(policy.decide(history, context())).toEqual(hold('plateau: improving'));
  });

  it('with fixed means "not before round N, and then on a plateau"', async () => {
    const plugin = await loadPolicy('all:fixed,plateau');
    const policy = plugin.create({ at: 20, patience: 3 }, context());
    // Accuracy is flat from round 5 on: plateau alone would shift after round 8.
    const run = await followDecisions(policy, context(), 30, (round) => ({ accuracy: 0.1 * Math.min(round, 5) }));
    expect(run.shiftsAfter).toEqual([20]);
  });
});
