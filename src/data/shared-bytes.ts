/**
 * A zero-filled byte array backed by a SharedArrayBuffer, so client worker threads can read
 * image sets without a copy.
 *
 * @example
 * const images = sharedBytes(count * 32 * 32 * 3);
 */
export function sharedBytes(length: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(length));
}
