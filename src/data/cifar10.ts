import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageSet } from './image-set.js';
import { sharedBytes } from './shared-bytes.js';

/**
 * CIFAR-10 as read from disk: the training batches joined, the test batch, and the class names.
 *
 * @example
 * const { train, test, classNames }: Cifar10 = await loadCifar10(dir);
 */
export interface Cifar10 {
  readonly train: ImageSet;
  readonly test: ImageSet;
  /** From `batches.meta.txt` when present, else the official names. */
  readonly classNames: readonly string[];
}

/**
 * The official class names, in label order.
 *
 * @example
 * CIFAR10_CLASS_NAMES[3]; // 'cat'
 */
export const CIFAR10_CLASS_NAMES: readonly string[] = [
  'airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck',
];

const SIDE = 32;
const PLANE = SIDE * SIDE;
const RECORD = 1 + 3 * PLANE;
const CLASSES = 10;
const TRAINING_BATCH = /^data_batch_(\d+)\.bin$/;

/**
 * Reads CIFAR-10 in the official binary layout (the content of `cifar-10-binary.tar.gz`):
 * every `data_batch_N.bin` present, in order of N, becomes the training set and `test_batch.bin`
 * the test set. Each record is 1 label byte then 1024 red, 1024 green and 1024 blue bytes of a
 * row-major 32x32 image; pixels are reordered to HWC. The buffers are SharedArrayBuffer-backed.
 *
 * Refuses a missing directory, a directory without training batches or test batch, a file whose
 * size is not a whole number of 3073-byte records, and a label outside 0..9, naming the file.
 *
 * @example
 * const { train, test, classNames } = await loadCifar10('/data/cifar-10-batches-bin');
 */
export async function loadCifar10(dir: string): Promise<Cifar10> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (error) {
    throw new Error(`The CIFAR-10 directory must exist and be readable, but got ${dir} (${describe(error)}).`);
  }
  const trainFiles = entries
    .map((name) => ({ name, number: TRAINING_BATCH.exec(name)?.[1] }))
    .filter((entry): entry is { name: string; number: string } => entry.number !== undefined)
    .sort((a, b) => Number(a.number) - Number(b.number))
    .map((entry) => join(dir, entry.name));
  if (trainFiles.length === 0) {
    throw new Error(
      `The CIFAR-10 directory ${dir} must hold at least one training batch (data_batch_1.bin .. data_batch_5.bin), but got none.`,
    );
  }
  if (!entries.includes('test_batch.bin')) {
    throw new Error(`The CIFAR-10 directory ${dir} must hold test_batch.bin, but got no such file.`);
  }
  const train = await readBatches(trainFiles);
  const test = await readBatches([join(dir, 'test_batch.bin')]);
  const classNames = entries.includes('batches.meta.txt')
    ? await readClassNames(join(dir, 'batches.meta.txt'))
    : CIFAR10_CLASS_NAMES;
  return { train, test, classNames };
}

async function readBatches(files: readonly string[]): Promise<ImageSet> {
  const counts: number[] = [];
  for (const file of files) {
    const { size } = await stat(file);
    if (size === 0 || size % RECORD !== 0) {
      throw new Error(
        `${file} must be a whole, non-zero number of ${RECORD}-byte records (1 label + 3072 pixel bytes), ` +
          `but got ${size} bytes (truncated or corrupt).`,
      );
    }
    counts.push(size / RECORD);
  }
  const count = counts.reduce((sum, n) => sum + n, 0);
  const images = sharedBytes(count * 3 * PLANE);
  const labels = sharedBytes(count);
  let offset = 0;
  for (const [f, file] of files.entries()) {
    const bytes = await readFile(file);
    const records = counts[f]!;
    if (bytes.length !== records * RECORD) {
      throw new Error(`${file} must keep its size while being read, but got ${bytes.length} bytes instead of ${records * RECORD}.`);
    }
    for (let r = 0; r < records; r++) {
      const source = r * RECORD;
      const label = bytes[source]!;
      if (label >= CLASSES) {
        throw new Error(`${file}: the label of record ${r} must be in 0..${CLASSES - 1}, but got ${label}.`);
      }
      labels[offset + r] = label;
      const target = (offset + r) * 3 * PLANE;
      for (let p = 0; p < PLANE; p++) {
        images[target + 3 * p] = bytes[source + 1 + p]!;
        images[target + 3 * p + 1] = bytes[source + 1 + PLANE + p]!;
        images[target + 3 * p + 2] = bytes[source + 1 + 2 * PLANE + p]!;
      }
    }
    offset += records;
  }
  return { images, labels, count, shape: [SIDE, SIDE, 3], classes: CLASSES };
}

async function readClassNames(file: string): Promise<string[]> {
  const names = (await readFile(file, 'utf8'))
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  if (names.length !== CLASSES) {
    throw new Error(`${file} must list ${CLASSES} class names, one a line, but got ${names.length}.`);
  }
  return names;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
