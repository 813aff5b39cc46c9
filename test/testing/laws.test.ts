import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PolicyPlugin } from '../../src/policy/plugin.js';
import { checkLaws, LawError } from '../../src/testing/check-laws.js';
import type { Law } from '../../src/testing/law.js';
import {
  causal,
  deterministic,
  holdsOnIncompleteRecords,
  monotoneIn,
  neverOverspends,
  noShiftBeforeWarmup,
  oneShiftPerGear,
  shiftsOnFlatSignal,
  universalLaws,
} from '../../src/testing/laws.js';
import { coinFlip, intervalChecks, nanPlateau, ninetyPercentBudget, peeksAhead, runWideWarmup, strictPlateau, wholeHistoryPlateau } from './bad-policies.js';

/** The failure checkLaws reports for a policy checked against `law` alone. */
async function failureOf(plugin: PolicyPlugin, law: Law): Promise<LawError> {
  const error = await checkLaws(plugin, {}, { laws: [law] }).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(LawError);
  const failures = (error as LawError).failures;
  expect(failures.map((failure) => failure.law)).toEqual([law]);
  return error as LawError;
}

describe('each law catches the mistake it is about', () => {
  it('deterministic catches a policy that shifts at random', async () => {
    const error = await failureOf(coinFlip, deterministic);
    expect(error.message).toMatch(/^coin-flip \{\} must satisfy the law "deterministic" \(.*\), but after round \d+ it decided (shift \("heads"\)|hold \("tails"\)) the first time/);
  });

  it('causal catches a policy that remembers the future of a run it has seen', async () => {
    const error = await failureOf(peeksAhead, causal);
    expect(error.message).toMatch(/but after round \d+ it decided .* on one run and .* on a run with the same first \d+ rounds, which differs only from round \d+ on\./);
  });

  it('oneShiftPerGear catches a plateau rule over the whole history, which shifts the run up the ladder on one plateau', async () => {
    const error = await failureOf(wholeHistoryPlateau, oneShiftPerGear);
    expect(error.message).toMatch(/it decided hold \(".*"\), and shift \(".*"\) once the rounds before round \d+, where \w+ started, measured other validation metrics\.|it decided shift \(".*"\), and hold \(".*"\) once the rounds before round \d+, where \w+ started, measured other validation metrics\./);
  });

  it('holdsOnIncompleteRecords catches a policy that shifts after a diverged round', async () => {
    const error = await failureOf(nanPlateau, holdsOnIncompleteRecords);
    expect(error.message).toMatch(/but after round \d+, whose validation is accuracy \S+, loss \S+, it decided shift \("accuracy did not beat the best"\)\./);
  });

  it('noShiftBeforeWarmup catches a warm-up counted from the start of the run instead of each gear', async () => {
    const error = await failureOf(runWideWarmup, noShiftBeforeWarmup({ option: 'warmup' }));
    expect(error.message).toMatch(/but with warmup (\d+) it shifted after round \d+, when (small|large) had trained only \d+ rounds?\./);
  });

  it('shiftsOnFlatSignal catches a plateau rule that takes an unchanged value for an improvement', async () => {
    const error = await failureOf(strictPlateau, shiftsOnFlatSignal({ within: ({ patience }) => Number(patience) + 1 }));
    expect(error.message).toMatch(/but on a flat signal \(validation accuracy \S+, loss \S+ every round\) it held after round 4, the 4th round of \w+, beyond the declared 4: hold \("0 of 3 rounds below the best"\)\./);
  });

  it('neverOverspends catches a budget rule that ignores what the next gear costs', async () => {
    const error = await failureOf(ninetyPercentBudget, neverOverspends({ option: 'budgetMb', unit: 'MB' }));
    expect(error.message).toMatch(/but with budgetMb \S+ it shifted after round \d+, having spent \S+ MB, and the first round of \w+ took the run to \S+ MB\./);
  });

  it('monotoneIn catches an option declared monotone that is not', async () => {
    const error = await failureOf(intervalChecks, monotoneIn({ option: 'interval', larger: 'no-earlier', values: fc.integer({ min: 1, max: 10 }) }));
    expect(error.message).toMatch(/but with interval (\d+) it (first shifted after round \d+|never shifted), and with interval (\d+) it first shifted after round \d+\./);
  });

  it('leaves policies alone where their mistake does not matter: the diverged-round rule is deterministic, causal and shifts once per plateau', async () => {
    await checkLaws(nanPlateau, {}, { laws: universalLaws.filter((law) => law !== holdsOnIncompleteRecords) });
  });
});
