import { firstValueFrom, from, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { decideGears } from '../../src/policy/decide-gears.js';
import { PolicyError } from '../../src/policy/policy-error.js';
import { hold, shift, type Decision } from '../../src/policy/decision.js';
import type { Policy } from '../../src/policy/policy.js';
import { context, makeRecords, threeGears } from './records.js';

const options = { label: 'my-plugin', timeoutMs: 200 };

async function decisions(policy: Policy, steps: Parameters<typeof makeRecords>[0], ladder = threeGears): Promise<Decision[]> {
  return lastValueFrom(from(makeRecords(steps, ladder)).pipe(decideGears(policy, context({ ladder }), options), toArray()));
}

async function failure(policy: Policy): Promise<unknown> {
  return lastValueFrom(from(makeRecords([0.1, 0.2, 0.3], threeGears)).pipe(decideGears(policy, context({ ladder: threeGears }), options))).catch(
    (error: unknown) => error,
  );
}

describe('decideGears', () => {
  it('answers once per record, in order, with what the policy decided', async () => {
    const policy: Policy = { decide: (history) => (history.length === 2 ? shift('second round') : hold(`round ${history.length}`)) };
    expect(await decisions(policy, [0.1, 0.2, 0.3])).toEqual([hold('round 1'), shift('second round'), hold('round 3')]);
  });

  it('gives the policy the whole history so far, the latest record last', async () => {
    const seen: number[][] = [];
    const policy: Policy = { decide: (history) => (seen.push(history.map((record) => record.round)), hold()) };
    await decisions(policy, [0.1, 0.2, 0.3]);
    expect(seen).toEqual([[1], [1, 2], [1, 2, 3]]);
  });

  it('waits for policies that answer asynchronously', async () => {
    const policy: Policy = { decide: async (history) => (history.length === 3 ? shift('later') : hold()) };
    expect((await decisions(policy, [0.1, 0.2, 0.3])).map((decision) => decision.action)).toEqual(['hold', 'hold', 'shift']);
  });

  it('holds at the top gear without asking the policy', async () => {
    let asked = 0;
    const policy: Policy = { decide: () => ((asked += 1), shift('always')) };
    const answers = await decisions(policy, [{ accuracy: 0.1, gear: 1 }, { accuracy: 0.2, gear: 2 }]);
    expect(answers).toEqual([shift('always'), hold('top gear reached')]);
    expect(asked).toBe(1);
  });

  describe('stops the run with a PolicyError naming the plugin and the round when the policy', () => {
    it('throws', async () => {
      const error = await failure({ decide: (history) => (history.length === 2 ? (() => { throw new Error('boom'); })() : hold()) });
      expect(error).toBeInstanceOf(PolicyError);
      expect(error).toMatchObject({ label: 'my-plugin', round: 2 });
      expect((error as Error).message).toBe('policy "my-plugin" failed at round 2: it threw boom');
    });

    it('returns something that is not a decision', async () => {
      const error = await failure({ decide: () => ({ action: 'grow', reason: 'why not' }) as unknown as Decision });
      expect(error).toBeInstanceOf(PolicyError);
      expect((error as Error).message).toBe(
        'policy "my-plugin" failed at round 1: decide must return { action: "hold" | "shift", reason: string }, but got {"action":"grow","reason":"why not"}.',
      );
    });

    it('returns nothing', async () => {
      const error = await failure({ decide: () => undefined as unknown as Decision });
      expect((error as Error).message).toContain('failed at round 1: decide must return { action: "hold" | "shift", reason: string }, but got undefined.');
    });

    it('never answers', async () => {
      const error = await failure({ decide: () => new Promise<Decision>(() => {}) });
      expect(error).toBeInstanceOf(PolicyError);
      expect((error as Error).message).toBe('policy "my-plugin" failed at round 1: no decision within 200 ms');
    });
  });

  it('is deterministic: the same records give the same decisions', async () => {
    const policy: Policy = { decide: (history) => (history.at(-1)!.validation.accuracy > 0.25 ? shift('above 25%') : hold('below 25%')) };
    const steps = [0.1, 0.3, 0.2, 0.4];
    expect(await decisions(policy, steps)).toEqual(await decisions(policy, steps));
    expect(await firstValueFrom(from(makeRecords([0.3], threeGears)).pipe(decideGears(policy, context({ ladder: threeGears }), options)))).toEqual(
      shift('above 25%'),
    );
  });
});
