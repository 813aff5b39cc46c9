/**
 * The max-pooling gradient for the wasm backend as one JS pass over the wasm heap.
 * tfjs-backend-wasm 4.22's `MaxPoolGrad` rescans every window for every input pixel and cost the
 * small model's training step more than all its forward convolutions; this one finds each
 * window's maximum once and adds the window's gradient there.
 *
 * Ties and empty windows follow the cpu backend: the first maximum in row-major window order takes
 * the gradient, and a window whose values are all -Infinity or NaN passes none.
 */
import * as tf from '../vendor/tfjs.js';
import type { BackendWasm } from '../vendor/tfjs.js';

const BACKEND = 'wasm';

interface MaxPoolGradAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

function maxPoolGradWasm(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
  const dx = backend.makeOutput(input.shape, 'float32');
  // Views are taken after allocating: a growing wasm memory detaches older ones.
  const out = backend.typedArrayFromHeap(dx) as Float32Array;
  out.fill(0);
  scatterToMaxima(backend.typedArrayFromHeap(input) as Float32Array, backend.typedArrayFromHeap(dy) as Float32Array, out, info);
  return dx;
}

/**
 * Adds each window's gradient at the window's first maximum, channel by channel. Kept apart from
 * the kernel function, whose argument objects vary in shape, so that V8 keeps this loop optimised.
 */
function scatterToMaxima(x: Float32Array, grad: Float32Array, out: Float32Array, info: tf.backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth, strideHeight, strideWidth } = info;
  const { effectiveFilterHeight, effectiveFilterWidth } = info;
  const { top, left } = info.padInfo;
  // Per channel of the current window: the largest value so far and where it is.
  const best = new Float32Array(channels);
  const bestAt = new Int32Array(channels);
  let dyIndex = 0;
  for (let n = 0; n < batchSize; n++) {
    for (let i = 0; i < outHeight; i++) {
      const rowStart = Math.max(0, i * strideHeight - top);
      const rowEnd = Math.min(inHeight, i * strideHeight - top + effectiveFilterHeight);
      for (let j = 0; j < outWidth; j++) {
        const colStart = Math.max(0, j * strideWidth - left);
        const colEnd = Math.min(inWidth, j * strideWidth - left + effectiveFilterWidth);
        best.fill(Number.NEGATIVE_INFINITY);
        bestAt.fill(-1);
        for (let row = rowStart; row < rowEnd; row++) {
          for (let col = colStart; col < colEnd; col++) {
            const base = ((n * inHeight + row) * inWidth + col) * channels;
            for (let c = 0; c < channels; c++) {
              const value = x[base + c]!;
              if (value > best[c]!) {
                best[c] = value;
                bestAt[c] = base + c;
              }
            }
          }
        }
        for (let c = 0; c < channels; c++) {
          const at = bestAt[c]!;
          if (at >= 0) out[at] = out[at]! + grad[dyIndex + c]!;
        }
        dyIndex += channels;
      }
    }
  }
}

/**
 * Replaces the wasm backend's `MaxPoolGrad` with the single-pass one. Safe to call more than once.
 *
 * @example
 * registerWasmMaxPoolGrad();
 * await tf.setBackend('wasm');
 */
export function registerWasmMaxPoolGrad(): void {
  if (tf.getKernel(tf.MaxPoolGrad, BACKEND)?.kernelFunc === maxPoolGradWasm) return;
  if (tf.getKernel(tf.MaxPoolGrad, BACKEND) !== undefined) tf.unregisterKernel(tf.MaxPoolGrad, BACKEND);
  tf.registerKernel({ kernelName: tf.MaxPoolGrad, backendName: BACKEND, kernelFunc: maxPoolGradWasm as tf.KernelFunc });
}
