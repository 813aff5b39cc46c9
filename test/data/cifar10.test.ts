import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CIFAR10_CLASS_NAMES, loadCifar10 } from '../../src/data/cifar10.js';
import { cifarBatch, pixelOf, writeCifarBatch } from './cifar10-files.js';

describe('loadCifar10', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fedgear-cifar-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reorders every record from planar red, green, blue to interleaved HWC pixels', async () => {
    writeCifarBatch(join(dir, 'data_batch_1.bin'), [3, 7]);
    writeCifarBatch(join(dir, 'test_batch.bin'), [0], 100);
    const { train, test } = await loadCifar10(dir);
    expect(train.shape).toEqual([32, 32, 3]);
    for (let r = 0; r < 2; r++) {
      for (let y = 0; y < 32; y++) {
        for (let x = 0; x < 32; x++) {
          for (let c = 0; c < 3; c++) {
            expect(train.images[((r * 32 + y) * 32 + x) * 3 + c]).toBe(pixelOf(r, y, x, c));
          }
        }
      }
    }
    expect(test.images[(5 * 32 + 9) * 3 + 2]).toBe(pixelOf(100, 5, 9, 2));
  });

  it('joins every data_batch_N.bin present, in order of N, and keeps labels in record order', async () => {
    writeCifarBatch(join(dir, 'data_batch_3.bin'), [9, 8, 7], 10);
    writeCifarBatch(join(dir, 'data_batch_1.bin'), [1, 2], 0);
    writeCifarBatch(join(dir, 'test_batch.bin'), [5, 6, 4, 0]);
    const { train, test } = await loadCifar10(dir);
    expect(train.count).toBe(5);
    expect([...train.labels]).toEqual([1, 2, 9, 8, 7]);
    expect(train.images[2 * 3072]).toBe(pixelOf(10, 0, 0, 0));
    expect(test.count).toBe(4);
    expect([...test.labels]).toEqual([5, 6, 4, 0]);
    expect(train.classes).toBe(10);
  });

  it('returns buffers backed by SharedArrayBuffer so workers can share them', async () => {
    writeCifarBatch(join(dir, 'data_batch_1.bin'), [0]);
    writeCifarBatch(join(dir, 'test_batch.bin'), [0]);
    const { train, test } = await loadCifar10(dir);
    for (const buffer of [train.images, train.labels, test.images, test.labels]) {
      expect(buffer.buffer).toBeInstanceOf(SharedArrayBuffer);
    }
  });

  it('reads the class names from batches.meta.txt, or falls back to the official names', async () => {
    writeCifarBatch(join(dir, 'data_batch_1.bin'), [0]);
    writeCifarBatch(join(dir, 'test_batch.bin'), [0]);
    expect((await loadCifar10(dir)).classNames).toEqual(CIFAR10_CLASS_NAMES);
    const names = Array.from({ length: 10 }, (_, i) => `class${i}`);
    writeFileSync(join(dir, 'batches.meta.txt'), `${names.join('\n')}\n\n`);
    expect((await loadCifar10(dir)).classNames).toEqual(names);
  });

  it('refuses batches.meta.txt that does not list 10 names', async () => {
    writeCifarBatch(join(dir, 'data_batch_1.bin'), [0]);
    writeCifarBatch(join(dir, 'test_batch.bin'), [0]);
    writeFileSync(join(dir, 'batches.meta.txt'), 'cat\ndog\n');
    await expect(loadCifar10(dir)).rejects.toThrow(`${join(dir, 'batches.meta.txt')} must list 10 class names, one a line, but got 2.`);
  });

  it('refuses a missing directory, naming it', async () => {
    const missing = join(dir, 'nowhere');
    await expect(loadCifar10(missing)).rejects.toThrow(`The CIFAR-10 directory must exist and be readable, but got ${missing}`);
  });

  it('refuses a directory without any training batch', async () => {
    writeCifarBatch(join(dir, 'test_batch.bin'), [0]);
    await expect(loadCifar10(dir)).rejects.toThrow(`${dir} must hold at least one training batch (data_batch_1.bin .. data_batch_5.bin)`);
  });

  it('refuses a directory without test_batch.bin', async () => {
    writeCifarBatch(join(dir, 'data_batch_1.bin'), [0]);
    await expect(loadCifar10(dir)).rejects.toThrow(`${dir} must hold test_batch.bin, but got no such file.`);
  });

  it('refuses a truncated file, naming it and the record size', async () => {
    const truncated = join(dir, 'data_batch_2.bin');
    writeCifarBatch(join(dir, 'data_batch_1.bin'), [0]);
    writeFileSync(truncated, cifarBatch([1, 2]).subarray(0, 3073 + 100));
    writeCifarBatch(join(dir, 'test_batch.bin'), [0]);
    await expect(loadCifar10(dir)).rejects.toThrow(
      `${truncated} must be a whole, non-zero number of 3073-byte records (1 label + 3072 pixel bytes), but got 3173 bytes (truncated or corrupt).`,
    );
  });

  it('refuses a label byte of 10 or more, naming the file and the record', async () => {
    const bad = join(dir, 'test_batch.bin');
    writeCifarBatch(join(dir, 'data_batch_1.bin'), [0]);
    writeCifarBatch(bad, [0, 1, 10]);
    await expect(loadCifar10(dir)).rejects.toThrow(`${bad}: the label of record 2 must be in 0..9, but got 10.`);
  });

  it('ignores files that are not batches', async () => {
    mkdirSync(join(dir, 'data_batch_9.bin.d'));
    writeFileSync(join(dir, 'readme.html'), 'hello');
    writeCifarBatch(join(dir, 'data_batch_1.bin'), [4]);
    writeCifarBatch(join(dir, 'test_batch.bin'), [0]);
    expect((await loadCifar10(dir)).train.count).toBe(1);
  });
});
