import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { CHECKSUM_LIST, readChecksumList } from './checksum-list.js';
import { digestParts, sha256Of, type DataDigest, type DataPart } from './data-digest.js';
import type { ImageSet } from './image-set.js';
import { sharedBytes } from './shared-bytes.js';

/**
 * CIFAR-10 as read from disk: the training batches joined, the test batch, and the class names.
 *
 * @example
 * const { train, test, classNames, digest }: Cifar10 = await loadCifar10(dir);
 */
export interface Cifar10 {
  readonly train: ImageSet;
  readonly test: ImageSet;
  /** From `batches.meta.txt` when present, else the official names. */
  readonly classNames: readonly string[];
  /** Each batch read (training batches, then the test batch) with its image count and SHA-256. */
  readonly digest: DataDigest;
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
 * `data_batch_1.bin` .. `data_batch_N.bin` become the training set, in order of N, and
 * `test_batch.bin` the test set. Each record is 1 label byte then 1024 red, 1024 green and 1024
 * blue bytes of a row-major 32x32 image; pixels are reordered to HWC. The buffers are
 * SharedArrayBuffer-backed.
 *
 * Every batch is hashed (SHA-256) from the bytes read to decode it, never read twice: `digest`
 * gives each file's image count and hash for the run header. When the directory holds a
 * `SHA256SUMS` (as `sha256sum` writes it), every file it lists must be there and every batch
 * must be listed with the hash it has, so a file cut short on a record boundary or swapped is
 * refused rather than used.
 *
 * Refuses a missing directory, a gap in the training batches' numbers, a missing test batch, a
 * file whose size is not a whole number of 3073-byte records, a label outside 0..9 and a file
 * that does not match `SHA256SUMS`, naming the file.
 *
 * @example
 * const { train, test, classNames, digest } = await loadCifar10('/data/cifar-10-batches-bin');
 */
export async function loadCifar10(dir: string): Promise<Cifar10> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (error) {
    throw new Error(`The CIFAR-10 directory must exist and be readable, but got ${dir} (${describe(error)}).`);
  }
  const batches = entries
    .map((name) => ({ name, number: Number(TRAINING_BATCH.exec(name)?.[1]) }))
    .filter((entry) => !Number.isNaN(entry.number))
    .sort((a, b) => a.number - b.number);
  if (batches.length === 0) {
    throw new Error(
      `The CIFAR-10 directory ${dir} must hold at least one training batch (data_batch_1.bin .. data_batch_5.bin), but got none.`,
    );
  }
  batches.forEach(({ name, number }, index) => {
    if (number > index + 1) {
      throw new Error(`The CIFAR-10 directory ${dir} must hold every training batch from data_batch_1.bin to ${batches.at(-1)!.name}, but data_batch_${index + 1}.bin is missing.`);
    }
    if (number < index + 1) throw new Error(`The CIFAR-10 directory ${dir} must number its training batches 1, 2, 3, ... once each, but got ${name}.`);
  });
  if (!entries.includes('test_batch.bin')) {
    throw new Error(`The CIFAR-10 directory ${dir} must hold test_batch.bin, but got no such file.`);
  }
  const verify = checksumVerifier(dir, entries);
  const train = await readBatches(dir, batches.map((batch) => batch.name), verify);
  const test = await readBatches(dir, ['test_batch.bin'], verify);
  const classNames = entries.includes('batches.meta.txt')
    ? await readClassNames(join(dir, 'batches.meta.txt'), verify)
    : CIFAR10_CLASS_NAMES;
  return { train: train.set, test: test.set, classNames, digest: digestParts([...train.parts, ...test.parts]) };
}

/** Checks a file's bytes, already read, against the directory's checksum list. */
type Verify = (name: string, bytes: Uint8Array, required: boolean) => string;

/**
 * A verifier against the directory's `SHA256SUMS` when it holds one: it returns the file's
 * SHA-256 and throws when the list has another (or, for a `required` file, none).
 */
function checksumVerifier(dir: string, entries: readonly string[]): Verify {
  if (!entries.includes(CHECKSUM_LIST)) return (_name, bytes) => sha256Of(bytes);
  const list = join(dir, CHECKSUM_LIST);
  const sums = readChecksumList(list);
  for (const name of sums.keys()) {
    if (!entries.includes(name)) throw new Error(`${join(dir, name)} must exist (${list} lists it), but got no such file.`);
  }
  return (name, bytes, required) => {
    const actual = sha256Of(bytes);
    const expected = sums.get(name);
    if (expected === undefined) {
      if (required) throw new Error(`${join(dir, name)} must be listed in ${list} (the data it checks), but it is not.`);
    } else if (actual !== expected) {
      throw new Error(`${join(dir, name)} must have the SHA-256 that ${list} lists (${expected}), but got ${actual} (the file changed, was cut short or is corrupt).`);
    }
    return actual;
  };
}

async function readBatches(dir: string, names: readonly string[], verify: Verify): Promise<{ set: ImageSet; parts: DataPart[] }> {
  const counts: number[] = [];
  for (const name of names) {
    const file = join(dir, name);
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
  const parts: DataPart[] = [];
  let offset = 0;
  for (const [f, name] of names.entries()) {
    const file = join(dir, name);
    const bytes = await readFile(file);
    const records = counts[f]!;
    if (bytes.length !== records * RECORD) {
      throw new Error(`${file} must keep its size while being read, but got ${bytes.length} bytes instead of ${records * RECORD}.`);
    }
    parts.push({ name, images: records, sha256: verify(name, bytes, true) });
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
  return { set: { images, labels, count, shape: [SIDE, SIDE, 3], classes: CLASSES }, parts };
}

async function readClassNames(file: string, verify: Verify): Promise<string[]> {
  const bytes = await readFile(file);
  verify(basename(file), bytes, false);
  const names = bytes
    .toString('utf8')
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
