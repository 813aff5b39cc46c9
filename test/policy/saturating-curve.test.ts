import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitSaturatingCurve, predict } from '../../src/policy/saturating-curve.js';

const curvePoints = (ceiling: number, gap: number, rate: number, rounds: number) =>
  Array.from({ length: rounds }, (_, index): [number, number] => [index + 1, ceiling - gap * Math.exp(-rate * (index + 1))]);

describe('fitSaturatingCurve', () => {
  it('recovers a noiseless curve: its ceiling and its later values', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.3, max: 0.95, noNaN: true }), fc.double({ min: 0.1, max: 0.3, noNaN: true }), fc.double({ min: 0.1, max: 1, noNaN: true }), (ceiling, gap, rate) => {
        const curve = fitSaturatingCurve(curvePoints(ceiling, gap, rate, 12))!;
        expect(curve.ceiling).toBeCloseTo(ceiling, 2);
        expect(predict(curve, 30)).toBeCloseTo(ceiling - gap * Math.exp(-rate * 30), 2);
        expect(curve.residual).toBeLessThan(2e-3);
      }),
    );
  });

  it('fits a flat or falling curve as saturated at its mean', () => {
    const flat = fitSaturatingCurve([[1, 0.4], [2, 0.4], [3, 0.4]])!;
    expect(flat.ceiling).toBeCloseTo(0.4, 12);
    expect(predict(flat, 50)).toBeCloseTo(0.4, 12);
    const falling = fitSaturatingCurve([[1, 0.5], [2, 0.45], [3, 0.4]])!;
    expect(falling.ceiling).toBeCloseTo(0.45, 12);
    expect(falling.gap).toBe(0);
  });

  it('never projects above the cap, even for a curve still rising in a straight line', () => {
    const curve = fitSaturatingCurve(Array.from({ length: 6 }, (_, index): [number, number] => [index + 1, 0.5 + 0.09 * index]), { minRate: 0.01 })!;
    expect(curve.ceiling).toBeLessThanOrEqual(1);
    expect(predict(curve, 100)).toBeLessThanOrEqual(1);
  });

  it('needs 3 finite points, and ignores the others', () => {
    expect(fitSaturatingCurve([[1, 0.1], [2, 0.2]])).toBeUndefined();
    expect(fitSaturatingCurve([[1, 0.1], [2, NaN], [3, 0.2]])).toBeUndefined();
    expect(fitSaturatingCurve([[1, 0.2], [2, NaN], [3, 0.3], [4, 0.35]])).toBeDefined();
  });

  it('refuses rates that are not 0 < minRate <= maxRate', () => {
    expect(() => fitSaturatingCurve([[1, 0.1]], { minRate: 0 })).toThrow('the rates must satisfy 0 < minRate <= maxRate, but got 0 and 3.');
  });
});
