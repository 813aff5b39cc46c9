import { describe, expect, it } from 'vitest';
import fittingRisk from '../../policies/fitting-risk.js';
import type { Decision } from '../../src/policy/decision.js';
import { validateOptions } from '../../src/policy/options-schema.js';
import { context, makeRecords, type Step } from '../policy/records.js';

const policy = (raw: Record<string, unknown> = {}) => fittingRisk.create(validateOptions('fitting-risk', fittingRisk.options, raw), context());
const decide = (steps: readonly Step[], raw: Record<string, unknown> = {}) => policy(raw).decide(makeRecords(steps), context()) as Decision;

/** Validation accuracy rising by `slope` per round, training accuracy `gap` above it. */
const rounds = (count: number, slope: number, gap?: number): Step[] =>
  Array.from({ length: count }, (_, index) => {
    const accuracy = 0.4 + slope * index;
    return gap === undefined ? { accuracy } : { accuracy, training: accuracy + gap };
  });

describe('the fitting-risk policy', () => {
  it('grows an underfitting model once its progress drops below min-gain', () => {
    expect(decide(rounds(5, 0.003, 0.01)).action).toBe('shift');
    expect(decide(rounds(5, 0.003, 0.01)).reason).toMatch(/^underfitting: training accuracy 1 points above validation \(at most 5\); validation accuracy \+0\.3 points per round over the last 4 rounds, below 0\.5: growing$/);
    expect(decide(rounds(5, 0.008, 0.01)).action).toBe('hold');
  });

  it('waits longer for an overfitting model: the same progress holds when training accuracy runs far ahead', () => {
    // Gap 0.2 = 4 x underfitGap: the threshold falls to 0.5 / 4 = 0.125 points per round.
    expect(decide(rounds(5, 0.003, 0.2)).action).toBe('hold');
    expect(decide(rounds(5, 0.003, 0.2)).reason).toMatch(/^overfitting: training accuracy 20 points above validation \(over 5\)/);
    expect(decide(rounds(5, 0.001, 0.2)).action).toBe('shift');
  });

  it('without training metrics (version-1 files, other trainers) judges progress against min-gain alone, and says so', () => {
    const decision = decide(rounds(5, 0.003));
    expect(decision.action).toBe('shift');
    expect(decision.reason).toMatch(/^no training metrics, fitting risk unknown; /);
    expect(decide(rounds(5, 0.008)).action).toBe('hold');
  });

  it('holds during warm-up and on a broken measurement', () => {
    expect(decide(rounds(2, 0, 0)).reason).toBe('warm-up: round 2 of 3 of small');
    expect(decide([...rounds(4, 0, 0), { accuracy: NaN }]).reason).toBe('round 5 has incomplete validation metrics: no decision on a broken measurement');
  });

  it('refuses options out of range, naming the option', () => {
    expect(() => validateOptions('fitting-risk', fittingRisk.options, { underfitGap: 0 })).toThrow(/fitting-risk: underfitGap must be/);
    expect(() => validateOptions('fitting-risk', fittingRisk.options, { window: 1 })).toThrow(/fitting-risk: window must be an integer >= 2, but got 1/);
    expect(() => validateOptions('fitting-risk', fittingRisk.options, { minGain: -0.1 })).toThrow(/fitting-risk: minGain must be/);
  });
});
