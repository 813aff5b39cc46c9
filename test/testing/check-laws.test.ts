import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import fixed from '../../policies/fixed.js';
import never from '../../policies/never.js';
import plateau from '../../policies/plateau.js';
import { hold, shift } from '../../src/policy/decision.js';
import { checkLaws, LawError } from '../../src/testing/check-laws.js';
import { formatRounds } from '../../src/testing/format-rounds.js';
import { lawProperty, LawViolation, policySubject, type Law, type PolicyFactory } from '../../src/testing/law.js';
import { causal, deterministic, holdsOnIncompleteRecords, noShiftBeforeWarmup } from '../../src/testing/laws.js';
import { isIncompleteRecord } from '../../src/policy/incomplete-record.js';
import { coinFlip } from './bad-policies.js';

/** Shifts after round 5 of every gear, even a round whose validation metrics are broken. */
const atFive: PolicyFactory = () => ({ decide: (history) => (history.length === 5 ? shift('round 5') : hold('not round 5')) });

/** Throws at round 3. */
const throwsAtThree: PolicyFactory = () => ({
  decide(history) {
    if (history.length === 3) throw new Error('no third round');
    return hold('fine');
  },
});

async function lawError(run: Promise<void>): Promise<LawError> {
  const error = await run.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(LawError);
  return error as LawError;
}

describe('checkLaws', () => {
  it('resolves when every law holds', async () => {
    await expect(checkLaws(never)).resolves.toBeUndefined();
  });

  it('names the policy, the law and its statement, and what the policy decided on which round', async () => {
    const error = await lawError(checkLaws(atFive, {}, { laws: [holdsOnIncompleteRecords] }));
    const [first] = error.message.split('\n');
    expect(first).toMatch(
      /^atFive \{\} must satisfy the law "holdsOnIncompleteRecords" \(the policy holds after every round whose validation accuracy or loss is NaN, infinite or missing\), but after round 5, whose validation is accuracy \S+, loss \S+, it decided shift \("round 5"\)\.$/,
    );
  });

  it('shows the rounds up to the failure with the decisions taken, marking the failing round', async () => {
    const error = await lawError(checkLaws(atFive, {}, { laws: [holdsOnIncompleteRecords] }));
    const lines = error.message.split('\n');
    expect(lines[1]).toBe('the run:');
    expect(lines[2]).toMatch(/round\s+gear\s+val acc\s+val loss\s+MB total\s+s total\s+decision/);
    expect(lines.find((line) => line.startsWith('>'))).toMatch(/^> +5 +0 \w+ .* shift: round 5$/);
    // The shortest run has 10 rounds: the table shows the rounds up to the failure and two after it.
    expect(lines.filter((line) => /^[ >] +\d+ /.test(line)).map((line) => Number(line.slice(1, 7)))).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('tells how to replay the counterexample, and replaying it gives the same failure', async () => {
    const error = await lawError(checkLaws(atFive, {}, { laws: [holdsOnIncompleteRecords] }));
    expect(error.message.split('\n').at(-1)).toMatch(/^Found by fast-check after \d+ runs?, shrunk \d+ times?; replay it with \{ laws: \[holdsOnIncompleteRecords\], seed: -?\d+, path: "[\d:]+" \}\.$/);
    const [failure] = error.failures;
    const again = await lawError(checkLaws(atFive, {}, { laws: [holdsOnIncompleteRecords], seed: failure!.seed, path: failure!.path! }));
    expect(again.failures[0]!.violation).toEqual(failure!.violation);
  });

  it('reports every broken law, not just the first', async () => {
    const error = await lawError(checkLaws(coinFlip, {}, { laws: [deterministic, holdsOnIncompleteRecords, causal] }));
    expect(error.failures.map((failure) => failure.law.name)).toEqual(['deterministic', 'holdsOnIncompleteRecords', 'causal']);
    expect(error.message).toMatch(/^3 laws are broken\.\n\ncoin-flip \{\} must satisfy the law "deterministic"/);
  });

  it('reports a policy that throws as a broken contract, naming the round', async () => {
    const error = await lawError(checkLaws(throwsAtThree, {}, { laws: [deterministic] }));
    const first = error.message.split('\n')[0]!;
    expect(first.startsWith(
      'throwsAtThree {} must satisfy the law "deterministic" (the same records give the same decisions, replayed twice with one policy object and once with a fresh create), ' +
        'but it broke the policy contract: policy "throwsAtThree {}" failed at round 3: it threw no third round, ',
    )).toBe(true);
    expect(first).toMatch(/, at Object\.decide \(.*check-laws\.test\.(ts|js):\d+:\d+\)\.$/);
  });

  it('reports a broken contract once, with the frame of the plugin that threw, not once per law', async () => {
    const error = await lawError(checkLaws(throwsAtThree, {}, { laws: [deterministic, causal, holdsOnIncompleteRecords] }));
    expect(error.failures.map((failure) => failure.law.name)).toEqual(['deterministic']);
    expect(error.message).toMatch(/it threw no third round, at Object\.decide \(.*check-laws\.test\.(ts|js):\d+:\d+\)\.\n/);
    expect(error.message).toContain('The other laws (causal, holdsOnIncompleteRecords) were not checked: a policy that breaks the contract cannot be judged by them.');
  });

  it('ends a contract message with one full stop', async () => {
    const answersNumbers: PolicyFactory = () => ({ decide: () => 42 as never });
    const error = await lawError(checkLaws(answersNumbers, {}, { laws: [deterministic] }));
    expect(error.message.split('\n')[0]).toMatch(/: decide must return \{ action: "hold" \| "shift", reason: string \}, but got 42\.$/);
  });

  it('names a plugin with the options actually used, defaults included', async () => {
    expect(policySubject(plateau, { patience: 3 }).label).toBe(
      'plateau {"monitor":"validation-accuracy","mode":"auto","minDelta":0.01,"thresholdMode":"abs","patience":3,"warmup":0,"detector":"best"}',
    );
    const error = await lawError(checkLaws(fixed, { fraction: 0.01 }, { laws: [deterministic] }));
    expect(error.message.startsWith('fixed {"fraction":0.01} must satisfy')).toBe(true);
  });

  it('gives a replay snippet for a declared law that pastes into laws and replays the same failure', async () => {
    const error = await lawError(checkLaws(atFive, {}, { laws: [noShiftBeforeWarmup({ option: 'warmup' })] }));
    const snippet = /replay it with \{ laws: \[(.*)\], seed: (-?\d+), path: "([\d:]+)" \}\.$/.exec(error.message)!;
    expect(snippet[1]).toBe("noShiftBeforeWarmup({ option: 'warmup' })");
    const laws = new Function('noShiftBeforeWarmup', `return [${snippet[1]}];`)(noShiftBeforeWarmup) as Law[];
    // Shrinking is cut short by time, so the replay may shrink further: the same law breaks again.
    const again = await lawError(checkLaws(atFive, {}, { laws, seed: Number(snippet[2]), path: snippet[3]! }));
    expect(again.failures.map((failure) => failure.law.declaration)).toEqual(["noShiftBeforeWarmup({ option: 'warmup' })"]);
  });

  it('reports a plugin whose create refuses a generated run', async () => {
    const error = await lawError(checkLaws(fixed, { fraction: 0.01 }, { laws: [deterministic] }));
    expect(error.message.split('\n')[0]).toMatch(
      /but create threw for a run of \d+ planned rounds on (small -> large|tiny -> small -> large): fixed: fraction x planned rounds must be at least 1 round, but got 0.01 x \d+ = [\d.]+\.$/,
    );
  });

  it('validates the options against the plugin schema before running any law', async () => {
    await expect(checkLaws(fixed, { at: 0 })).rejects.toThrow('fixed: at must be an integer >= 1, but got 0.');
  });

  it('refuses a number of runs that is not a positive integer', async () => {
    await expect(checkLaws(never, {}, { numRuns: 0 })).rejects.toThrow('numRuns must be an integer >= 1, but got 0.');
  });

  it('refuses an empty list of laws', async () => {
    await expect(checkLaws(never, {}, { laws: [] })).rejects.toThrow('laws must be at least one law, but got none.');
  });
});

describe('lawProperty', () => {
  it('gives the law as a fast-check property, for fc.assert', async () => {
    await fc.assert(lawProperty(causal, fixed, { at: 4 }), { numRuns: 20 });
    const error = await fc.assert(lawProperty(holdsOnIncompleteRecords, atFive), { numRuns: 50 }).catch((caught: unknown) => caught);
    expect((error as Error).cause).toBeInstanceOf(LawViolation);
    expect(((error as Error).cause as LawViolation).message).toMatch(/it decided shift \("round 5"\)\.$/);
  });
});

describe('formatRounds', () => {
  it('shows missing and non-finite metrics as such', () => {
    const record = {
      round: 1,
      gear: 0,
      gearName: 'small',
      parameters: 10,
      validation: { loss: Number.NaN } as never,
      bytes: { sent: 1e6, received: 1e6, sentTotal: 1e6, receivedTotal: 1e6 },
      seconds: { training: 1, aggregation: 0, distillation: 0, evaluation: 0, round: 1, total: 1 },
    };
    expect(isIncompleteRecord(record)).toBe(true);
    expect(formatRounds({ title: 'one round', records: [record], decisions: [hold('broken')] }, 1).split('\n')[2]).toBe(
      '>     1  0 small     missing       NaN        2.0       1.0  hold: broken',
    );
  });
});
