import { describe, expect, it } from 'vitest';
import type { ImageSet } from '../../src/data/image-set.js';
import { partition } from '../../src/data/partition.js';
import { getPreset, PRESETS, type Preset } from '../../src/data/presets.js';

const blank = (count: number): ImageSet => ({
  images: new Uint8Array(count * 3),
  labels: Uint8Array.from({ length: count }, (_, i) => i % 10),
  count,
  shape: [1, 1, 3],
  classes: 10,
});

const split = (preset: Preset, trainCount: number) =>
  partition(blank(trainCount), blank(10000), { ...preset, scheme: { kind: 'iid' }, seed: 1 });

const trainingImages = (preset: Preset): number => preset.server + preset.validation + preset.clients * preset.perClient;

describe('presets', () => {
  it('define the exact sizes of each scale', () => {
    const sizes = PRESETS.map((p) => [p.name, p.server, p.validation, p.clients, p.perClient, p.test, p.rounds, p.width, p.kdEpochs, p.serverEpochs]);
    expect(sizes).toEqual([
      ['paper', 15000, 5000, 3, 10000, 10000, 200, 32, 5, 5],
      ['medium', 5000, 1000, 3, 4000, 2000, 60, 16, 5, 5],
      ['small', 2000, 1000, 3, 2000, 2000, 40, 8, 5, 5],
      ['tiny', 300, 300, 3, 400, 500, 8, 4, 2, 2],
    ]);
    for (const preset of PRESETS) {
      expect([preset.localEpochs, preset.batchSize, preset.learningRate]).toEqual([1, 32, 0.01]);
      expect(preset.description.length).toBeGreaterThan(0);
    }
  });

  it('make paper use exactly the 50,000 official training images, and fail clearly on 20,000', () => {
    const paper = getPreset('paper');
    expect(trainingImages(paper)).toBe(50000);
    expect(split(paper, 50000).clients.map((c) => c.count)).toEqual([10000, 10000, 10000]);
    expect(() => split(paper, 20000)).toThrow(
      'server + validation + clients*perClient = 15000 + 5000 + 3*10000 = 50000 images needed, but the training set has 20000.',
    );
  });

  it('fit medium, small and tiny in 20,000 training images (the copy the first bundles were recorded on)', () => {
    for (const name of ['medium', 'small', 'tiny']) {
      expect(split(getPreset(name), 20000).clients).toHaveLength(3);
    }
  });

  it('refuse an unknown name, listing the valid ones', () => {
    expect(() => getPreset('huge')).toThrow('The preset must be one of paper, medium, small, tiny, but got "huge".');
  });
});
