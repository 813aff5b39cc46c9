import { writeFileSync } from 'node:fs';

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
