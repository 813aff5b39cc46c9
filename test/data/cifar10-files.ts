import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A pixel value that differs between records, rows, columns and channels, to catch reordering. */
export function pixelOf(record: number, y: number, x: number, c: number): number {
  return (Math.imul(record + 1, 2654435761) ^ Math.imul(y * 32 + x, 40503) ^ Math.imul(c + 1, 97)) >>> 24;
}

/**
 * Bytes of CIFAR-10 records in the official layout (label, then the red, green and blue planes,
 * each row-major 32x32), with pixels from `pixelOf(firstRecord + r, ...)`.
 */
export function cifarBatch(labels: readonly number[], firstRecord = 0): Buffer {
  const bytes = Buffer.alloc(labels.length * 3073);
  labels.forEach((label, r) => {
    const base = r * 3073;
    bytes[base] = label;
    for (let c = 0; c < 3; c++) {
      for (let y = 0; y < 32; y++) {
        for (let x = 0; x < 32; x++) bytes[base + 1 + c * 1024 + y * 32 + x] = pixelOf(firstRecord + r, y, x, c);
      }
    }
  });
  return bytes;
}

/** Writes `cifarBatch(labels, firstRecord)` to `path`. */
export function writeCifarBatch(path: string, labels: readonly number[], firstRecord = 0): void {
  writeFileSync(path, cifarBatch(labels, firstRecord));
}

/** A small CIFAR-10 directory in the official layout: 2 x 30 training images, 10 test images. */
export function fakeCifar10(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'fedgear-data-')), 'cifar-10-batches-bin');
  mkdirSync(dir);
  const labels = (count: number) => Array.from({ length: count }, (_, i) => i % 10);
  writeCifarBatch(join(dir, 'data_batch_1.bin'), labels(30));
  writeCifarBatch(join(dir, 'data_batch_2.bin'), labels(30), 30);
  writeCifarBatch(join(dir, 'test_batch.bin'), labels(10), 60);
  return dir;
}

/** A CIFAR-10 scenario small enough for `fakeCifar10()`, trained in seconds (as flags, and as `buildRunConfig` overrides). */
export const FAKE_CIFAR10_FLAGS = ['--dataset', 'cifar10', '--preset', 'tiny', '--rounds', '2', '--server', '10', '--validation', '10', '--clients', '2', '--per-client', '10', '--test', '10', '--width', '1'];
export const FAKE_CIFAR10_CONFIG = { dataset: 'cifar10', rounds: 2, server: 10, validation: 10, clients: 2, perClient: 10, test: 10, width: 1 } as const;
