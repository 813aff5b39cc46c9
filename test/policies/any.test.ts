import { describe, expect, it } from 'vitest';
import any from '../../policies/any.js';
import { combinePolicies } from '../../src/policy/combinator.js';
import { hold, shift } from '../../src/policy/decision.js';
import type { Policy } from '../../src/policy/policy.js';
import { loadPolicy } from '../../src/policy/load-policy.js';
import { followDecisions } from '../policy/follow-decisions.js';
import { context, makeRecords, threeGears } from '../policy/records.js';

const answering = (action: 'hold' | 'shift', reason: string): Policy => ({ decide: () => (action === 'hold' ? hold(reason) : shift(reason)) });
const history = makeRecords([0.5]);

describe('the any combinator', () => {
  it('shifts when one of its policies shifts, with that policy named in the reason', () => {
    const policy = combinePolicies(any, { plateau: answering('hold', 'still improving'), budget: answering('shift', 'budget nearly spent') });
    expect(policy.decide(history, context())).toEqual(shift('budget: budget nearly spent'));
  });

  it('holds when none shifts, giving every reason', () => {
    const policy = combinePolicies(any, { plateau: answering('hold', 'improving'), budget: answering('hold', 'plenty left') });
    expect(policy.decide(history, context())).toEqual(hold('plateau: improving; budget: plenty left'));
  });

  it('combines built-ins from the command line, each taking its own options', async () => {
    const plugin = await loadPolicy('any:fixed,budget');
    const ladder = threeGears;
    const policy = plugin.create({ at: 30, budgetRounds: 50, largeRounds: 10 }, context({ ladder }));
    // budget alone would shift after 30 and 40; fixed alone after 30 and 60.
    const run = await followDecisions(policy, context({ ladder }), 60, () => ({ accuracy: 0.5 }));
    expect(run.shiftsAfter).toEqual([30, 40]);
    expect(run.decisions[29]!.reason).toBe(
      'fixed: tiny has trained 30 rounds (fixed schedule: 30 per gear); budget: 20 rounds of 50 rounds left, within the 20 rounds kept for 10 rounds of each larger gear',
    );
  });
});
