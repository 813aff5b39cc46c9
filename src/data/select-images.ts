import type { ImageSet } from './image-set.js';
import { sharedBytes } from './shared-bytes.js';

/**
 * A new image set holding the images of `set` at `indices`, in that order, copied into
 * SharedArrayBuffer-backed buffers.
 *
 * @example
 * const firstTen = selectImages(train, Array.from({ length: 10 }, (_, i) => i));
 */
export function selectImages(set: ImageSet, indices: ArrayLike<number>): ImageSet {
  const [height, width, channels] = set.shape;
  const imageSize = height * width * channels;
  const count = indices.length;
  const images = sharedBytes(count * imageSize);
  const labels = sharedBytes(count);
  for (let k = 0; k < count; k++) {
    const index = indices[k]!;
    if (!Number.isInteger(index) || index < 0 || index >= set.count) {
      throw new Error(`An image index must be an integer in 0..${set.count - 1}, but got ${index}.`);
    }
    images.set(set.images.subarray(index * imageSize, (index + 1) * imageSize), k * imageSize);
    labels[k] = set.labels[index]!;
  }
  return { images, labels, count, shape: [height, width, channels], classes: set.classes };
}
