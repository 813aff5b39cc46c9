import * as tf from '../../src/vendor/tfjs.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { countParameters, layers } from '../../src/models/architecture.js';
import { buildModel } from '../../src/models/build-model.js';
import { buildLadder } from '../../src/models/ladder.js';
import { flattenWeights } from '../../src/models/weights.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('buildModel', () => {
  for (const inputShape of [
    [32, 32, 3],
    [28, 28, 1],
  ] as const) {
    for (const arch of buildLadder('three', { width: 2, inputShape, classes: 10 })) {
      it(`builds ${arch.name} for ${inputShape.join('x')} images, returning one logit per class`, () => {
        const model = buildModel(arch, 1);
        const logits = tf.tidy(() => model.predict(tf.randomNormal([3, ...inputShape])) as tf.Tensor);
        expect(logits.shape).toEqual([3, 10]);
        logits.dispose();
        model.dispose();
      });
    }
  }

  const [small] = buildLadder('paper', { width: 2, inputShape: [32, 32, 3], classes: 10 });

  it('names its layers as the architecture does and holds exactly its parameters', () => {
    const model = buildModel(small!, 1);
    expect(model.layers.map((layer) => layer.name)).toEqual(layers(small!).map((layer) => layer.name));
    expect(model.countParams()).toBe(countParameters(small!));
    model.dispose();
  });

  it('starts every bias at zero and no kernel at zero', () => {
    const model = buildModel(small!, 1);
    for (const layer of model.layers) {
      const [kernel, bias] = layer.getWeights();
      if (kernel === undefined || bias === undefined) continue;
      expect(Math.max(...bias.dataSync().map(Math.abs))).toBe(0);
      expect(Math.max(...kernel.dataSync().map(Math.abs))).toBeGreaterThan(0);
    }
    model.dispose();
  });

  it('draws kernels with He-normal variance, 2 / fan-in', () => {
    const [, large] = buildLadder('paper', { width: 8, inputShape: [32, 32, 3], classes: 10 });
    const model = buildModel(large!, 3);
    const kernel = model.getLayer('stage3-conv1').getWeights()[0]!;
    const variance = tf.tidy(() => tf.moments(kernel).variance.dataSync()[0]!);
    const fanIn = 3 * 3 * 32;
    // He-normal truncates at two standard deviations, which shrinks the variance by about 0.77.
    expect(variance * fanIn / 2).toBeGreaterThan(0.6);
    expect(variance * fanIn / 2).toBeLessThan(1.1);
    model.dispose();
  });

  it('draws the same weights from the same seed and different ones from another', () => {
    const [a, b, c] = [1, 1, 2].map((seed) => buildModel(small!, seed));
    expect(flattenWeights(a!)).toEqual(flattenWeights(b!));
    expect(flattenWeights(a!)).not.toEqual(flattenWeights(c!));
    [a, b, c].forEach((model) => model!.dispose());
  });
});
