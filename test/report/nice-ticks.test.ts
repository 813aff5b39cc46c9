import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { niceTicks } from '../../src/report/nice-ticks.js';

describe('niceTicks', () => {
  it('rounds a range outward to steps of 1, 2, 2.5 or 5 times a power of ten', () => {
    expect(niceTicks(0.13, 0.87, 5).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 4_123, 4).ticks).toEqual([0, 2_000, 4_000, 6_000]);
    expect(niceTicks(0, 9, 4).step).toBe(2.5);
  });

  it('covers any range with evenly spaced ticks whose step is a nice number', () => {
    fc.assert(
      // Ranges whose span is at least 1e-7 of their magnitude: well inside double precision.
      fc.property(fc.double({ min: -1e4, max: 1e4, noNaN: true }), fc.double({ min: 1e-3, max: 1e6, noNaN: true }), fc.integer({ min: 1, max: 12 }), (low, span, count) => {
        const scale = niceTicks(low, low + span, count);
        // Within a billionth of a step: the floating-point noise the scale forgives.
        expect(scale.min).toBeLessThanOrEqual(low + 1e-9 * scale.step);
        expect(scale.max).toBeGreaterThanOrEqual(low + span - 1e-9 * scale.step);
        const mantissa = scale.step / 10 ** Math.floor(Math.log10(scale.step));
        expect([1, 2, 2.5, 5]).toContainEqual(Number(mantissa.toFixed(6)));
        scale.ticks.slice(1).forEach((tick, i) => expect(tick - scale.ticks[i]!).toBeCloseTo(scale.step, 6));
      }),
      { numRuns: 2_000 },
    );
  });

  it('keeps to whole steps on an integer axis, however short the range', () => {
    expect(niceTicks(1, 3, 8, { integer: true }).ticks).toEqual([1, 2, 3]);
    expect(niceTicks(0, 9, 4, { integer: true }).step).toBe(5);
    expect(niceTicks(0, 0.2, 4, { integer: true }).ticks).toEqual([0, 1]);
  });

  it('widens a single value to an axis around it', () => {
    expect(niceTicks(0.5, 0.5, 4).ticks).toEqual([-0.5, 0, 0.5, 1, 1.5]);
  });

  it('refuses a reversed or infinite range and a tick count below one', () => {
    expect(() => niceTicks(2, 1)).toThrow('an axis range must be finite with low <= high, but got [2, 1].');
    expect(() => niceTicks(0, Infinity)).toThrow('but got [0, Infinity].');
    expect(() => niceTicks(0, 1, 0)).toThrow('the tick count must be a positive integer, but got 0.');
  });
});
