import * as tf from '../../src/vendor/tfjs.js';
import { describe, expect, it } from 'vitest';
import { Random } from '../../src/data/random.js';
import { countParameters, kernelSize, weightLayers, type Architecture } from '../../src/models/architecture.js';
import { buildModel } from '../../src/models/build-model.js';
import { canGrow, growWeights } from '../../src/models/grow.js';
import { buildLadder } from '../../src/models/ladder.js';
import { flattenWeights, loadWeights } from '../../src/models/weights.js';

// Before any describe block runs: some build their weights as they are collected.
await tf.setBackend('cpu');

/** He-normal weights from buildModel, with random biases so that copying biases is tested too. */
function randomWeights(arch: Architecture, seed: number): Float32Array {
  const model = buildModel(arch, seed);
  const flat = flattenWeights(model);
  model.dispose();
  const random = new Random(seed);
  let offset = 0;
  for (const layer of weightLayers(arch)) {
    offset += kernelSize(layer);
    for (let j = 0; j < layer.units; j++) flat[offset + j] = 0.1 * random.normal();
    offset += layer.units;
  }
  return flat;
}

/** Logits of `arch` with `weights` on `x`. */
function logits(arch: Architecture, weights: Float32Array, x: tf.Tensor4D): Float32Array {
  const model = buildModel(arch, 0);
  loadWeights(model, weights);
  const values = tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync() as Float32Array);
  model.dispose();
  return values;
}

/** Largest logit difference relative to the largest logit. */
function relativeGap(expected: Float32Array, actual: Float32Array): number {
  let gap = 0;
  let scale = 0;
  expected.forEach((value, i) => {
    gap = Math.max(gap, Math.abs(value - actual[i]!));
    scale = Math.max(scale, Math.abs(value));
  });
  return gap / scale;
}

/** The slice of the flat weights holding `name`'s kernel. */
function kernelOf(arch: Architecture, weights: Float32Array, name: string): Float32Array {
  let offset = 0;
  for (const layer of weightLayers(arch)) {
    if (layer.name === name) return weights.subarray(offset, offset + kernelSize(layer));
    offset += kernelSize(layer) + layer.units;
  }
  throw new Error(`no layer ${name}`);
}

describe('growWeights', () => {
  for (const inputShape of [
    [32, 32, 3],
    [28, 28, 1],
  ] as const) {
    const shape = inputShape.join('x');

    it(`grows tiny into small into large computing the same logits, on ${shape}`, () => {
      const [tiny, small, large] = buildLadder('three', { width: 3, inputShape, classes: 10 });
      const x = tf.randomNormal([4, ...inputShape], 0, 1, 'float32', 5) as tf.Tensor4D;
      const tinyWeights = randomWeights(tiny!, 11);
      const smallWeights = growWeights(tiny!, small!, tinyWeights, 12);
      const largeWeights = growWeights(small!, large!, smallWeights, 13);
      const expected = logits(tiny!, tinyWeights, x);
      expect(relativeGap(expected, logits(small!, smallWeights, x))).toBeLessThan(1e-4);
      expect(relativeGap(expected, logits(large!, largeWeights, x))).toBeLessThan(1e-4);
      x.dispose();
    });

    it(`grows the paper's small into large computing the same logits, on ${shape}`, () => {
      const [small, large] = buildLadder('paper', { width: 4, inputShape, classes: 10 });
      const x = tf.randomNormal([4, ...inputShape], 0, 1, 'float32', 6) as tf.Tensor4D;
      const smallWeights = randomWeights(small!, 21);
      const expected = logits(small!, smallWeights, x);
      const grown = growWeights(small!, large!, smallWeights, 22);
      expect(relativeGap(expected, logits(large!, grown, x))).toBeLessThan(1e-4);
      x.dispose();
    });
  }

  const [small, large] = buildLadder('paper', { width: 2, inputShape: [16, 16, 3], classes: 4 });
  const smallWeights = randomWeights(small!, 31);

  it('splits each widened unit’s outgoing weights among its copies in unequal shares that sum to one', () => {
    const grown = growWeights(small!, large!, smallWeights, 32);
    // large's stage1-conv1 has 4 filters copying small's 2 (filter i and i + 2 copy filter i), so
    // rows i and i + 2 of large's stage1-conv2 kernel [3, 3, 4, 4] split row i of small's [3, 3, 2, 2].
    const before = kernelOf(small!, smallWeights, 'stage1-conv2');
    const after = kernelOf(large!, grown, 'stage1-conv2');
    for (let i = 0; i < 2; i++) {
      const shares = [i, i + 2].map((copy) => after[copy * 4]! / before[i * 2]!);
      expect(shares[0]).not.toBeCloseTo(shares[1]!, 3);
      expect(shares[0]! + shares[1]!).toBeCloseTo(1, 6);
      for (let t = 0; t < 9; t++) {
        for (let j = 0; j < 4; j++) {
          const old = before[(t * 2 + i) * 2 + (j % 2)]!;
          const [first, second] = [after[(t * 4 + i) * 4 + j]!, after[(t * 4 + i + 2) * 4 + j]!];
          expect(first).toBeCloseTo(shares[0]! * old, 6);
          expect(second).toBeCloseTo(shares[1]! * old, 6);
        }
      }
    }
  });

  it('inserts new layers as the identity', () => {
    const grown = growWeights(small!, large!, smallWeights, 32);
    const identity = kernelOf(large!, grown, 'stage2-conv3');
    const channels = 8;
    identity.forEach((value, index) => {
      const [tap, input, output] = [Math.floor(index / channels ** 2), Math.floor(index / channels) % channels, index % channels];
      expect(value).toBe(tap === 4 && input === output ? 1 : 0);
    });
  });

  it('is reproducible from its seed, and another seed splits differently', () => {
    const once = growWeights(small!, large!, smallWeights, 32);
    expect(growWeights(small!, large!, smallWeights, 32)).toEqual(once);
    expect(growWeights(small!, large!, smallWeights, 33)).not.toEqual(once);
  });

  it('returns the weights unchanged when growing into the same architecture', () => {
    expect(growWeights(small!, small!, smallWeights, 1)).toEqual(smallWeights);
  });

  it('finds where to insert layers when the first fitting match would leave none', () => {
    // Carrying `from`'s 4-filter conv to the first 4-filter conv of `to` would leave the
    // 4 -> 8 conv to insert, which cannot start as the identity; the 4 -> 4 conv can.
    const from: Architecture = { name: 'from', inputShape: [6, 6, 2], classes: 3, stages: [{ convs: [2, 4], pool: true }], dense: [] };
    const to: Architecture = { ...from, name: 'to', stages: [{ convs: [4, 4, 8], pool: true }] };
    const weights = randomWeights(from, 41);
    const x = tf.randomNormal([3, 6, 6, 2], 0, 1, 'float32', 7) as tf.Tensor4D;
    const grown = growWeights(from, to, weights, 42);
    expect(grown.length).toBe(countParameters(to));
    expect(relativeGap(logits(from, weights, x), logits(to, grown, x))).toBeLessThan(1e-4);
    x.dispose();
  });

  it('refuses to shrink a model', () => {
    expect(canGrow(large!, small!)).toBe(false);
    expect(() => growWeights(large!, small!, new Float32Array(countParameters(large!)), 1)).toThrow(
      'small must be a function-preserving growth of large (same input, classes and pools; every large layer matched by one ' +
        'at least as wide; every added layer a ReLU conv or dense with as many outputs as inputs, after the first weight ' +
        'layer), but got conv 4 4 | pool | conv 8 8 8 | pool | conv 8 8 8 8 | dense 64 64 | logits 4 -> conv 2 2 | pool | ' +
        'conv 4 4 | pool | dense 16 | logits 4.',
    );
  });

  it('refuses an added pool, which cannot start as the identity', () => {
    const pooled: Architecture = { ...large!, stages: [...large!.stages.slice(0, 2), { convs: [8], pool: true }] };
    expect(canGrow(small!, pooled)).toBe(false);
  });

  it('refuses an added layer that changes the width', () => {
    const widening: Architecture = { ...small!, stages: [...small!.stages, { convs: [8], pool: false }] };
    expect(canGrow(small!, widening)).toBe(false);
  });

  it('refuses an added first layer, whose input may be negative', () => {
    const linear: Architecture = { name: 'linear', inputShape: [4, 4, 2], classes: 3, stages: [], dense: [] };
    expect(canGrow(linear, { ...linear, stages: [{ convs: [2], pool: false }] })).toBe(false);
    expect(canGrow(linear, { ...linear, dense: [32] })).toBe(false);
  });

  it('refuses other input shapes and class counts', () => {
    expect(canGrow(small!, { ...large!, inputShape: [16, 16, 1] })).toBe(false);
    expect(() => growWeights(small!, { ...large!, classes: 5 }, smallWeights, 1)).toThrow('but got classes 4 -> 5.');
  });

  it('rejects weights of the wrong size', () => {
    expect(() => growWeights(small!, large!, new Float32Array(3), 1)).toThrow(
      `weights must be ${countParameters(small!)} float32 values (the parameters of small), but got 3.`,
    );
  });
});
