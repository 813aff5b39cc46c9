import { describe, expect, it } from 'vitest';
import type { RunScore } from '../../src/replay/score-run.js';
import { compareScores, formatObjectiveValue, formatRegret, parseObjective, scoreOptionsFor } from '../../src/replay/objective.js';

function score(overrides: Partial<RunScore> = {}): RunScore {
  return {
    rounds: 10,
    referenceMax: 0.6,
    maxAccuracy: 0.58,
    maxAccuracyRound: 9,
    finalAccuracy: 0.57,
    seconds: 100,
    megabytes: 50,
    toFraction: [
      { fraction: 0.9, accuracy: 0.54, round: 7, seconds: 70, megabytes: 30 },
      { fraction: 0.95, accuracy: 0.57, round: null, seconds: null, megabytes: null },
    ],
    toThreshold: [],
    atBudget: [
      { megabytes: 20, accuracy: 0.4, round: 4 },
      { megabytes: 1, accuracy: null, round: null },
    ],
    atSeconds: [
      { seconds: 60, accuracy: 0.5, round: 6 },
      { seconds: 2, accuracy: null, round: null },
    ],
    ...overrides,
  };
}

describe('parseObjective', () => {
  it('reads accuracy-at-seconds:S as the best accuracy within S seconds, negated; +Infinity when the first round took longer', () => {
    expect(parseObjective('accuracy-at-seconds:60').value(score())).toBe(-0.5);
    expect(parseObjective('accuracy-at-seconds:2').value(score())).toBe(Infinity);
    expect(parseObjective('accuracy-at-seconds:60').budgetsSeconds).toEqual([60]);
    expect(() => parseObjective('accuracy-at-seconds:30').value(score())).toThrow(/must read accuracy at 30 s/);
  });

  it('refuses a time budget that is not a positive number of seconds', () => {
    expect(() => parseObjective('accuracy-at-seconds:0')).toThrow(
      "the budget of accuracy-at-seconds must be a number of seconds > 0 (e.g. accuracy-at-seconds:600), but got 'accuracy-at-seconds:0'.",
    );
    expect(() => parseObjective('accuracy-at-seconds')).toThrow(/must be a number of seconds > 0/);
  });

  it('reads time-to:F as the seconds to F x reference, +Infinity when never reached', () => {
    expect(parseObjective('time-to:0.9').value(score())).toBe(70);
    expect(parseObjective('time-to:0.95').value(score())).toBe(Infinity);
  });

  it('reads mb-to:F as the MB to F x reference', () => {
    expect(parseObjective('mb-to:0.9').value(score())).toBe(30);
  });

  it('reads max-accuracy negated, so that smaller is better', () => {
    expect(parseObjective('max-accuracy').value(score())).toBe(-0.58);
  });

  it('reads accuracy-at-mb:M as the best accuracy within M MB, negated; +Infinity when nothing fits', () => {
    expect(parseObjective('accuracy-at-mb:20').value(score())).toBe(-0.4);
    expect(parseObjective('accuracy-at-mb:1').value(score())).toBe(Infinity);
  });

  it('asks the score for what it reads', () => {
    expect(scoreOptionsFor(parseObjective('time-to:0.95'), { referenceMax: 0.6 }).fractions).toEqual([0.6, 0.7, 0.8, 0.9, 0.95]);
    expect(scoreOptionsFor(parseObjective('time-to:0.9'), { referenceMax: 0.6 }).fractions).toEqual([0.6, 0.7, 0.8, 0.9]);
    expect(scoreOptionsFor(parseObjective('accuracy-at-mb:300'), { referenceMax: 0.6, budgetsMb: [100] }).budgetsMb).toEqual([100, 300]);
  });

  it('refuses a score that does not measure what it reads', () => {
    expect(() => parseObjective('time-to:0.8').value(score())).toThrow('the score must time fraction 0.8 for objective time-to:0.8, but it times 0.9, 0.95.');
  });

  it('refuses unknown objectives and bad arguments', () => {
    expect(() => parseObjective('fastest')).toThrow("the objective must be one of max-accuracy, time-to:<fraction>, mb-to:<fraction>, accuracy-at-mb:<MB> or accuracy-at-seconds:<seconds>, but got 'fastest'.");
    expect(() => parseObjective('time-to')).toThrow("the fraction of time-to must be a number > 0 (e.g. time-to:0.9), but got 'time-to'.");
    expect(() => parseObjective('mb-to:0')).toThrow("the fraction of mb-to must be a number > 0 (e.g. mb-to:0.9), but got 'mb-to:0'.");
    expect(() => parseObjective('accuracy-at-mb:x')).toThrow("the budget of accuracy-at-mb must be a number of MB > 0 (e.g. accuracy-at-mb:300), but got 'accuracy-at-mb:x'.");
    expect(() => parseObjective('max-accuracy:1')).toThrow("max-accuracy must be given without an argument, but got 'max-accuracy:1'.");
  });
});

describe('compareScores', () => {
  const objective = parseObjective('time-to:0.95');

  it('ranks a reached value before never reached', () => {
    const reached = score({ toFraction: [{ fraction: 0.95, accuracy: 0.57, round: 9, seconds: 90, megabytes: 40 }] });
    expect(compareScores(objective, reached, score())).toBeLessThan(0);
    expect(compareScores(objective, score(), reached)).toBeGreaterThan(0);
  });

  it('breaks ties, never reached included, by the higher max accuracy, and leaves full ties at 0', () => {
    expect(compareScores(objective, score({ maxAccuracy: 0.56 }), score({ maxAccuracy: 0.5 }))).toBeLessThan(0);
    expect(compareScores(objective, score(), score())).toBe(0);
  });
});

describe('formatting', () => {
  it('shows values and regrets in the unit of the objective', () => {
    expect(formatObjectiveValue(parseObjective('time-to:0.9'), 812.4)).toBe('812 s');
    expect(formatObjectiveValue(parseObjective('mb-to:0.9'), 4.8)).toBe('4.8 MB');
    expect(formatObjectiveValue(parseObjective('max-accuracy'), -0.642)).toBe('64.2%');
    expect(formatObjectiveValue(parseObjective('time-to:0.9'), Infinity)).toBe('never');
    expect(formatRegret(parseObjective('max-accuracy'), 0.012)).toBe('1.2 pts');
  });
});
