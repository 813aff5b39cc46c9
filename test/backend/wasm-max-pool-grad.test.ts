import * as tf from '../../src/vendor/tfjs.js';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/backend/select-backend.js';
import { registerWasmMaxPoolGrad } from '../../src/backend/wasm-max-pool-grad.js';
import { values } from '../support/deterministic-values.js';

interface PoolCase {
  shape: [number, number, number, number];
  filter: number;
  strides: number;
  pad: 'valid' | 'same';
  /** Values drawn from this few levels, so that windows hold ties (as ReLU's zeros do). */
  levels: number;
}

/** The gradient of sum(maxPool(x) * r) with respect to x, computed by `backend`. */
async function poolGradient(backend: string, c: PoolCase, x: Float32Array): Promise<Float32Array> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const input = tf.tensor4d(x, c.shape);
    const outShape = tf.maxPool(input, c.filter, c.strides, c.pad).shape;
    const r = tf.tensor(values(outShape.reduce((a, b) => a * b, 1), 7), outShape);
    const dx = tf.grad((a) => tf.maxPool(a as tf.Tensor4D, c.filter, c.strides, c.pad).mul(r).sum())(input);
    return dx.dataSync() as Float32Array;
  });
}

function inputValues(c: PoolCase, seed: number): Float32Array {
  const raw = values(c.shape.reduce((a, b) => a * b, 1), seed);
  return c.levels === 0 ? raw : raw.map((v) => Math.round((v + 0.5) * (c.levels - 1)));
}

async function expectWasmMatchesCpu(c: PoolCase, seed: number): Promise<void> {
  const x = inputValues(c, seed);
  const wasm = await poolGradient('wasm', c, x);
  const cpu = await poolGradient('cpu', c, x);
  expect(wasm.length).toBe(cpu.length);
  for (let i = 0; i < cpu.length; i++) expect(Math.abs(wasm[i]! - cpu[i]!)).toBeLessThan(1e-5);
}

describe('registerWasmMaxPoolGrad', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('replaces the wasm backend MaxPoolGrad, and can be called again', () => {
    const before = tf.getKernel(tf.MaxPoolGrad, 'wasm')!.kernelFunc;
    registerWasmMaxPoolGrad();
    expect(tf.getKernel(tf.MaxPoolGrad, 'wasm')!.kernelFunc).toBe(before);
    expect(before.name).toBe('maxPoolGradWasm');
  });

  it.each<PoolCase>([
    { shape: [2, 32, 32, 16], filter: 2, strides: 2, pad: 'valid', levels: 0 },
    { shape: [3, 7, 9, 5], filter: 2, strides: 2, pad: 'valid', levels: 3 },
    { shape: [2, 7, 7, 3], filter: 3, strides: 2, pad: 'same', levels: 2 },
    { shape: [2, 6, 5, 4], filter: 3, strides: 1, pad: 'same', levels: 4 },
  ])('equals the cpu backend for $shape, filter $filter, strides $strides, $pad, $levels levels', async (c) => {
    await expectWasmMatchesCpu(c, 11);
  });

  it('equals the cpu backend on any geometry, ties included', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          shape: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 6 })),
          filter: fc.integer({ min: 1, max: 3 }),
          strides: fc.integer({ min: 1, max: 3 }),
          pad: fc.constantFrom<'valid' | 'same'>('valid', 'same'),
          levels: fc.constantFrom(0, 2, 3),
        }),
        fc.integer({ min: 1, max: 1000 }),
        async (c, seed) => {
          fc.pre(c.pad === 'same' || (c.shape[1] >= c.filter && c.shape[2] >= c.filter));
          await expectWasmMatchesCpu(c, seed);
        },
      ),
      { numRuns: 60 },
    );
  });
});
