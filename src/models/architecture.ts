/**
 * A plain-data description of a VGG-style CNN: stages of 3x3 'same' convolutions with ReLU, each
 * stage optionally closed by a 2x2 max-pool, then a flatten, hidden ReLU dense layers and a linear
 * output layer giving one logit per class.
 *
 * It is data, not a tfjs model, so that counting parameters, printing a table, checking that one
 * model can grow into another and growing the weights need no tensors at all.
 *
 * @example
 * const small: Architecture = {
 *   name: 'small', inputShape: [32, 32, 3], classes: 10,
 *   stages: [{ convs: [16, 16], pool: true }, { convs: [32, 32], pool: true }], dense: [128],
 * };
 */
export interface Architecture {
  readonly name: string;
  /** [height, width, channels] of one input image. */
  readonly inputShape: readonly [number, number, number];
  /** Number of output logits. */
  readonly classes: number;
  readonly stages: readonly Stage[];
  /** Widths of the hidden ReLU dense layers between the flatten and the output layer. */
  readonly dense: readonly number[];
}

/** Consecutive convolutions at one resolution, optionally followed by a 2x2 max-pool. */
export interface Stage {
  /** Filters of each 3x3 convolution, in order. */
  readonly convs: readonly number[];
  readonly pool: boolean;
}

/**
 * One layer of an architecture as the model builder creates it, in order, with the shape of its
 * output (without the batch dimension). Weight layers (`conv`, `dense`) also carry their input
 * width, which fixes the shape of their kernel: conv [3, 3, inputs, units], dense [inputs, units].
 *
 * @example
 * layers(small)[0]; // { kind: 'conv', name: 'stage1-conv1', inputs: 3, units: 16, relu: true, outputShape: [32, 32, 16] }
 */
export type Layer = WeightLayer | { readonly kind: 'pool' | 'flatten'; readonly name: string; readonly outputShape: readonly number[] };

/**
 * A layer that holds weights: a kernel and a bias.
 *
 * @example
 * const logits: WeightLayer = { kind: 'dense', name: 'logits', inputs: 128, units: 10, relu: false, outputShape: [10] };
 */
export interface WeightLayer {
  readonly kind: 'conv' | 'dense';
  readonly name: string;
  readonly inputs: number;
  readonly units: number;
  /** Hidden layers apply a ReLU; the output layer is linear. */
  readonly relu: boolean;
  readonly outputShape: readonly number[];
}

/** Side length of the square convolution kernels. */
export const KERNEL_SIZE = 3;

/**
 * The layers of `arch` in model order, after checking that every size is a positive integer and
 * that no pool shrinks an image to nothing. Names are stable (`stage2-conv1`, `stage2-pool`,
 * `flatten`, `dense1`, `logits`): they name the tfjs layers and the rows of printed tables.
 *
 * @example
 * layers(small).map((layer) => layer.name);
 * // ['stage1-conv1', 'stage1-conv2', 'stage1-pool', 'stage2-conv1', 'stage2-conv2', 'stage2-pool', 'flatten', 'dense1', 'logits']
 */
export function layers(arch: Architecture): Layer[] {
  const [height, width, channels] = arch.inputShape;
  requirePositiveInteger(`${arch.name}.inputShape[0]`, height);
  requirePositiveInteger(`${arch.name}.inputShape[1]`, width);
  requirePositiveInteger(`${arch.name}.inputShape[2]`, channels);
  requirePositiveInteger(`${arch.name}.classes`, arch.classes);
  const result: Layer[] = [];
  let [h, w, c] = [height, width, channels];
  arch.stages.forEach((stage, s) => {
    stage.convs.forEach((filters, k) => {
      requirePositiveInteger(`${arch.name}.stages[${s}].convs[${k}]`, filters);
      result.push({ kind: 'conv', name: `stage${s + 1}-conv${k + 1}`, inputs: c, units: filters, relu: true, outputShape: [h, w, filters] });
      c = filters;
    });
    if (stage.pool) {
      if (h < 2 || w < 2) {
        throw new Error(`the input of ${arch.name}'s stage ${s + 1} pool must be at least 2x2, but got ${h}x${w}.`);
      }
      // 'valid' 2x2 pooling with stride 2 drops an odd last row or column, as tfjs does.
      h = Math.floor(h / 2);
      w = Math.floor(w / 2);
      result.push({ kind: 'pool', name: `stage${s + 1}-pool`, outputShape: [h, w, c] });
    }
  });
  let units = h * w * c;
  result.push({ kind: 'flatten', name: 'flatten', outputShape: [units] });
  arch.dense.forEach((width, d) => {
    requirePositiveInteger(`${arch.name}.dense[${d}]`, width);
    result.push({ kind: 'dense', name: `dense${d + 1}`, inputs: units, units: width, relu: true, outputShape: [width] });
    units = width;
  });
  result.push({ kind: 'dense', name: 'logits', inputs: units, units: arch.classes, relu: false, outputShape: [arch.classes] });
  return result;
}

/**
 * The layers of `arch` that hold weights, in the order their kernels and biases are serialised.
 *
 * @example
 * weightLayers(small).length; // 6
 */
export function weightLayers(arch: Architecture): WeightLayer[] {
  return layers(arch).filter(isWeightLayer);
}

/**
 * Whether `layer` holds weights (a conv or dense layer).
 *
 * @example
 * layers(small).filter(isWeightLayer).length; // 6
 */
export function isWeightLayer(layer: Layer): layer is WeightLayer {
  return layer.kind === 'conv' || layer.kind === 'dense';
}

/**
 * Number of weights in a weight layer's kernel.
 *
 * @example
 * kernelSize({ kind: 'conv', name: 'c', inputs: 3, units: 16, relu: true, outputShape: [32, 32, 16] }); // 432
 */
export function kernelSize(layer: WeightLayer): number {
  const taps = layer.kind === 'conv' ? KERNEL_SIZE * KERNEL_SIZE : 1;
  return taps * layer.inputs * layer.units;
}

/**
 * Number of trainable parameters (kernels and biases) of `arch`.
 *
 * @example
 * countParameters(small); // 280,218: the paper ladder's small at width 16 on 32x32x3
 */
export function countParameters(arch: Architecture): number {
  return weightLayers(arch).reduce((sum, layer) => sum + kernelSize(layer) + layer.units, 0);
}

/**
 * Number of layers with weights (convolutions and dense layers, the output layer included): the
 * "6-layer" and "12-layer" of the paper.
 *
 * @example
 * countWeightLayers(small); // 6
 */
export function countWeightLayers(arch: Architecture): number {
  return weightLayers(arch).length;
}

/**
 * Multiply-adds of one forward pass on one example: 9 x inputs x units per output pixel of a
 * conv, inputs x units per dense layer. Training costs about three times this per example, so
 * the ratio between two gears estimates the ratio of their training seconds far better than the
 * ratio of their parameters (most parameters sit in dense layers, most compute in convolutions).
 *
 * @example
 * multiplyAdds(small); // 495,936 for the paper ladder's small at width 4 on 32x32x3
 */
export function multiplyAdds(arch: Architecture): number {
  return weightLayers(arch).reduce((sum, layer) => {
    const pixels = layer.kind === 'conv' ? layer.outputShape[0]! * layer.outputShape[1]! : 1;
    return sum + pixels * kernelSize(layer);
  }, 0);
}

/**
 * Bytes of one model transfer (server to client or back): every parameter as a float32, which is
 * exactly what the engine sends.
 *
 * @example
 * transferBytes(small); // countParameters(small) * 4
 */
export function transferBytes(arch: Architecture): number {
  return countParameters(arch) * Float32Array.BYTES_PER_ELEMENT;
}

function requirePositiveInteger(what: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${what} must be a positive integer, but got ${value}.`);
}
