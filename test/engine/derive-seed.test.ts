import { describe, expect, it } from 'vitest';
import { deriveSeed } from '../../src/engine/derive-seed.js';

describe('deriveSeed', () => {
  it('is a pure function of its arguments', () => {
    expect(deriveSeed(7, 'client', 3, 1)).toBe(deriveSeed(7, 'client', 3, 1));
  });

  it('gives different seeds to different sub-tasks and run seeds', () => {
    const seeds = new Set<number>();
    for (let run = 0; run < 5; run++) {
      for (let round = 1; round <= 20; round++) {
        for (let client = 0; client < 3; client++) seeds.add(deriveSeed(run, 'client', round, client));
      }
    }
    expect(seeds.size).toBe(5 * 20 * 3);
    expect(deriveSeed(1, 'init', 0)).not.toBe(deriveSeed(1, 'init', 1));
  });

  it('returns unsigned 32-bit integers', () => {
    const seed = deriveSeed(123, 'x');
    expect(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32).toBe(true);
  });
});
