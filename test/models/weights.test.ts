import * as tf from '../../src/vendor/tfjs.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { transferBytes } from '../../src/models/architecture.js';
import { buildModel } from '../../src/models/build-model.js';
import { buildLadder } from '../../src/models/ladder.js';
import { flattenWeights, loadWeights } from '../../src/models/weights.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const [small] = buildLadder('paper', { width: 2, inputShape: [28, 28, 1], classes: 10 });

describe('flattenWeights', () => {
  it('gives one buffer of exactly the bytes of a transfer', () => {
    const model = buildModel(small!, 1);
    expect(flattenWeights(model).byteLength).toBe(transferBytes(small!));
    model.dispose();
  });

  it('lays out each layer as its kernel, row-major, then its bias', () => {
    const model = buildModel(small!, 1);
    const flat = flattenWeights(model);
    const [kernel, bias] = model.getLayer('stage1-conv1').getWeights();
    const kernelValues = kernel!.dataSync();
    expect(flat.subarray(0, kernelValues.length)).toEqual(kernelValues);
    expect(flat.subarray(kernelValues.length, kernelValues.length + bias!.size)).toEqual(bias!.dataSync());
    model.dispose();
  });
});

describe('loadWeights', () => {
  it('gives back what flattenWeights took, and the same predictions', () => {
    const [source, target] = [buildModel(small!, 1), buildModel(small!, 2)];
    loadWeights(target, flattenWeights(source));
    expect(flattenWeights(target)).toEqual(flattenWeights(source));
    const x = tf.randomNormal([2, 28, 28, 1]);
    const [a, b] = [source.predict(x) as tf.Tensor, target.predict(x) as tf.Tensor];
    expect(b.dataSync()).toEqual(a.dataSync());
    tf.dispose([x, a, b]);
    [source, target].forEach((model) => model.dispose());
  });

  it('copies the buffer, so changing it afterwards leaves the model alone', () => {
    const model = buildModel(small!, 1);
    const flat = flattenWeights(model);
    loadWeights(model, flat);
    const before = flat[0]!;
    flat.fill(7);
    expect(flattenWeights(model)[0]).toBe(before);
    model.dispose();
  });

  it('rejects a buffer of the wrong size', () => {
    const model = buildModel(small!, 1);
    const expected = flattenWeights(model).length;
    expect(() => loadWeights(model, new Float32Array(expected + 1))).toThrow(
      `weights must be ${expected} float32 values (the trainable weights of small), but got ${expected + 1}.`,
    );
    model.dispose();
  });
});
