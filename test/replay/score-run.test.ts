import { describe, expect, it } from 'vitest';
import type { RoundRecord } from '../../src/metrics/round-record.js';
import { scoreRun } from '../../src/replay/score-run.js';

/** Rounds with these test accuracies and round seconds; each round moves 1 MB each way. */
function run(accuracies: readonly number[], seconds: readonly number[]): RoundRecord[] {
  let total = 0;
  return accuracies.map((accuracy, index) => {
    total += seconds[index]!;
    const round = index + 1;
    return {
      round,
      gear: 0,
      gearName: 'small',
      parameters: 10,
      // Validation is deliberately different: scores read the test set only.
      validation: { accuracy: 1 - accuracy, loss: 1 },
      test: { accuracy, loss: 1 },
      bytes: { sent: 1e6, received: 1e6, sentTotal: 1e6 * round, receivedTotal: 1e6 * round },
      seconds: { training: seconds[index]!, aggregation: 0, distillation: 0, evaluation: 0, round: seconds[index]!, total },
    };
  });
}

// Cumulative seconds 1, 2, 4, 6, 9; cumulative MB 2, 4, 6, 8, 10.
const rounds = run([0.2, 0.4, 0.55, 0.5, 0.65], [1, 1, 2, 2, 3]);

describe('scoreRun', () => {
  it('reads max (first round reaching it) and final test accuracy, total seconds and MB', () => {
    const score = scoreRun(run([0.2, 0.6, 0.6, 0.5], [1, 1, 1, 1]), { referenceMax: 0.65 });
    expect(score).toMatchObject({ rounds: 4, maxAccuracy: 0.6, maxAccuracyRound: 2, finalAccuracy: 0.5, seconds: 4, megabytes: 8 });
  });

  it('times the first round reaching 60/70/80/90% of the reference, in seconds and MB (sent + received, 10^6 bytes)', () => {
    const score = scoreRun(rounds, { referenceMax: 0.65 });
    // Targets 0.39, 0.455, 0.52, 0.585: first reached in rounds 2, 3, 3, 5.
    expect(score.toFraction.map(({ fraction, round, seconds, megabytes }) => [fraction, round, seconds, megabytes])).toEqual([
      [0.6, 2, 2, 4],
      [0.7, 3, 4, 6],
      [0.8, 3, 4, 6],
      [0.9, 5, 9, 10],
    ]);
  });

  it('gives null for a fraction never reached', () => {
    const [milestone] = scoreRun(rounds, { referenceMax: 0.65, fractions: [1.1] }).toFraction;
    expect(milestone).toEqual({ fraction: 1.1, accuracy: 1.1 * 0.65, round: null, seconds: null, megabytes: null });
  });

  it('counts an accuracy equal to fraction x reference as reached despite floating point (0.9 x 0.65 = 0.5850000000000001)', () => {
    const [milestone] = scoreRun(run([0.5, 0.585], [1, 1]), { referenceMax: 0.65, fractions: [0.9] }).toFraction;
    expect(milestone!.round).toBe(2);
  });

  it('times absolute thresholds', () => {
    const score = scoreRun(rounds, { referenceMax: 0.65, thresholds: [0.5, 0.7] });
    expect(score.toThreshold).toEqual([
      { accuracy: 0.5, round: 3, seconds: 4, megabytes: 6 },
      { accuracy: 0.7, round: null, seconds: null, megabytes: null },
    ]);
  });

  it('reads the best accuracy reached within each traffic budget, null when even round 1 is over it', () => {
    const score = scoreRun(rounds, { referenceMax: 0.65, budgetsMb: [5, 8, 1] });
    expect(score.atBudget).toEqual([
      { megabytes: 5, accuracy: 0.4, round: 2 },
      { megabytes: 8, accuracy: 0.55, round: 3 },
      { megabytes: 1, accuracy: null, round: null },
    ]);
  });

  it('reads the best accuracy reached within each time budget, null when even round 1 took longer', () => {
    const seconds = rounds.map((record) => record.seconds.total);
    const score = scoreRun(rounds, { referenceMax: 0.65, budgetsSeconds: [seconds[1]!, seconds[1]! - 1e-9, seconds[0]! / 2] });
    expect(score.atSeconds).toEqual([
      { seconds: seconds[1]!, accuracy: 0.4, round: 2 },
      { seconds: seconds[1]! - 1e-9, accuracy: rounds[0]!.test.accuracy, round: 1 },
      { seconds: seconds[0]! / 2, accuracy: null, round: null },
    ]);
    expect(() => scoreRun(rounds, { referenceMax: 0.6, budgetsSeconds: [0] })).toThrow('every time budget must be a number of seconds > 0, but got 0.');
  });

  it('refuses a reference that is not an accuracy in (0, 1]', () => {
    expect(() => scoreRun(rounds, { referenceMax: 0 })).toThrow('referenceMax must be an accuracy in (0, 1], but got 0.');
    expect(() => scoreRun(rounds, { referenceMax: 65 })).toThrow('referenceMax must be an accuracy in (0, 1], but got 65.');
  });

  it('refuses fractions, thresholds and budgets out of range', () => {
    expect(() => scoreRun(rounds, { referenceMax: 0.6, fractions: [0] })).toThrow('every fraction must be a number > 0, but got 0.');
    expect(() => scoreRun(rounds, { referenceMax: 0.6, thresholds: [1.5] })).toThrow('every threshold must be an accuracy in (0, 1], but got 1.5.');
    expect(() => scoreRun(rounds, { referenceMax: 0.6, budgetsMb: [-1] })).toThrow('every budget must be a number of MB > 0, but got -1.');
  });

  it('refuses an empty run', () => {
    expect(() => scoreRun([], { referenceMax: 0.6 })).toThrow('rounds must hold at least one round record, but got none.');
  });
});
