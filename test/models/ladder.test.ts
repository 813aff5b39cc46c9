import { describe, expect, it } from 'vitest';
import { countParameters, countWeightLayers } from '../../src/models/architecture.js';
import { canGrow } from '../../src/models/grow.js';
import { buildLadder, DEFAULT_WIDTH, LADDERS } from '../../src/models/ladder.js';

const inputs = [
  [32, 32, 3],
  [28, 28, 1],
] as const;

describe('the paper ladder', () => {
  for (const inputShape of inputs) {
    const [small, large] = buildLadder('paper', { width: DEFAULT_WIDTH, inputShape, classes: 10 });

    it(`pairs a 6-layer small model with a 12-layer large one on ${inputShape.join('x')}`, () => {
      expect([small!.name, large!.name]).toEqual(['small', 'large']);
      expect([countWeightLayers(small!), countWeightLayers(large!)]).toEqual([6, 12]);
    });

    it(`gives the large model 7 to 11 times the small one's parameters on ${inputShape.join('x')}, as the paper's 9.4`, () => {
      const ratio = countParameters(large!) / countParameters(small!);
      expect(ratio).toBeGreaterThanOrEqual(7);
      expect(ratio).toBeLessThanOrEqual(11);
    });
  }
});

describe('every ladder', () => {
  for (const name of Object.keys(LADDERS)) {
    for (const width of [1, 4, 16]) {
      it(`${name} at width ${width} grows each gear into the next, each larger than the one before`, () => {
        const gears = buildLadder(name, { width, inputShape: [32, 32, 3], classes: 10 });
        for (let g = 1; g < gears.length; g++) {
          expect(canGrow(gears[g - 1]!, gears[g]!)).toBe(true);
          expect(countParameters(gears[g]!)).toBeGreaterThan(countParameters(gears[g - 1]!));
        }
      });
    }
  }

  it('three starts from a 4-layer tiny model', () => {
    const [tiny] = buildLadder('three', { width: 8, inputShape: [28, 28, 1], classes: 10 });
    expect([tiny!.name, countWeightLayers(tiny!)]).toEqual(['tiny', 4]);
  });
});

describe('buildLadder', () => {
  it('names the valid ladders when given an unknown one', () => {
    expect(() => buildLadder('huge', { width: 8, inputShape: [32, 32, 3], classes: 10 })).toThrow(
      'ladder must be one of paper, three, but got "huge".',
    );
  });

  it('rejects a width that is not a positive integer', () => {
    expect(() => buildLadder('paper', { width: 0, inputShape: [32, 32, 3], classes: 10 })).toThrow(
      'width must be a positive integer, but got 0.',
    );
  });
});
