import { createHash } from 'node:crypto';
import type { ImageSet } from './image-set.js';

/**
 * One part of a run's data: a CIFAR-10 file as read, or a generated synthetic set.
 *
 * @example
 * const part: DataPart = { name: 'data_batch_1.bin', images: 10000, sha256: '2fcf…' };
 */
export interface DataPart {
  readonly name: string;
  readonly images: number;
  /** SHA-256 of the part's bytes, lowercase hex. */
  readonly sha256: string;
}

/**
 * What a run's images were, as its header records them: every part with its image count and
 * SHA-256, and one SHA-256 over them all (of the parts' `sha256sum` lines, `<sha256>  <name>\n`,
 * in order), so two runs on other data never look alike, even when a file lost whole records.
 *
 * @example
 * if (recorded.sha256 !== used.sha256) console.log(dataDifferences(recorded, used));
 */
export interface DataDigest {
  readonly sha256: string;
  readonly parts: readonly DataPart[];
}

/**
 * The digest of `parts`, in the order given.
 *
 * @example
 * digestParts([{ name: 'data_batch_1.bin', images: 10000, sha256 }, { name: 'test_batch.bin', images: 10000, sha256: other }]);
 */
export function digestParts(parts: readonly DataPart[]): DataDigest {
  const sums = parts.map((part) => `${part.sha256}  ${part.name}\n`).join('');
  return { sha256: sha256Of(Buffer.from(sums)), parts };
}

/**
 * A part for an image set held in memory (a generated one): the SHA-256 of its pixels, then its labels.
 *
 * @example
 * const { train, test } = makeSynthetic(options);
 * digestParts([imageSetPart('train', train), imageSetPart('test', test)]);
 */
export function imageSetPart(name: string, set: ImageSet): DataPart {
  const hash = createHash('sha256').update(set.images).update(set.labels);
  return { name, images: set.count, sha256: hash.digest('hex') };
}

/**
 * SHA-256 of `bytes`, lowercase hex.
 *
 * @example
 * sha256Of(await readFile(file)); // hashes bytes already read, without a second read
 */
export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * How the data `used` differs from the `recorded` data, one phrase per part in the recorded
 * order then the new parts, e.g. `['data_batch_1.bin has 9000 images (recorded 10000)']`.
 *
 * @example
 * dataDifferences(header.data, digest); // [] when the same data
 */
export function dataDifferences(recorded: DataDigest, used: DataDigest): string[] {
  const now = new Map(used.parts.map((part) => [part.name, part]));
  const before = new Set(recorded.parts.map((part) => part.name));
  const differences: string[] = [];
  for (const part of recorded.parts) {
    const current = now.get(part.name);
    if (current === undefined) differences.push(`${part.name} is missing (recorded with ${part.images} images)`);
    else if (current.images !== part.images) differences.push(`${part.name} has ${current.images} images (recorded ${part.images})`);
    else if (current.sha256 !== part.sha256) differences.push(`${part.name} has other content (sha256 ${current.sha256}, recorded ${part.sha256})`);
  }
  for (const part of used.parts) if (!before.has(part.name)) differences.push(`${part.name} is new (${part.images} images)`);
  if (differences.length === 0 && recorded.sha256 !== used.sha256) differences.push(`the data's sha256 is ${used.sha256} (recorded ${recorded.sha256})`);
  return differences;
}
