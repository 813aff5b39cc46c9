import * as tf from '../vendor/tfjs.js';
import type { ImageSet } from '../data/image-set.js';
import type { Normalization } from './image-batch.js';
import { runSgd, type SgdOptions, type SgdResult } from './sgd.js';

/** How the student weighs the teacher's soft targets against the true labels. */
export interface DistillationOptions extends SgdOptions {
  /** Softmax temperature of both teacher and student (Hinton et al., 2015). */
  readonly temperature: number;
  /** Weight of the soft-target term in [0, 1]; the rest goes to the hard labels. */
  readonly softWeight: number;
}

/**
 * Knowledge distillation (Hinton, Vinyals and Dean, 2015, "Distilling the Knowledge in a Neural
 * Network"): trains `student` in place to match `teacher`'s temperature-softened outputs on
 * `data`, mixed with the true labels. The soft term is scaled by T^2 so its gradients keep their
 * size as T changes.
 *
 * @example
 * distill(smallModel, largeModel, serverShare, normalization, { ...sgd, temperature: 4, softWeight: 0.9 });
 */
export function distill(
  teacher: tf.LayersModel,
  student: tf.LayersModel,
  data: ImageSet,
  normalization: Normalization,
  options: DistillationOptions,
): SgdResult {
  const t = options.temperature;
  return runSgd(student, data, normalization, options, (logits, y, x) => {
    const soft = tf.softmax(tf.div(teacher.apply(x, { training: false }) as tf.Tensor2D, t));
    const softLoss = tf.losses.softmaxCrossEntropy(soft, tf.div(logits, t)).mul(t * t);
    const hardLoss = tf.losses.softmaxCrossEntropy(y, logits);
    return softLoss.mul(options.softWeight).add(hardLoss.mul(1 - options.softWeight)) as tf.Scalar;
  });
}
