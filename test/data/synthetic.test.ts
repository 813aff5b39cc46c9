import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ImageSet } from '../../src/data/image-set.js';
import { EASY_DIFFICULTY, EASY_SHAPE, makeSynthetic } from '../../src/data/synthetic.js';

const imageSize = (set: ImageSet): number => set.shape[0] * set.shape[1] * set.shape[2];
const imageAt = (set: ImageSet, i: number): string =>
  Buffer.from(set.images.subarray(i * imageSize(set), (i + 1) * imageSize(set))).toString('base64');

const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

const sha256 = ({ train, test }: { train: ImageSet; test: ImageSet }): string =>
  createHash('sha256').update(train.images).update(train.labels).update(test.images).update(test.labels).digest('hex');

/** Without shifts, jitter, distractors, gain or noise, an image is its combination (and whether it is mirrored). */
const clean = { noise: 0, shift: 0, jitter: 0, distractors: 0, gain: 0 };

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

  it('pins the bytes: synthetic-easy is the set its fixture bundle was recorded on, synthetic the one its documented numbers come from', () => {
    // The tiny preset's sizes: 300 + 300 + 3 x 400 training images and 500 test images for synthetic-easy,
    // its synthetic sizes (1,000 + 1,000 + 3 x 2,000 and 2,000) for synthetic, always seed 0.
    const easy = makeSynthetic({ seed: 0, train: 1800, test: 500, shape: EASY_SHAPE, difficulty: EASY_DIFFICULTY });
    expect(sha256(easy)).toBe('a0e2ab0dbe27b3dcbec72fd7582d8bed9eaf2ea24a79de98a20b2c24e42867bd');
    expect(sha256(makeSynthetic({ seed: 0, train: 8000, test: 2000 }))).toBe('87fa7590dd71cb1c3b9bef76da0a666fc125fa29e7578cffb8eee13cdab3c568');
  });

  it('produces 16x16 colour images in 10 classes by default and any shape or class count asked for', () => {
    const { train, test } = makeSynthetic({ seed: 1, train: 25, test: 7 });
    expect([train.count, train.shape, train.classes, train.images.length]).toEqual([25, [16, 16, 3], 10, 25 * 768]);
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
    const difficulty = { ...clean, grouped: false, motifs: 3 };
    const { train } = makeSynthetic({ seed: 9, train: 2000, test: 0, difficulty });
    const classOf = new Map<string, number>();
    for (let i = 0; i < train.count; i++) {
      const key = imageAt(train, i);
      expect(classOf.get(key) ?? train.labels[i]).toBe(train.labels[i]);
      classOf.set(key, train.labels[i]!);
    }
    expect(classOf.size).toBe(2 * 3 ** 4);
  });

  it("when grouped, lets the first cell's motif fix the class modulo the number of motifs, and not the class itself", () => {
    const { train } = makeSynthetic({ seed: 9, train: 2000, test: 0, difficulty: clean });
    // The top-left quadrant shows the first cell's motif, or in a mirrored image the mirror of the second cell's.
    const [height, width, channels] = train.shape;
    const labelsByQuadrant = new Map<string, Set<number>>();
    for (let i = 0; i < train.count; i++) {
      const rows = Array.from({ length: height / 2 }, (_, y) => {
        const start = i * imageSize(train) + y * width * channels;
        return Buffer.from(train.images.subarray(start, start + (width / 2) * channels)).toString('hex');
      });
      const key = rows.join('');
      labelsByQuadrant.set(key, (labelsByQuadrant.get(key) ?? new Set()).add(train.labels[i]!));
    }
    const groups = [...labelsByQuadrant.values()].map((labels) => new Set([...labels].map((label) => label % 4)));
    expect(groups).toHaveLength(8);
    const cues = groups.filter((residues) => residues.size === 1).map((residues) => [...residues][0]);
    expect(cues.sort()).toEqual([0, 1, 2, 3]);
    for (const labels of labelsByQuadrant.values()) expect(labels.size).toBeGreaterThan(1);
  });

  it('mirrors half of the images, so left-right flips keep the class distribution', () => {
    // 6,000 images show every one of the 2 x 256 clean images.
    const { train } = makeSynthetic({ seed: 9, train: 6000, test: 0, difficulty: clean });
    const [height, width, channels] = train.shape;
    const mirror = (i: number): string => {
      const image = Buffer.from(train.images.subarray(i * imageSize(train), (i + 1) * imageSize(train)));
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
    expect(make({ levels: 2 })).toThrow('A grid of 2x2 motifs of 12x12 pixels (levels 2) must fit the 16x16 image, but got 24 pixels per side.');
    expect(make({ primitives: 1, motifs: 2 })).toThrow('difficulty.motifs must be at most 1 (distinct 2x2 arrangements of 1 patterns), but got 2.');
    expect(make({ motifs: 11, grid: 1 })).toThrow('difficulty.motifs must be at most the 10 classes when grouped (one group per motif), but got 11.');
    expect(() => makeSynthetic({ seed: 1, train: -1, test: 1 })).toThrow('The number of training images must be an integer >= 0, but got -1.');
  });
});
