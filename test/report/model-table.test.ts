import { describe, expect, it } from 'vitest';
import { countParameters } from '../../src/models/architecture.js';
import { buildLadder } from '../../src/models/ladder.js';
import { describeGears, formatModelTable } from '../../src/report/model-table.js';

const gears = buildLadder('three', { width: 4, inputShape: [28, 28, 1], classes: 10 });

describe('describeGears', () => {
  it('gives each gear its weight layers, parameters, bytes and size relative to the gear before', () => {
    const summaries = describeGears(gears);
    expect(summaries.map((gear) => [gear.name, gear.weightLayers, gear.bytes])).toEqual(
      gears.map((gear, g) => [gear.name, [4, 6, 12][g], 4 * countParameters(gear)]),
    );
    expect(summaries[0]!.ratio).toBeNull();
    expect(summaries[2]!.ratio).toBeCloseTo(countParameters(gears[2]!) / countParameters(gears[1]!), 12);
  });

  it('lists every layer with its type, output shape and parameters, which add up to the gear’s', () => {
    const [tiny] = describeGears(gears);
    expect(tiny!.layers[0]).toEqual({ name: 'stage1-conv1', type: 'conv 3x3 1->4', outputShape: [28, 28, 4], parameters: 40 });
    expect(tiny!.layers[1]).toEqual({ name: 'stage1-pool', type: 'max-pool 2x2', outputShape: [14, 14, 4], parameters: 0 });
    expect(tiny!.layers.at(-1)!.type).toBe('dense 16->10');
    expect(tiny!.layers.reduce((sum, layer) => sum + layer.parameters, 0)).toBe(tiny!.parameters);
  });
});

describe('formatModelTable', () => {
  const text = formatModelTable(describeGears(gears));

  it('heads each gear with its size in megabytes and its ratio to the gear before', () => {
    const small = countParameters(gears[1]!);
    const ratio = (small / countParameters(gears[0]!)).toFixed(2);
    expect(text).toContain(`small: 6 weight layers, ${small.toLocaleString('en-US')} parameters, ${((4 * small) / 1e6).toFixed(2)} MB per transfer, ${ratio}x tiny`);
    expect(text.split('\n')[0]).not.toMatch(/x \w+$/);
  });

  it('prints one row per layer under each heading', () => {
    expect(text).toMatch(/^ {2}stage2-pool +max-pool 2x2 +7x7x8$/m);
    expect(text.split('\n').filter((line) => line.startsWith('  logits'))).toHaveLength(3);
  });
});
