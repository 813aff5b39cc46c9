import type * as tf from '../vendor/tfjs.js';
import type { ImageSet } from '../data/image-set.js';
import type { Architecture } from '../models/architecture.js';
import { buildModel } from '../models/build-model.js';
import { growWeights } from '../models/grow.js';
import { flattenWeights, loadWeights } from '../models/weights.js';
import { distill, type DistillationOptions } from './distillation.js';
import type { Normalization } from './image-batch.js';
import type { TransferKind } from './run-config.js';

/** What a transfer may use on the server. */
export interface TransferContext {
  readonly serverShare: ImageSet;
  readonly normalization: Normalization;
  readonly distillation: DistillationOptions;
  /** Seeds the new model's fresh weights and the growth's random splits. */
  readonly seed: number;
}

/**
 * Builds the next gear's model from the current one:
 * - `stack`: function-preserving growth (Net2Net): the new model computes what the old one did;
 * - `kd`: a fresh model distilled from the old one on the server share;
 * - `scratch`: a fresh model, nothing inherited (the baseline).
 *
 * @example
 * const large = transferGear('stack', small, ladder[0], ladder[1], context);
 */
export function transferGear(
  kind: TransferKind,
  from: tf.LayersModel,
  fromArchitecture: Architecture,
  toArchitecture: Architecture,
  context: TransferContext,
): tf.LayersModel {
  const to = buildModel(toArchitecture, context.seed);
  switch (kind) {
    case 'scratch':
      break;
    case 'stack':
      loadWeights(to, growWeights(fromArchitecture, toArchitecture, flattenWeights(from), context.seed));
      break;
    case 'kd':
      distill(from, to, context.serverShare, context.normalization, context.distillation);
      break;
  }
  return to;
}
