import { describe, expect, it } from 'vitest';
import { Random } from '../../src/data/random.js';

const draws = (random: Random, n: number, draw: (r: Random) => number): number[] => Array.from({ length: n }, () => draw(random));
const mean = (values: readonly number[]): number => values.reduce((s, v) => s + v, 0) / values.length;

describe('Random', () => {
  it('repeats its sequence for the same seed and changes it for another', () => {
    expect(draws(new Random(7), 20, (r) => r.next())).toEqual(draws(new Random(7), 20, (r) => r.next()));
    expect(draws(new Random(7), 20, (r) => r.next())).not.toEqual(draws(new Random(8), 20, (r) => r.next()));
  });

  it('draws next() in [0, 1) and int(n) in [0, n), covering the whole range', () => {
    const random = new Random(1);
    const uniform = draws(random, 10000, (r) => r.next());
    expect(Math.min(...uniform)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...uniform)).toBeLessThan(1);
    expect(mean(uniform)).toBeCloseTo(0.5, 1);
    const dice = draws(random, 6000, (r) => r.int(6));
    expect(new Set(dice)).toEqual(new Set([0, 1, 2, 3, 4, 5]));
  });

  it('refuses a seed that is not an integer and an int range outside 1..2^32', () => {
    expect(() => new Random(0.5)).toThrow('The random seed must be an integer, but got 0.5.');
    expect(() => new Random(1).int(0)).toThrow('The range of Random.int must be an integer in 1..2^32, but got 0.');
  });

  it('draws standard normal numbers', () => {
    const values = draws(new Random(3), 40000, (r) => r.normal());
    const m = mean(values);
    expect(m).toBeCloseTo(0, 1);
    expect(mean(values.map((v) => (v - m) ** 2))).toBeCloseTo(1, 1);
  });

  it('shuffles arrays and typed arrays into permutations of themselves', () => {
    const random = new Random(4);
    const shuffled = random.shuffle(Array.from({ length: 100 }, (_, i) => i));
    expect(shuffled).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect([...shuffled].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    const bytes = random.shuffle(Uint8Array.from([1, 2, 3, 4, 5, 6]));
    expect([...bytes].sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('draws Gamma(alpha) numbers whose mean is alpha, for alpha below and above 1', () => {
    const random = new Random(5);
    for (const alpha of [0.3, 2.5]) {
      expect(mean(draws(random, 20000, (r) => r.gamma(alpha)))).toBeCloseTo(alpha, 1);
    }
    expect(() => random.gamma(0)).toThrow('The shape alpha of Random.gamma must be a positive finite number, but got 0.');
  });

  it('draws Dirichlet proportions that sum to 1 and concentrate on one part as alpha shrinks', () => {
    const random = new Random(6);
    const largest = (alpha: number): number => mean(draws(random, 500, (r) => Math.max(...r.dirichlet(alpha, 5))));
    const shares = random.dirichlet(1, 5);
    expect(shares.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 10);
    expect(largest(0.001)).toBeGreaterThan(0.99);
    expect(largest(100)).toBeLessThan(0.3);
  });
});
