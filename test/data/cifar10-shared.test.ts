import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCifar10 } from '../../src/data/cifar10.js';

// Compiled to dist/test/data/, three levels below the repository root.
const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const sharedCopy = resolve(repositoryRoot, '../shared/data/cifar-10-batches-bin');
const exists = existsSync(resolve(sharedCopy, 'test_batch.bin'));

describe('the shared CIFAR-10 copy (the official five training batches)', () => {
  it.skipIf(!exists)('loads as 50,000 training and 10,000 test images, 5,000 of each class in training and 1,000 in the test set', async () => {
    const { train, test, classNames } = await loadCifar10(sharedCopy);
    expect(train.count).toBe(50000);
    expect(train.images.length).toBe(50000 * 3072);
    const perTrainingClass = new Array<number>(10).fill(0);
    for (const label of train.labels) perTrainingClass[label]!++;
    expect(perTrainingClass).toEqual(new Array(10).fill(5000));
    expect(test.count).toBe(10000);
    const perClass = new Array<number>(10).fill(0);
    for (const label of test.labels) perClass[label]!++;
    expect(perClass).toEqual(new Array(10).fill(1000));
    expect(classNames[0]).toBe('airplane');
    expect(classNames[9]).toBe('truck');
  });
});
