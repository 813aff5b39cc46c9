import * as tf from '../vendor/tfjs.js';
import type { ImageSet } from '../data/image-set.js';

/** Per-channel mean and standard deviation, in 0..1 pixel units. */
export interface Normalization {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/**
 * Turns selected images into a normalised float batch and one-hot labels.
 *
 * `flipped[k]` mirrors image k left-right (the usual CIFAR augmentation); it is decided by the
 * caller's seeded generator so training stays reproducible.
 *
 * @example
 * const { x, y } = imageBatch(set, [0, 1, 2], normalization);
 */
export function imageBatch(
  set: ImageSet,
  indices: ArrayLike<number>,
  normalization: Normalization,
  flipped?: ArrayLike<boolean>,
): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const [height, width, channels] = set.shape;
  const imageSize = height * width * channels;
  const rowSize = width * channels;
  const count = indices.length;
  const pixels = new Float32Array(count * imageSize);
  const labels = new Int32Array(count);
  const scale = new Float32Array(channels);
  const shift = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    scale[c] = 1 / (255 * normalization.std[c]!);
    shift[c] = normalization.mean[c]! / normalization.std[c]!;
  }
  for (let k = 0; k < count; k++) {
    const index = indices[k]!;
    const source = index * imageSize;
    const target = k * imageSize;
    const flip = flipped?.[k] === true;
    for (let row = 0; row < height; row++) {
      for (let col = 0; col < width; col++) {
        const from = source + row * rowSize + (flip ? width - 1 - col : col) * channels;
        const to = target + row * rowSize + col * channels;
        for (let c = 0; c < channels; c++) pixels[to + c] = set.images[from + c]! * scale[c]! - shift[c]!;
      }
    }
    labels[k] = set.labels[index]!;
  }
  return tf.tidy(() => ({
    x: tf.tensor4d(pixels, [count, height, width, channels]),
    y: tf.oneHot(tf.tensor1d(labels, 'int32'), set.classes) as tf.Tensor2D,
  }));
}
