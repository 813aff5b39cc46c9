import { describe, expect, it } from 'vitest';
import {
  countParameters,
  countWeightLayers,
  layers,
  transferBytes,
  type Architecture,
} from '../../src/models/architecture.js';

const example: Architecture = {
  name: 'example',
  inputShape: [8, 8, 3],
  classes: 10,
  stages: [
    { convs: [4], pool: true },
    { convs: [6, 6], pool: false },
  ],
  dense: [5],
};

describe('an architecture', () => {
  it('lists its layers in model order with stable names and output shapes', () => {
    expect(layers(example).map((layer) => [layer.name, layer.outputShape])).toEqual([
      ['stage1-conv1', [8, 8, 4]],
      ['stage1-pool', [4, 4, 4]],
      ['stage2-conv1', [4, 4, 6]],
      ['stage2-conv2', [4, 4, 6]],
      ['flatten', [96]],
      ['dense1', [5]],
      ['logits', [10]],
    ]);
  });

  it('counts kernels and biases of every weight layer', () => {
    const expected = 9 * 3 * 4 + 4 + (9 * 4 * 6 + 6) + (9 * 6 * 6 + 6) + (96 * 5 + 5) + (5 * 10 + 10);
    expect(countParameters(example)).toBe(expected);
  });

  it('counts convolutions, hidden dense layers and the output layer as weight layers', () => {
    expect(countWeightLayers(example)).toBe(5);
  });

  it('sends four bytes per parameter', () => {
    expect(transferBytes(example)).toBe(4 * countParameters(example));
  });

  it('drops an odd last row and column when pooling, as tfjs does', () => {
    const odd: Architecture = { ...example, inputShape: [7, 9, 1] };
    expect(layers(odd)[1]!.outputShape).toEqual([3, 4, 4]);
  });

  it('rejects a convolution without filters', () => {
    const bad: Architecture = { ...example, stages: [{ convs: [0], pool: false }] };
    expect(() => layers(bad)).toThrow('example.stages[0].convs[0] must be a positive integer, but got 0.');
  });

  it('rejects a fractional dense width', () => {
    expect(() => countParameters({ ...example, dense: [2.5] })).toThrow('example.dense[0] must be a positive integer, but got 2.5.');
  });

  it('rejects a pool over an image smaller than 2x2', () => {
    const bad: Architecture = { ...example, inputShape: [1, 8, 3] };
    expect(() => layers(bad)).toThrow("the input of example's stage 1 pool must be at least 2x2, but got 1x8.");
  });
});
