import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

  it('joins data_batch_1.bin .. data_batch_N.bin in order of N (10 after 9), and keeps labels in record order', async () => {
    writeCifarBatch(join(dir, 'data_batch_2.bin'), [9, 8, 7], 10);
    writeCifarBatch(join(dir, 'data_batch_1.bin'), [1, 2], 0);
    for (let n = 3; n <= 10; n++) writeCifarBatch(join(dir, `data_batch_${n}.bin`), [n % 10], 20 + n);
    writeCifarBatch(join(dir, 'test_batch.bin'), [5, 6, 4, 0]);
    const { train, test } = await loadCifar10(dir);
    expect(train.count).toBe(13);
    expect([...train.labels]).toEqual([1, 2, 9, 8, 7, 3, 4, 5, 6, 7, 8, 9, 0]);
    expect(train.images[2 * 3072]).toBe(pixelOf(10, 0, 0, 0));
    expect(train.images[12 * 3072]).toBe(pixelOf(30, 0, 0, 0));
    expect(test.count).toBe(4);
    expect([...test.labels]).toEqual([5, 6, 4, 0]);
    expect(train.classes).toBe(10);
  });

  it('names the training batch missing from a gap in the numbers (issue 11, case 8)', async () => {
    for (const n of [1, 2, 4, 5]) writeCifarBatch(join(dir, `data_batch_${n}.bin`), [0]);
    writeCifarBatch(join(dir, 'test_batch.bin'), [0]);
    await expect(loadCifar10(dir)).rejects.toThrow(`The CIFAR-10 directory ${dir} must hold every training batch from data_batch_1.bin to data_batch_5.bin, but data_batch_3.bin is missing.`);
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

describe('loadCifar10 data integrity (issue 11, case 8)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fedgear-cifar-'));
    writeCifarBatch(join(dir, 'data_batch_1.bin'), [1, 2, 3]);
    writeCifarBatch(join(dir, 'data_batch_2.bin'), [4, 5], 3);
    writeCifarBatch(join(dir, 'test_batch.bin'), [6, 7], 100);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');
  const fileSum = (name: string) => sha256(readFileSync(join(dir, name)));
  /** What `cd dir && sha256sum names… > SHA256SUMS` writes. */
  const writeSums = (names: readonly string[], file = 'SHA256SUMS') =>
    writeFileSync(join(dir, file), names.map((name) => `${fileSum(name)}  ${name}\n`).join(''));
  const cutToOneRecord = (name: string) => writeFileSync(join(dir, name), readFileSync(join(dir, name)).subarray(0, 3073));

  it("gives each batch's image count and SHA-256, and one SHA-256 over their sha256sum lines", async () => {
    const { digest } = await loadCifar10(dir);
    const names = ['data_batch_1.bin', 'data_batch_2.bin', 'test_batch.bin'];
    expect(digest.parts).toEqual(names.map((name, index) => ({ name, images: [3, 2, 2][index], sha256: fileSum(name) })));
    // As `sha256sum data_batch_1.bin data_batch_2.bin test_batch.bin | sha256sum` in the directory would print.
    expect(digest.sha256).toBe(sha256(names.map((name) => `${fileSum(name)}  ${name}\n`).join('')));
  });

  it('tells a batch cut short on a record boundary from the intact one, by its count and its hash', async () => {
    const intact = (await loadCifar10(dir)).digest;
    cutToOneRecord('data_batch_1.bin');
    const cut = (await loadCifar10(dir)).digest;
    expect(cut.parts[0]!.images).toBe(1);
    expect(cut.parts[0]!.sha256).not.toBe(intact.parts[0]!.sha256);
    expect(cut.sha256).not.toBe(intact.sha256);
  });

  it('loads data that matches its SHA256SUMS, in text or binary mode, batches.meta.txt included', async () => {
    writeFileSync(join(dir, 'batches.meta.txt'), `${CIFAR10_CLASS_NAMES.join('\n')}\n`);
    writeSums(['data_batch_1.bin', 'data_batch_2.bin', 'test_batch.bin']);
    writeFileSync(join(dir, 'SHA256SUMS'), `${readFileSync(join(dir, 'SHA256SUMS'), 'utf8')}${fileSum('batches.meta.txt')} *batches.meta.txt\n\n`);
    expect((await loadCifar10(dir)).train.count).toBe(5);
  });

  it('refuses a batch cut short on a record boundary when SHA256SUMS lists the intact one, naming the file and both hashes', async () => {
    writeSums(['data_batch_1.bin', 'data_batch_2.bin', 'test_batch.bin']);
    const listed = fileSum('data_batch_2.bin');
    cutToOneRecord('data_batch_2.bin');
    await expect(loadCifar10(dir)).rejects.toThrow(
      `${join(dir, 'data_batch_2.bin')} must have the SHA-256 that ${join(dir, 'SHA256SUMS')} lists (${listed}), but got ${fileSum('data_batch_2.bin')} (the file changed, was cut short or is corrupt).`,
    );
  });

  it('names a file SHA256SUMS lists but the directory lacks', async () => {
    writeSums(['data_batch_1.bin', 'data_batch_2.bin', 'test_batch.bin']);
    rmSync(join(dir, 'data_batch_2.bin'));
    await expect(loadCifar10(dir)).rejects.toThrow(`${join(dir, 'data_batch_2.bin')} must exist (${join(dir, 'SHA256SUMS')} lists it), but got no such file.`);
  });

  it('refuses a batch SHA256SUMS does not list: it would be used unchecked', async () => {
    writeSums(['data_batch_1.bin', 'test_batch.bin']);
    await expect(loadCifar10(dir)).rejects.toThrow(`${join(dir, 'data_batch_2.bin')} must be listed in ${join(dir, 'SHA256SUMS')} (the data it checks), but it is not.`);
  });

  it('refuses a SHA256SUMS line that is not "<sha256>  <name>", naming the line', async () => {
    writeSums(['data_batch_1.bin', 'data_batch_2.bin', 'test_batch.bin']);
    writeFileSync(join(dir, 'SHA256SUMS'), `${readFileSync(join(dir, 'SHA256SUMS'), 'utf8')}md5 0123 test_batch.bin\n`);
    await expect(loadCifar10(dir)).rejects.toThrow(`${join(dir, 'SHA256SUMS')}:4: each line must be "<sha256>  <file name>" as sha256sum writes it, but got "md5 0123 test_batch.bin".`);
  });
});
