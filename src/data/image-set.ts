/**
 * A labelled set of images held as raw bytes, the form every data source produces and every
 * consumer (partitioning, client workers, evaluation) reads.
 *
 * Pixels are 0..255 in NHWC order (image, row, column, channel). The buffers may be backed by a
 * SharedArrayBuffer so that client workers read their shard without a copy.
 *
 * @example
 * const set: ImageSet = { images, labels, count: 2, shape: [32, 32, 3], classes: 10 };
 */
export interface ImageSet {
  /** count * height * width * channels bytes, NHWC. */
  readonly images: Uint8Array;
  /** One class index per image, each in [0, classes). */
  readonly labels: Uint8Array;
  /** Number of images. */
  readonly count: number;
  /** [height, width, channels] of one image. */
  readonly shape: readonly [number, number, number];
  /** Number of classes. */
  readonly classes: number;
}
