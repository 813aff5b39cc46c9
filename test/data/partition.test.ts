import { describe, expect, it } from 'vitest';
import type { ImageSet } from '../../src/data/image-set.js';
import { partition, type PartitionPlan } from '../../src/data/partition.js';

/**
 * A set of 1x1 RGB "images" whose bytes spell their own index (red = high byte, green = low byte)
 * and their origin (blue = `origin`), with labels `index mod 10`: every party's images can be
 * traced back to the exact image they came from.
 */
function tracedSet(count: number, origin: number): ImageSet {
  const images = new Uint8Array(count * 3);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    images.set([i >> 8, i & 255, origin], i * 3);
    labels[i] = i % 10;
  }
  return { images, labels, count, shape: [1, 1, 3], classes: 10 };
}

const TRAIN_ORIGIN = 1;
const TEST_ORIGIN = 2;
const train = tracedSet(20000, TRAIN_ORIGIN);
const test = tracedSet(10000, TEST_ORIGIN);

function origins(set: ImageSet): { index: number; origin: number }[] {
  return Array.from({ length: set.count }, (_, k) => {
    const [high, low, origin] = set.images.subarray(k * 3, k * 3 + 3);
    return { index: (high! << 8) | low!, origin: origin! };
  });
}

const classShares = (set: ImageSet): number[] => {
  const counts = new Array<number>(set.classes).fill(0);
  for (const label of set.labels) counts[label]!++;
  return counts.map((c) => c / set.count);
};

/** Mean total-variation distance between each client's class distribution and the uniform one. */
const skew = (clients: readonly ImageSet[]): number =>
  clients.reduce((sum, client) => sum + classShares(client).reduce((tv, share) => tv + Math.abs(share - 0.1), 0) / 2, 0) /
  clients.length;

const plan: PartitionPlan = {
  server: 2000,
  validation: 1000,
  clients: 3,
  perClient: 2000,
  test: 2000,
  scheme: { kind: 'iid' },
  seed: 17,
};

describe('partition', () => {
  it('gives every party its planned size', () => {
    const data = partition(train, test, plan);
    expect([data.server.count, data.validation.count, data.test.count]).toEqual([2000, 1000, 2000]);
    expect(data.clients.map((client) => client.count)).toEqual([2000, 2000, 2000]);
  });

  it('draws disjoint shares of the training set, keeping every image with its label', () => {
    const data = partition(train, test, { ...plan, scheme: { kind: 'dirichlet', alpha: 0.3 } });
    const seen = new Set<number>();
    for (const set of [data.server, data.validation, ...data.clients]) {
      origins(set).forEach(({ index, origin }, k) => {
        expect(origin).toBe(TRAIN_ORIGIN);
        expect(set.labels[k]).toBe(index % 10);
        expect(seen.has(index)).toBe(false);
        seen.add(index);
      });
    }
    expect(seen.size).toBe(2000 + 1000 + 3 * 2000);
  });

  it('takes validation from the training set and the reported test images only from the test set', () => {
    const data = partition(train, test, plan);
    expect(origins(data.validation).every(({ origin }) => origin === TRAIN_ORIGIN)).toBe(true);
    const tested = origins(data.test);
    expect(tested.every(({ origin }) => origin === TEST_ORIGIN)).toBe(true);
    expect(new Set(tested.map(({ index }) => index)).size).toBe(2000);
  });

  it('is reproducible from the seed and differs for another seed', () => {
    const a = partition(train, test, plan);
    const b = partition(train, test, plan);
    const c = partition(train, test, { ...plan, seed: 18 });
    expect(Buffer.from(a.clients[1]!.images).equals(Buffer.from(b.clients[1]!.images))).toBe(true);
    expect(Buffer.from(a.clients[1]!.images).equals(Buffer.from(c.clients[1]!.images))).toBe(false);
  });

  it('gives IID clients roughly the class balance of the training set', () => {
    const data = partition(train, test, plan);
    for (const client of data.clients) {
      for (const share of classShares(client)) expect(Math.abs(share - 0.1)).toBeLessThan(0.035);
    }
  });

  it('skews the clients more as the Dirichlet alpha shrinks', () => {
    const skewAt = (alpha: number): number => skew(partition(train, test, { ...plan, scheme: { kind: 'dirichlet', alpha } }).clients);
    const [nearIid, moderate, strong] = [skewAt(1000), skewAt(1), skewAt(0.05)];
    expect(nearIid).toBeLessThan(0.05);
    expect(moderate).toBeGreaterThan(nearIid + 0.1);
    expect(strong).toBeGreaterThan(moderate + 0.1);
  });

  it('keeps every Dirichlet client at perClient images even when the pool is nearly used up', () => {
    const tight = { ...plan, server: 0, validation: 1, perClient: 6666, scheme: { kind: 'dirichlet', alpha: 0.01 } } as const;
    const data = partition(train, test, tight);
    expect(data.clients.map((client) => client.count)).toEqual([6666, 6666, 6666]);
    const indices = data.clients.flatMap((client) => origins(client).map(({ index }) => index));
    expect(new Set(indices).size).toBe(3 * 6666);
  });

  it('normalises with the per-channel mean and std of the server and client images, in 0..1 units', () => {
    const data = partition(train, test, plan);
    const pixels = [data.server, ...data.clients].flatMap((set) => Array.from(set.images));
    const red = pixels.filter((_, p) => p % 3 === 0).map((v) => v / 255);
    const mean = red.reduce((s, v) => s + v, 0) / red.length;
    const std = Math.sqrt(red.reduce((s, v) => s + (v - mean) ** 2, 0) / red.length);
    expect(data.normalization.mean[0]).toBeCloseTo(mean, 6);
    expect(data.normalization.std[0]).toBeCloseTo(std, 6);
    // Blue is constant here: its std is floored at one byte step so normalising never divides by 0.
    expect(data.normalization.mean[2]).toBeCloseTo(TRAIN_ORIGIN / 255, 9);
    expect(data.normalization.std[2]).toBeCloseTo(1 / 255, 9);
  });

  it('returns every party on SharedArrayBuffer', () => {
    const data = partition(train, test, plan);
    for (const set of [data.server, data.validation, data.test, ...data.clients]) {
      expect(set.images.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(set.labels.buffer).toBeInstanceOf(SharedArrayBuffer);
    }
  });

  it('refuses a plan that needs more training images than there are, with the arithmetic', () => {
    expect(() => partition(train, test, { ...plan, server: 20000, validation: 5000, perClient: 2000 })).toThrow(
      'server + validation + clients*perClient = 20000 + 5000 + 3*2000 = 31000 images needed, but the training set has 20000.',
    );
  });

  it('refuses more test images than the test set has', () => {
    expect(() => partition(train, test, { ...plan, test: 10001 })).toThrow("test must be at most the test set's 10000 images, but got 10001.");
  });

  it('refuses sizes that are not counts and a Dirichlet alpha that is not positive', () => {
    expect(() => partition(train, test, { ...plan, clients: 0 })).toThrow('clients must be an integer >= 1, but got 0.');
    expect(() => partition(train, test, { ...plan, perClient: 2.5 })).toThrow('perClient must be an integer >= 1, but got 2.5.');
    expect(() => partition(train, test, { ...plan, server: -1 })).toThrow('server must be an integer >= 0, but got -1.');
    expect(() => partition(train, test, { ...plan, scheme: { kind: 'dirichlet', alpha: 0 } })).toThrow(
      'The Dirichlet alpha must be a positive finite number, but got 0.',
    );
  });

  it('refuses a test set whose image shape differs from the training set', () => {
    const other: ImageSet = { ...test, shape: [3, 1, 1] };
    expect(() => partition(train, other, plan)).toThrow(
      "The test set must have the training set's image shape 1x1x3 and 10 classes, but got 3x1x1 and 10.",
    );
  });
});
