import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';

/**
 * A sweep's checkpoint: the global weights after a round as raw float32 (little-endian), and
 * beside it `<file>.sha256` in `sha256sum` format, so `sha256sum -c` checks it too.
 */

/** A checkpoint read back: its weights, or why it cannot be trusted. */
export type CheckpointRead = { readonly weights: Float32Array } | { readonly damaged: string };

/**
 * Writes the weights and their checksum, each aside and renamed, so that a kill mid-write never
 * leaves a truncated file under the final name.
 *
 * @example
 * writeCheckpoint('bundles/a/state/small-after-5.f32', weights);
 */
export function writeCheckpoint(path: string, weights: Float32Array): void {
  const bytes = new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength);
  writeFileSync(`${path}.part`, bytes);
  renameSync(`${path}.part`, path);
  writeFileSync(`${path}.sha256.part`, `${sha256(bytes)}  ${basename(path)}\n`);
  renameSync(`${path}.sha256.part`, `${path}.sha256`);
}

/**
 * Reads a checkpoint and checks it: its size against the model's parameters (4 bytes each), and
 * its checksum when one was written (checkpoints from before checksums are checked by size).
 *
 * @example
 * const read = readCheckpoint(path, { parameters: 17886, what: 'small after round 2' });
 * if ('damaged' in read) console.log(`${path} is damaged (${read.damaged})`);
 */
export function readCheckpoint(path: string, expected: { readonly parameters: number; readonly what: string }): CheckpointRead {
  const bytes = readFileSync(path);
  if (bytes.byteLength !== expected.parameters * 4) {
    return { damaged: `${bytes.byteLength} bytes, but ${expected.what} has ${expected.parameters} parameters, ${expected.parameters * 4} bytes` };
  }
  const sums = `${path}.sha256`;
  if (existsSync(sums) && readFileSync(sums, 'utf8').split(/\s+/)[0] !== sha256(bytes)) {
    return { damaged: `its sha256 is not the one in ${basename(sums)}` };
  }
  return { weights: new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) };
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
