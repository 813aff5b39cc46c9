import * as tf from '../vendor/tfjs.js';
import { Random } from '../data/random.js';
import type { ImageSet } from '../data/image-set.js';
import { imageBatch, type Normalization } from './image-batch.js';

/** Hyper-parameters of mini-batch SGD with momentum and (coupled, L2) weight decay. */
export interface SgdOptions {
  /** Passes over the data. */
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly momentum: number;
  /** L2 coefficient added to every weight's gradient, as torch.optim.SGD's weight_decay. */
  readonly weightDecay: number;
  /** Seeds the shuffling and the flips. */
  readonly seed: number;
  /** Random left-right flips of training images. */
  readonly augment: boolean;
}

/**
 * Mean loss and accuracy over the samples seen, and how many samples that was. Accuracy counts a
 * batch's predictions (the training-mode logits, before that batch's update) that match its
 * labels: the usual "training accuracy" of a pass.
 */
export interface SgdResult {
  readonly loss: number;
  readonly accuracy: number;
  readonly samples: number;
}

/** A batch loss: the model's logits for `x` against one-hot labels `y`, as a scalar. */
export type BatchLoss = (logits: tf.Tensor2D, y: tf.Tensor2D, x: tf.Tensor4D) => tf.Scalar;

/**
 * Trains `model` in place with SGD on `data`: shared by client training, server pre-training and
 * distillation, which differ only in their batch loss.
 *
 * The optimiser (and its momentum) is created afresh per call, as a federated client starts each
 * round from the global weights with no optimiser state.
 *
 * @example
 * runSgd(model, shard, normalization, options, (logits, y) => tf.losses.softmaxCrossEntropy(y, logits));
 */
export function runSgd(
  model: tf.LayersModel,
  data: ImageSet,
  normalization: Normalization,
  options: SgdOptions,
  batchLoss: BatchLoss,
): SgdResult {
  const random = new Random(options.seed);
  const optimizer = tf.train.momentum(options.learningRate, options.momentum);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const order = Array.from({ length: data.count }, (_, i) => i);
  let lossSum = tf.scalar(0);
  let correctSum = tf.scalar(0);
  let samples = 0;
  try {
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      random.shuffle(order);
      for (let start = 0; start < data.count; start += options.batchSize) {
        const indices = order.slice(start, start + options.batchSize);
        const flipped = options.augment ? indices.map(() => random.next() < 0.5) : undefined;
        const { x, y } = imageBatch(data, indices, normalization, flipped);
        let correct: tf.Scalar | undefined;
        const [nextLoss, nextCorrect] = tf.tidy(() => {
          const gradients = batchGradients(model, variables, x, y, batchLoss);
          correct = gradients.correct;
          applySgdUpdate(optimizer, variables, gradients.grads, options.weightDecay);
          return [lossSum.add(gradients.value.mul(indices.length)) as tf.Scalar, correctSum.add(correct) as tf.Scalar];
        });
        correct?.dispose();
        lossSum.dispose();
        correctSum.dispose();
        lossSum = nextLoss!;
        correctSum = nextCorrect!;
        samples += indices.length;
        x.dispose();
        y.dispose();
      }
    }
    const loss = samples > 0 ? lossSum.dataSync()[0]! / samples : Number.NaN;
    const accuracy = samples > 0 ? correctSum.dataSync()[0]! / samples : Number.NaN;
    return { loss, accuracy, samples };
  } finally {
    lossSum.dispose();
    correctSum.dispose();
    optimizer.dispose();
  }
}

/** One batch's mean loss, how many of its images the model got right, and each variable's gradient. */
export interface BatchGradients {
  readonly value: tf.Scalar;
  /** Kept past any enclosing tidy: the caller disposes it. */
  readonly correct: tf.Scalar;
  readonly grads: tf.NamedTensorMap;
}

/**
 * The forward pass, the batch loss and the backward pass of one batch: the first half of an SGD
 * step (`applySgdUpdate` is the second). Call it inside `tf.tidy`.
 *
 * @example
 * const { value, correct, grads } = batchGradients(model, variables, x, y, (logits, y) => tf.losses.softmaxCrossEntropy(y, logits));
 */
export function batchGradients(model: tf.LayersModel, variables: readonly tf.Variable[], x: tf.Tensor4D, y: tf.Tensor2D, batchLoss: BatchLoss): BatchGradients {
  let correct: tf.Scalar | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const logits = model.apply(x, { training: true }) as tf.Tensor2D;
    // Kept past the gradient's own tidy: the forward pass is already here, so counting
    // the batch's correct predictions costs no second forward pass.
    correct = tf.keep(tf.equal(logits.argMax(1), y.argMax(1)).sum<tf.Scalar>().toFloat());
    return batchLoss(logits, y, x);
  }, [...variables]);
  return { value, correct: correct!, grads };
}

/**
 * The second half of an SGD step: adds the (coupled, L2) weight decay to each gradient and lets
 * the momentum optimiser update the variables. Call it inside `tf.tidy`.
 *
 * @example
 * applySgdUpdate(tf.train.momentum(0.01, 0.9), variables, grads, 5e-4);
 */
export function applySgdUpdate(optimizer: tf.Optimizer, variables: readonly tf.Variable[], grads: tf.NamedTensorMap, weightDecay: number): void {
  optimizer.applyGradients(
    variables.map((variable) => {
      const grad = grads[variable.name]!;
      return { name: variable.name, tensor: weightDecay > 0 ? grad.add(variable.mul(weightDecay)) : grad };
    }),
  );
}
