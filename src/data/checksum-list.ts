import { createHash } from 'node:crypto';
import { createReadStream, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { quoteValue } from '../metrics/quote-value.js';

/**
 * The name of the checksum list a data directory may hold, in the format `sha256sum` writes
 * (`<64 hex digits>  <file name>` a line; `sha256sum -c SHA256SUMS` checks it by hand).
 *
 * @example
 * existsSync(join(dir, CHECKSUM_LIST)); // the loader verifies every file it reads against it
 */
export const CHECKSUM_LIST = 'SHA256SUMS';

const LINE = /^([0-9a-fA-F]{64}) [ *](.+)$/;

/**
 * Reads a `sha256sum` listing: file name to lowercase SHA-256. Blank lines are skipped; any other
 * line that is not `<sha256>  <name>` (or `<sha256> *<name>`, binary mode) is an error naming the
 * file and the line.
 *
 * @example
 * readChecksumList('/data/cifar-10-batches-bin/SHA256SUMS').get('test_batch.bin'); // '0942e6e7…'
 */
export function readChecksumList(file: string): Map<string, string> {
  const sums = new Map<string, string>();
  const lines = readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const match = LINE.exec(line);
    if (match === null) {
      throw new Error(`${file}:${index + 1}: each line must be "<sha256>  <file name>" as sha256sum writes it, but got ${quoteValue(line, 80)}.`);
    }
    sums.set(match[2]!, match[1]!.toLowerCase());
  });
  return sums;
}

/**
 * Writes `dir/SHA256SUMS` for every file in `dir` (sorted by name, the list itself left out), as
 * `sha256sum` would: what `fedgear data fetch` leaves beside the files it unpacked from an archive
 * whose MD5 it checked, so every later load verifies them.
 *
 * @example
 * await writeChecksumList('/home/ada/.cache/fedgear/cifar-10-batches-bin');
 */
export async function writeChecksumList(dir: string): Promise<void> {
  const names = readdirSync(dir)
    .filter((name) => name !== CHECKSUM_LIST && statSync(join(dir, name)).isFile())
    .sort();
  const lines: string[] = [];
  for (const name of names) {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(join(dir, name))) hash.update(chunk as Buffer);
    lines.push(`${hash.digest('hex')}  ${name}\n`);
  }
  writeFileSync(join(dir, CHECKSUM_LIST), lines.join(''));
}
