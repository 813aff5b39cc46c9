import * as tf from '../vendor/tfjs.js';
import type { ImageSet } from '../data/image-set.js';
import type { Normalization } from './image-batch.js';
import { runSgd, type SgdOptions, type SgdResult } from './sgd.js';

/**
 * Supervised training on labelled images with softmax cross-entropy: what a client does in a
 * round, and what the server does when it pre-trains on its share.
 *
 * @example
 * const { loss, accuracy, samples } = trainOnLabels(model, shard, normalization, options);
 */
export function trainOnLabels(
  model: tf.LayersModel,
  data: ImageSet,
  normalization: Normalization,
  options: SgdOptions,
): SgdResult {
  return runSgd(model, data, normalization, options, (logits, y) => tf.losses.softmaxCrossEntropy(y, logits));
}
