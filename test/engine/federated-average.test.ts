import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { averageTrainingMetrics, federatedAverage } from '../../src/engine/federated-average.js';

describe('federatedAverage', () => {
  it('weights each client by its sample count', () => {
    const averaged = federatedAverage([
      { weights: new Float32Array([0, 10]), samples: 1 },
      { weights: new Float32Array([3, 40]), samples: 2 },
    ]);
    expect(Array.from(averaged)).toEqual([2, 30]);
  });

  it('returns the weights unchanged when all clients agree', () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ noNaN: true, noDefaultInfinity: true, min: -1e3, max: 1e3 }), { minLength: 1, maxLength: 20 }),
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 5 }),
        (values, samples) => {
          const weights = Float32Array.from(values);
          const averaged = federatedAverage(samples.map((n) => ({ weights, samples: n })));
          averaged.forEach((v, i) => expect(v).toBeCloseTo(weights[i]!, 3));
        },
      ),
    );
  });

  it('stays within the range of the clients, coordinate by coordinate', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.float({ noNaN: true, min: -10, max: 10 }), fc.integer({ min: 1, max: 50 })), { minLength: 1, maxLength: 6 }),
        (clients) => {
          const [averaged] = federatedAverage(clients.map(([v, n]) => ({ weights: new Float32Array([v]), samples: n })));
          const values = clients.map(([v]) => Math.fround(v));
          expect(averaged!).toBeGreaterThanOrEqual(Math.min(...values) - 1e-5);
          expect(averaged!).toBeLessThanOrEqual(Math.max(...values) + 1e-5);
        },
      ),
    );
  });

  it('refuses an empty list, mismatched sizes and non-positive sample counts', () => {
    expect(() => federatedAverage([])).toThrow('updates must be a non-empty list, but got 0 updates.');
    expect(() =>
      federatedAverage([
        { weights: new Float32Array(2), samples: 1 },
        { weights: new Float32Array(3), samples: 1 },
      ]),
    ).toThrow('every update must have 2 weights, but got 3.');
    expect(() => federatedAverage([{ weights: new Float32Array(1), samples: 0 }])).toThrow('samples must be > 0, but got 0.');
  });
});

describe('averageTrainingMetrics', () => {
  it('is the mean over every sample any client trained on', () => {
    const { loss, accuracy } = averageTrainingMetrics([
      { loss: 1, accuracy: 0.5, samples: 1 },
      { loss: 4, accuracy: 0.2, samples: 2 },
    ]);
    expect(loss).toBeCloseTo(3, 12);
    expect(accuracy).toBeCloseTo(0.3, 12);
  });

  it('refuses a round in which no client trained on anything', () => {
    expect(() => averageTrainingMetrics([])).toThrow(/must add up to more than 0, but got 0/);
  });
});
