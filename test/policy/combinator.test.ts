import { describe, expect, it } from 'vitest';
import { combinePolicies, defineCombinator } from '../../src/policy/combinator.js';
import { hold, shift, type Decision } from '../../src/policy/decision.js';
import type { Policy } from '../../src/policy/policy.js';
import { context, makeRecords } from './records.js';

const first = defineCombinator({ name: 'first', description: 'The first answer.', combine: (decisions) => decisions[0]!.decision });
const history = makeRecords([0.5]);

describe('combinePolicies', () => {
  it('asks every policy with the same history and context', () => {
    const seen: unknown[] = [];
    const spy: Policy = { decide: (h, c) => (seen.push([h, c]), hold()) };
    combinePolicies(first, { a: spy, b: spy }).decide(history, context());
    expect(seen).toEqual([
      [history, context()],
      [history, context()],
    ]);
  });

  it('answers synchronously when every policy does, and with a promise when one is asynchronous', async () => {
    const sync: Policy = { decide: () => shift('now') };
    const async: Policy = { decide: async () => hold('later') };
    expect(combinePolicies(first, { sync, again: sync }).decide(history, context())).toEqual(shift('now'));
    const answer = combinePolicies(first, { async, sync }).decide(history, context());
    expect(answer).toBeInstanceOf(Promise);
    expect(await answer).toEqual(hold('later'));
  });

  it('refuses an inner answer that is not a decision, naming the inner policy', () => {
    const broken: Policy = { decide: () => ({ action: 'maybe' }) as unknown as Decision };
    expect(() => combinePolicies(first, { broken }).decide(history, context())).toThrow(
      'broken: decide must return { action: "hold" | "shift", reason: string }, but got {"action":"maybe"}.',
    );
  });

  it('refuses to combine nothing', () => {
    expect(() => combinePolicies(first, {})).toThrow('first: policies must be at least one, but got none.');
  });
});
