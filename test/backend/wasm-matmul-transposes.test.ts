import * as tf from '../../src/vendor/tfjs.js';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { values } from '../support/deterministic-values.js';
import { registerWasmMatMulTransposes } from '../../src/backend/wasm-matmul-transposes.js';
import { selectBackend } from '../../src/backend/select-backend.js';

async function product(backend: string, aShape: number[], bShape: number[], transposeA: boolean, transposeB: boolean) {
  await tf.setBackend(backend);
  const a = tf.tensor1d(values(aShape.reduce((x, y) => x * y, 1), 1)).reshape(aShape) as tf.Tensor2D;
  const b = tf.tensor1d(values(bShape.reduce((x, y) => x * y, 1), 2)).reshape(bShape) as tf.Tensor2D;
  const out = tf.matMul(a, b, transposeA, transposeB);
  const result = { shape: out.shape, data: out.dataSync().slice() };
  tf.dispose([a, b, out]);
  return result;
}

describe('wasm BatchMatMul with transposes', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
    registerWasmMatMulTransposes();
  });

  it('equals the cpu backend for every transpose combination, rank 2 and 3, small and lopsided shapes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 40 }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        async (batch, m, k, n, batched, transposeA, transposeB) => {
          const lead = batched ? [batch] : [];
          const aShape = [...lead, ...(transposeA ? [k, m] : [m, k])];
          const bShape = [...lead, ...(transposeB ? [n, k] : [k, n])];
          const wasm = await product('wasm', aShape, bShape, transposeA, transposeB);
          const cpu = await product('cpu', aShape, bShape, transposeA, transposeB);
          expect(wasm.shape).toEqual(cpu.shape);
          wasm.data.forEach((v, i) => expect(Math.abs(v - cpu.data[i]!)).toBeLessThan(1e-4));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('frees every intermediate tensor', async () => {
    await tf.setBackend('wasm');
    const a = tf.randomNormal([8, 500]);
    const b = tf.randomNormal([500, 4]);
    const dy = tf.randomNormal([8, 4]);
    const before = tf.engine().backend.numDataIds();
    tf.matMul(dy, b, false, true).dispose(); // transposes the small operands, then the result
    tf.matMul(a, dy, true, false).dispose(); // transposes a
    expect(tf.engine().backend.numDataIds()).toBe(before);
    tf.dispose([a, b, dy]);
  });
});
