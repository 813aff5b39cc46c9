import * as tf from '../vendor/tfjs.js';
import type { ImageSet } from '../data/image-set.js';
import type { Metrics } from '../metrics/round-record.js';
import { imageBatch, type Normalization } from './image-batch.js';

/**
 * Accuracy and mean cross-entropy of `model` on a whole image set, in batches.
 *
 * @example
 * const { accuracy, loss } = evaluate(model, validation, normalization);
 */
export function evaluate(model: tf.LayersModel, data: ImageSet, normalization: Normalization, batchSize = 500): Metrics {
  let correct = 0;
  let lossSum = 0;
  for (let start = 0; start < data.count; start += batchSize) {
    const indices = Array.from({ length: Math.min(batchSize, data.count - start) }, (_, k) => start + k);
    const { x, y } = imageBatch(data, indices, normalization);
    const [hits, loss] = tf.tidy(() => {
      const logits = model.apply(x, { training: false }) as tf.Tensor2D;
      const hit = tf.equal(tf.argMax(logits, 1), tf.argMax(y, 1)).sum();
      const lossTotal = tf.losses.softmaxCrossEntropy(y, logits, undefined, undefined, tf.Reduction.SUM);
      return [hit.dataSync()[0]!, lossTotal.dataSync()[0]!];
    });
    x.dispose();
    y.dispose();
    correct += hits;
    lossSum += loss;
  }
  return { accuracy: correct / data.count, loss: lossSum / data.count };
}
