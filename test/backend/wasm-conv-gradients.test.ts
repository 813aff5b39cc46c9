import * as tf from '../../src/vendor/tfjs.js';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { values } from '../support/deterministic-values.js';
import { registerWasmConvGradients } from '../../src/backend/wasm-conv-gradients.js';

type Shape4 = [number, number, number, number];
type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];

interface ConvCase {
  batch: number;
  height: number;
  width: number;
  inChannels: number;
  outChannels: number;
  kernel: number;
  strides: number;
  pad: Pad;
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Largest absolute difference, relative to the largest expected magnitude (at least 1). */
function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return diff / scale;
}

/** Gradients of sum(conv2d(x, f) * r) with respect to x and f, computed by `backend`. */
async function convGradients(backend: string, c: ConvCase): Promise<[Float32Array, Float32Array]> {
  await tf.setBackend(backend);
  const xShape: Shape4 = [c.batch, c.height, c.width, c.inChannels];
  const fShape: Shape4 = [c.kernel, c.kernel, c.inChannels, c.outChannels];
  const x = tf.tensor4d(values(sizeOf(xShape), 1), xShape);
  const f = tf.tensor4d(values(sizeOf(fShape), 2), fShape);
  const outShape = tf.tidy(() => tf.conv2d(x, f, c.strides, c.pad).shape);
  const r = tf.tensor(values(sizeOf(outShape), 3), outShape);
  const [dx, df] = tf.grads((a, b) =>
    tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad).mul(r).sum(),
  )([x, f]);
  const result: [Float32Array, Float32Array] = [
    (await dx!.data()) as Float32Array,
    (await df!.data()) as Float32Array,
  ];
  tf.dispose([x, f, r, dx!, df!]);
  return result;
}

async function expectWasmMatchesCpu(c: ConvCase): Promise<void> {
  const [wasmDx, wasmDf] = await convGradients('wasm', c);
  const [cpuDx, cpuDf] = await convGradients('cpu', c);
  expect(relativeError(wasmDx, cpuDx)).toBeLessThan(1e-4);
  expect(relativeError(wasmDf, cpuDf)).toBeLessThan(1e-4);
}

interface KernelGeometry {
  strides: number;
  dilations: number;
  pad: Pad;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * Both gradients straight from the definition y[n,i,j,o] = sum x[n, i*s + a*d - top, j*s + b*d -
 * left, c] * f[a,b,c,o] (reads outside x are zero), for cases tfjs's cpu backend does not cover.
 */
function referenceGradients(
  x: Float32Array,
  xShape: Shape4,
  f: Float32Array,
  fShape: Shape4,
  dy: Float32Array,
  g: KernelGeometry,
): { dx: Float32Array; df: Float32Array } {
  const info = tf.backend_util.computeConv2DInfo(xShape, fShape, g.strides, g.dilations, g.pad, g.dimRoundingMode);
  const [n, h, w, ci] = xShape;
  const [kh, kw, , co] = fShape;
  const dx = new Float32Array(x.length);
  const df = new Float32Array(f.length);
  for (let b = 0; b < n; b++)
    for (let i = 0; i < info.outHeight; i++)
      for (let j = 0; j < info.outWidth; j++)
        for (let a = 0; a < kh; a++)
          for (let e = 0; e < kw; e++) {
            const row = i * info.strideHeight + a * info.dilationHeight - info.padInfo.top;
            const col = j * info.strideWidth + e * info.dilationWidth - info.padInfo.left;
            if (row < 0 || row >= h || col < 0 || col >= w) continue;
            for (let c = 0; c < ci; c++)
              for (let o = 0; o < co; o++) {
                const g0 = dy[((b * info.outHeight + i) * info.outWidth + j) * co + o]!;
                const xi = ((b * h + row) * w + col) * ci + c;
                const fi = ((a * kw + e) * ci + c) * co + o;
                df[fi]! += x[xi]! * g0;
                dx[xi]! += f[fi]! * g0;
              }
          }
  return { dx, df };
}

/** Runs both gradient kernels on wasm directly, as a caller other than tf.conv2d's gradient would. */
async function wasmKernelGradients(
  xShape: Shape4,
  fShape: Shape4,
  g: KernelGeometry,
  dataFormat: 'NHWC' | 'NCHW',
): Promise<{ dx: Float32Array; df: Float32Array; reference: ReturnType<typeof referenceGradients> }> {
  await tf.setBackend('wasm');
  const xValues = values(sizeOf(xShape), 4);
  const fValues = values(sizeOf(fShape), 5);
  const info = tf.backend_util.computeConv2DInfo(xShape, fShape, g.strides, g.dilations, g.pad, g.dimRoundingMode);
  const dyValues = values(sizeOf(info.outShape), 6);
  const reference = referenceGradients(xValues, xShape, fValues, fShape, dyValues, g);
  const toFormat = (t: tf.Tensor4D): tf.Tensor4D => (dataFormat === 'NCHW' ? t.transpose([0, 3, 1, 2]) : t);
  const fromFormat = (t: tf.Tensor4D): tf.Tensor4D => (dataFormat === 'NCHW' ? t.transpose([0, 2, 3, 1]) : t);
  const [dx, df] = tf.tidy(() => {
    const x = toFormat(tf.tensor4d(xValues, xShape));
    const f = tf.tensor4d(fValues, fShape);
    const dy = toFormat(tf.tensor4d(dyValues, info.outShape as Shape4));
    const nchwPad = (p: Pad): Pad =>
      Array.isArray(p) && dataFormat === 'NCHW' ? [p[0], p[3], p[1], p[2]] : p;
    const common = {
      strides: g.strides,
      dilations: g.dilations,
      pad: nchwPad(g.pad),
      dataFormat,
      ...(g.dimRoundingMode === undefined ? {} : { dimRoundingMode: g.dimRoundingMode }),
    };
    const engine = tf.engine();
    const filterGrad = engine.runKernel(tf.Conv2DBackpropFilter, { x, dy }, { ...common, filterShape: fShape });
    const inputGrad = engine.runKernel(tf.Conv2DBackpropInput, { dy, filter: f }, { ...common, inputShape: x.shape });
    return [fromFormat(inputGrad as tf.Tensor4D), filterGrad as tf.Tensor4D];
  });
  const result = { dx: (await dx.data()) as Float32Array, df: (await df.data()) as Float32Array, reference };
  tf.dispose([dx, df]);
  return result;
}

beforeAll(async () => {
  // Mutes the cpu backend's advice to install tfjs-node. (IS_TEST would too, but its kernel leak
  // check misfires on fused ops recorded for gradients; leaks are checked explicitly below.)
  tf.env().set('PROD', true);
  registerWasmConvGradients();
  await tf.setBackend('wasm');
});

describe('registerWasmConvGradients', () => {
  it('gives the wasm backend a Conv2DBackpropFilter kernel, so conv nets can train on it', () => {
    expect(tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')).toBeDefined();
  });

  it('can be called again without changing the registered kernels', () => {
    const filterKernel = tf.getKernel(tf.Conv2DBackpropFilter, 'wasm');
    const inputKernel = tf.getKernel(tf.Conv2DBackpropInput, 'wasm');
    registerWasmConvGradients();
    expect(tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')).toBe(filterKernel);
    expect(tf.getKernel(tf.Conv2DBackpropInput, 'wasm')).toBe(inputKernel);
  });
});

describe('the wasm convolution gradients equal the cpu backend ones', () => {
  const cases: ConvCase[] = [
    { batch: 1, height: 5, width: 5, inChannels: 1, outChannels: 1, kernel: 1, strides: 1, pad: 'valid' },
    { batch: 2, height: 5, width: 7, inChannels: 3, outChannels: 4, kernel: 3, strides: 1, pad: 'same' },
    { batch: 3, height: 8, width: 8, inChannels: 2, outChannels: 5, kernel: 3, strides: 1, pad: 'same' },
    { batch: 4, height: 7, width: 7, inChannels: 5, outChannels: 3, kernel: 5, strides: 1, pad: 'same' },
    { batch: 5, height: 13, width: 13, inChannels: 3, outChannels: 8, kernel: 3, strides: 1, pad: 'valid' },
    { batch: 2, height: 32, width: 32, inChannels: 3, outChannels: 16, kernel: 3, strides: 1, pad: 'same' },
    { batch: 1, height: 32, width: 32, inChannels: 16, outChannels: 17, kernel: 3, strides: 1, pad: 'same' },
    { batch: 2, height: 8, width: 13, inChannels: 17, outChannels: 1, kernel: 5, strides: 1, pad: 'valid' },
    { batch: 2, height: 8, width: 8, inChannels: 4, outChannels: 4, kernel: 3, strides: 1, pad: 1 },
    { batch: 3, height: 7, width: 5, inChannels: 2, outChannels: 3, kernel: 3, strides: 1, pad: 2 },
    { batch: 2, height: 8, width: 8, inChannels: 3, outChannels: 4, kernel: 3, strides: 2, pad: 'same' },
    { batch: 3, height: 7, width: 7, inChannels: 3, outChannels: 4, kernel: 3, strides: 2, pad: 'same' },
    { batch: 2, height: 8, width: 8, inChannels: 6, outChannels: 2, kernel: 4, strides: 2, pad: 'same' },
    { batch: 2, height: 13, width: 13, inChannels: 2, outChannels: 3, kernel: 5, strides: 2, pad: 'valid' },
    { batch: 1, height: 32, width: 32, inChannels: 3, outChannels: 8, kernel: 5, strides: 2, pad: 'same' },
    { batch: 2, height: 8, width: 8, inChannels: 3, outChannels: 4, kernel: 1, strides: 2, pad: 'valid' },
    { batch: 2, height: 7, width: 8, inChannels: 2, outChannels: 3, kernel: 3, strides: 2, pad: 1 },
    {
      batch: 2, height: 7, width: 7, inChannels: 3, outChannels: 4, kernel: 3, strides: 1,
      pad: [[0, 0], [2, 0], [1, 3], [0, 0]],
    },
    {
      batch: 2, height: 8, width: 7, inChannels: 3, outChannels: 2, kernel: 3, strides: 2,
      pad: [[0, 0], [4, 0], [0, 1], [0, 0]],
    },
  ];

  it.each(cases)('for %j', async (c) => {
    await expectWasmMatchesCpu(c);
  });

  it('for random shapes, paddings and strides', async () => {
    const convCase = fc
      .record({
        batch: fc.integer({ min: 1, max: 3 }),
        height: fc.integer({ min: 1, max: 10 }),
        width: fc.integer({ min: 1, max: 10 }),
        inChannels: fc.integer({ min: 1, max: 6 }),
        outChannels: fc.integer({ min: 1, max: 6 }),
        kernel: fc.integer({ min: 1, max: 5 }),
        strides: fc.integer({ min: 1, max: 3 }),
        pad: fc.oneof(fc.constantFrom<Pad>('same', 'valid'), fc.integer({ min: 0, max: 3 })),
      })
      .filter((c) => c.pad !== 'valid' || (c.kernel <= c.height && c.kernel <= c.width))
      .filter((c) => typeof c.pad !== 'number' || (c.kernel <= c.height + 2 * c.pad && c.kernel <= c.width + 2 * c.pad));
    await fc.assert(fc.asyncProperty(convCase, expectWasmMatchesCpu), { numRuns: 40 });
  });
});

describe('the wasm gradient kernels, called directly, equal the definition', () => {
  it.each<[string, Shape4, Shape4, KernelGeometry]>([
    ['dilation 2, same padding', [2, 9, 8, 3], [3, 3, 3, 4], { strides: 1, dilations: 2, pad: 'same' }],
    ['dilation 2, valid padding', [1, 13, 13, 2], [3, 2, 2, 3], { strides: 1, dilations: 2, pad: 'valid' }],
    ['stride 2 with dilation 2', [2, 11, 12, 2], [3, 3, 2, 3], { strides: 2, dilations: 2, pad: 'same' }],
    ['ceil rounding of the output size', [2, 8, 8, 2], [3, 3, 2, 3], { strides: 2, dilations: 1, pad: 0, dimRoundingMode: 'ceil' }],
    ['padding wider than the kernel', [1, 5, 6, 2], [2, 2, 2, 2], { strides: 1, dilations: 1, pad: [[0, 0], [3, 4], [0, 3], [0, 0]] }],
  ])('with %s', async (_name, xShape, fShape, geometry) => {
    const { dx, df, reference } = await wasmKernelGradients(xShape, fShape, geometry, 'NHWC');
    expect(relativeError(dx, reference.dx)).toBeLessThan(1e-4);
    expect(relativeError(df, reference.df)).toBeLessThan(1e-4);
  });

  it.each<[string, KernelGeometry]>([
    ['stride 1', { strides: 1, dilations: 1, pad: 'same' }],
    ['stride 2', { strides: 2, dilations: 1, pad: 'valid' }],
    ['explicit padding', { strides: 1, dilations: 1, pad: [[0, 0], [1, 2], [0, 1], [0, 0]] }],
  ])('in NCHW layout with %s', async (_name, geometry) => {
    const { dx, df, reference } = await wasmKernelGradients([2, 7, 8, 3], [3, 3, 3, 4], geometry, 'NCHW');
    expect(relativeError(dx, reference.dx)).toBeLessThan(1e-4);
    expect(relativeError(df, reference.df)).toBeLessThan(1e-4);
  });

  it('refuses a dy whose shape is not the forward output shape', async () => {
    await tf.setBackend('wasm');
    tf.tidy(() => {
      const x = tf.zeros([1, 6, 6, 2]);
      const dy = tf.zeros([1, 5, 6, 3]);
      expect(() =>
        tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, {
          strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 2, 3],
        }),
      ).toThrow('Conv2DBackpropFilter dy shape must be [1,6,6,3], but got [1,5,6,3].');
    });
  });

  it.each<[string, number, Pad]>([
    ['stride 1', 1, 'same'],
    ['stride 2, cropping the filter gradient', 2, 'same'],
    ['padding wider than the kernel', 1, [[0, 0], [4, 0], [0, 3], [0, 0]]],
  ])('frees every intermediate tensor it makes, with %s', async (_name, strides, pad) => {
    await tf.setBackend('wasm');
    const x = tf.tensor4d(values(2 * 7 * 8 * 3, 7), [2, 7, 8, 3]);
    const f = tf.tensor4d(values(3 * 3 * 3 * 4, 8), [3, 3, 3, 4]);
    const gradients = tf.grads((a, b) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, strides, pad).sum());
    tf.dispose(gradients([x, f]));
    const dataIds = tf.engine().backend.numDataIds();
    const tensors = tf.memory().numTensors;
    tf.dispose(gradients([x, f]));
    expect(tf.engine().backend.numDataIds()).toBe(dataIds);
    expect(tf.memory().numTensors).toBe(tensors);
    tf.dispose([x, f]);
  });
});

describe('a training step of a small conv net', () => {
  function buildNet(): tf.Sequential {
    return tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [12, 12, 3], filters: 6, kernelSize: 3, padding: 'same', activation: 'relu' }),
        tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.conv2d({ filters: 5, kernelSize: 1, padding: 'valid', activation: 'relu' }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 4, activation: 'softmax' }),
      ],
    });
  }

  /** Gradients of the loss for every weight, in layer order, from a net holding `weights`. */
  async function stepGradients(backend: string, weights: Float32Array[]): Promise<Float32Array[]> {
    await tf.setBackend(backend);
    const net = buildNet();
    net.setWeights(net.getWeights().map((w, i) => tf.tensor(weights[i]!, w.shape)));
    const x = tf.tensor4d(values(5 * 12 * 12 * 3, 9), [5, 12, 12, 3]);
    const labels = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 1], 'int32'), 4);
    const { grads } = tf.variableGrads(
      () => tf.losses.softmaxCrossEntropy(labels, net.predict(x) as tf.Tensor),
      net.trainableWeights.map((w) => w.read() as tf.Variable),
    );
    const ordered = net.trainableWeights.map((w) => grads[(w.read() as tf.Variable).name]!);
    const result = await Promise.all(ordered.map(async (g) => (await g.data()) as Float32Array));
    tf.dispose([x, labels, ...Object.values(grads)]);
    net.dispose();
    return result;
  }

  it('gives the same weight gradients on wasm as on cpu', async () => {
    await tf.setBackend('cpu');
    const template = buildNet();
    const weights = await Promise.all(template.getWeights().map(async (w) => (await w.data()) as Float32Array));
    template.dispose();
    const onWasm = await stepGradients('wasm', weights);
    const onCpu = await stepGradients('cpu', weights);
    expect(onWasm).toHaveLength(onCpu.length);
    onCpu.forEach((expected, i) => expect(relativeError(onWasm[i]!, expected)).toBeLessThan(1e-4));
  });
});
