import { describe, expect, it } from 'vitest';
import type { ImageSet } from '../../src/data/image-set.js';
import { DEFAULT_DIFFICULTY, makeSynthetic } from '../../src/data/synthetic.js';

const imageAt = (set: ImageSet, i: number): string => {
  const size = set.shape[0] * set.shape[1] * set.shape[2];
  return Buffer.from(set.images.subarray(i * size, (i + 1) * size)).toString('base64');
};

const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

describe('makeSynthetic', () => {
  it('generates the same images and labels from the same seed, and others from another seed', () => {
    const a = makeSynthetic({ seed: 11, train: 40, test: 20 });
    const b = makeSynthetic({ seed: 11, train: 40, test: 20 });
    const c = makeSynthetic({ seed: 12, train: 40, test: 20 });
    expect(same(a.train.images, b.train.images)).toBe(true);
    expect(same(a.train.labels, b.train.labels)).toBe(true);
    expect(same(a.test.images, b.test.images)).toBe(true);
    expect(same(a.train.images, c.train.images)).toBe(false);
  });

  it('keeps the test set unchanged when only the number of training images changes', () => {
    const few = makeSynthetic({ seed: 3, train: 10, test: 30 });
    const many = makeSynthetic({ seed: 3, train: 200, test: 30 });
    expect(same(many.test.images, few.test.images)).toBe(true);
    expect(same(many.test.labels, few.test.labels)).toBe(true);
  });

  it('produces CIFAR-shaped sets by default and any shape or class count asked for', () => {
    const { train, test } = makeSynthetic({ seed: 1, train: 25, test: 7 });
    expect([train.count, train.shape, train.classes, train.images.length]).toEqual([25, [32, 32, 3], 10, 25 * 3072]);
    expect([test.count, test.labels.length]).toEqual([7, 7]);
    const gray = makeSynthetic({ seed: 1, train: 12, test: 0, shape: [24, 24, 1], classes: 4 });
    expect([gray.train.shape, gray.train.classes, gray.train.images.length]).toEqual([[24, 24, 1], 4, 12 * 576]);
    expect(Math.max(...gray.train.labels)).toBe(3);
  });

  it('balances the labels: class counts differ by at most one', () => {
    const { train } = makeSynthetic({ seed: 5, train: 1003, test: 0 });
    const counts = new Array<number>(10).fill(0);
    for (const label of train.labels) counts[label]!++;
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    expect([...train.labels.slice(0, 10)]).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('returns buffers backed by SharedArrayBuffer', () => {
    const { train } = makeSynthetic({ seed: 5, train: 3, test: 1 });
    expect(train.images.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(train.labels.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('makes the label a function of the motifs shown: without nuisances, a class has a few fixed images and their mirrors', () => {
    const clean = { noise: 0, shift: 0, jitter: 0, distractors: 0, gain: 0 };
    const { train } = makeSynthetic({ seed: 9, train: 2000, test: 0, difficulty: clean });
    const classOf = new Map<string, number>();
    for (let i = 0; i < train.count; i++) {
      const key = imageAt(train, i);
      expect(classOf.get(key) ?? train.labels[i]).toBe(train.labels[i]);
      classOf.set(key, train.labels[i]!);
    }
    const combinations = DEFAULT_DIFFICULTY.motifs ** (DEFAULT_DIFFICULTY.grid * DEFAULT_DIFFICULTY.grid);
    expect(classOf.size).toBe(2 * combinations);
  });

  it('mirrors half of the images, so left-right flips keep the class distribution', () => {
    const clean = { noise: 0, shift: 0, jitter: 0, distractors: 0, gain: 0 };
    const { train } = makeSynthetic({ seed: 9, train: 2000, test: 0, difficulty: clean });
    const [height, width, channels] = train.shape;
    const mirror = (i: number): string => {
      const image = Buffer.from(train.images.subarray(i * 3072, (i + 1) * 3072));
      const flipped = Buffer.alloc(image.length);
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          image.copy(flipped, (y * width + x) * channels, (y * width + width - 1 - x) * channels, (y * width + width - x) * channels);
        }
      }
      return flipped.toString('base64');
    };
    const labelOf = new Map(Array.from({ length: train.count }, (_, i) => [imageAt(train, i), train.labels[i]!]));
    for (let i = 0; i < 200; i++) expect(labelOf.get(mirror(i))).toBe(train.labels[i]);
  });

  it('adds nuisances so that no two images are alike by default', () => {
    const { train } = makeSynthetic({ seed: 9, train: 500, test: 0 });
    expect(new Set(Array.from({ length: train.count }, (_, i) => imageAt(train, i))).size).toBe(500);
  });

  it('refuses knobs that cannot be met, naming the knob and the value', () => {
    const make = (difficulty: object) => () => makeSynthetic({ seed: 1, train: 1, test: 1, difficulty });
    expect(make({ noise: -1 })).toThrow('difficulty.noise must be a finite number >= 0, but got -1.');
    expect(make({ motifs: 0 })).toThrow('difficulty.motifs must be an integer >= 1, but got 0.');
    expect(make({ motifs: 2, grid: 1 })).toThrow('difficulty.motifs^(grid^2) must be between the 10 classes and 1000000, but got 2^1 = 2.');
    expect(make({ levels: 3 })).toThrow('A grid of 2x2 motifs of 24x24 pixels (levels 3) must fit the 32x32 image, but got 48 pixels per side.');
    expect(make({ parts: 1, motifs: 2 })).toThrow('difficulty.motifs must be at most 1 (distinct 2x2 arrangements of 1 patterns), but got 2.');
    expect(() => makeSynthetic({ seed: 1, train: -1, test: 1 })).toThrow('The number of training images must be an integer >= 0, but got -1.');
  });
});
