import * as tf from '../vendor/tfjs.js';

/**
 * A model's trainable weights as one contiguous float32 buffer: each layer in model order, its
 * kernel then its bias, each in row-major order (conv kernels [3, 3, in, out], dense [in, out]).
 * This buffer is what the engine sends between server and clients, so its byteLength is the
 * number of bytes per transfer, and `grow.ts` reads and writes the same layout.
 *
 * @example
 * const flat = flattenWeights(model);
 * flat.byteLength === transferBytes(arch); // true
 */
export function flattenWeights(model: tf.LayersModel): Float32Array {
  const weights = model.trainableWeights;
  const flat = new Float32Array(weights.reduce((sum, weight) => sum + size(weight.shape), 0));
  let offset = 0;
  for (const weight of weights) {
    const values = weight.read().dataSync();
    flat.set(values, offset);
    offset += values.length;
  }
  return flat;
}

/**
 * Sets `model`'s trainable weights from a buffer laid out as `flattenWeights` writes it.
 *
 * @example
 * loadWeights(clientModel, flattenWeights(serverModel));
 */
export function loadWeights(model: tf.LayersModel, flat: Float32Array): void {
  const weights = model.trainableWeights;
  const expected = weights.reduce((sum, weight) => sum + size(weight.shape), 0);
  if (flat.length !== expected) {
    throw new Error(`weights must be ${expected} float32 values (the trainable weights of ${model.name}), but got ${flat.length}.`);
  }
  let offset = 0;
  for (const weight of weights) {
    const length = size(weight.shape);
    // slice, not subarray: a backend may keep the array it is given, and the caller's buffer must
    // not alias the model. write() assigns the data to the variable, so the tensor can go after.
    const values = tf.tensor(flat.slice(offset, offset + length), weight.shape as number[], 'float32');
    weight.write(values);
    values.dispose();
    offset += length;
  }
}

function size(shape: readonly (number | null)[]): number {
  return shape.reduce<number>((product, dim) => product * (dim ?? 1), 1);
}
