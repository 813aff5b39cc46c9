import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCifar10 } from '../../src/data/cifar10.js';

// Compiled to dist/test/data/, three levels below the repository root.
const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const sharedCopy = resolve(repositoryRoot, '../shared/data/cifar-10-batches-bin');
const exists = existsSync(resolve(sharedCopy, 'test_batch.bin'));

describe('the shared CIFAR-10 copy (two training batches)', () => {
  it.skipIf(!exists)('loads as 20,000 training and 10,000 test images, 1,000 of each class in the test set', async () => {
    const { train, test, classNames } = await loadCifar10(sharedCopy);
    expect(train.count).toBe(20000);
    expect(train.images.length).toBe(20000 * 3072);
    expect(test.count).toBe(10000);
    const perClass = new Array<number>(10).fill(0);
    for (const label of test.labels) perClass[label]!++;
    expect(perClass).toEqual(new Array(10).fill(1000));
    expect(classNames[0]).toBe('airplane');
    expect(classNames[9]).toBe('truck');
  });
});
