import {
  countParameters,
  countWeightLayers,
  isWeightLayer,
  KERNEL_SIZE,
  kernelSize,
  layers,
  transferBytes,
  type Architecture,
} from '../models/architecture.js';

/**
 * What `fedgear models` shows of one gear of a ladder (and prints with --json).
 *
 * @example
 * describeGears(buildLadder('paper', options))[1]!.ratio; // 9.33 at width 16 on 32x32x3
 */
export interface GearSummary {
  readonly name: string;
  readonly weightLayers: number;
  readonly layers: readonly LayerSummary[];
  readonly parameters: number;
  /** Bytes of one transfer of the model: its parameters as float32. */
  readonly bytes: number;
  /** Parameters relative to the previous gear; null for the first. */
  readonly ratio: number | null;
}

/**
 * One row of a gear's layer list.
 *
 * @example
 * const row: LayerSummary = { name: 'stage1-pool', type: 'max-pool 2x2', outputShape: [16, 16, 16], parameters: 0 };
 */
export interface LayerSummary {
  readonly name: string;
  /** E.g. "conv 3x3 3->16", "max-pool 2x2", "flatten", "dense 2048->128". */
  readonly type: string;
  readonly outputShape: readonly number[];
  readonly parameters: number;
}

/**
 * The summary of each gear of a ladder, smallest first.
 *
 * @example
 * describeGears(buildLadder('three', { width: 8, inputShape: [28, 28, 1], classes: 10 })).map((gear) => gear.weightLayers); // [4, 6, 12]
 */
export function describeGears(gears: readonly Architecture[]): GearSummary[] {
  return gears.map((gear, g) => ({
    name: gear.name,
    weightLayers: countWeightLayers(gear),
    layers: layers(gear).map((layer) => ({
      name: layer.name,
      type: isWeightLayer(layer)
        ? `${layer.kind === 'conv' ? `conv ${KERNEL_SIZE}x${KERNEL_SIZE}` : 'dense'} ${layer.inputs}->${layer.units}`
        : layer.kind === 'pool'
          ? 'max-pool 2x2'
          : 'flatten',
      outputShape: layer.outputShape,
      parameters: isWeightLayer(layer) ? kernelSize(layer) + layer.units : 0,
    })),
    parameters: countParameters(gear),
    bytes: transferBytes(gear),
    ratio: g === 0 ? null : countParameters(gear) / countParameters(gears[g - 1]!),
  }));
}

/**
 * The gears as text: a heading line per gear (weight layers, parameters, megabytes per transfer,
 * size relative to the previous gear), then its layers with output shape and parameters.
 *
 * @example
 * console.log(formatModelTable(describeGears(buildLadder('paper', options))));
 * // small: 6 weight layers, 280,218 parameters, 1.12 MB per transfer
 * //   stage1-conv1  conv 3x3 3->16  32x32x16  448
 * //   ...
 */
export function formatModelTable(gears: readonly GearSummary[]): string {
  const blocks = gears.map((gear, g) => {
    const ratio = gear.ratio === null ? '' : `, ${gear.ratio.toFixed(2)}x ${gears[g - 1]!.name}`;
    const heading =
      `${gear.name}: ${gear.weightLayers} weight layers, ${gear.parameters.toLocaleString('en-US')} parameters, ` +
      `${(gear.bytes / 1e6).toFixed(2)} MB per transfer${ratio}`;
    const rows = gear.layers.map((layer) => [
      layer.name,
      layer.type,
      layer.outputShape.join('x'),
      layer.parameters === 0 ? '' : layer.parameters.toLocaleString('en-US'),
    ]);
    const widths = [0, 1, 2, 3].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
    const lines = rows.map((row) =>
      `  ${row[0]!.padEnd(widths[0]!)}  ${row[1]!.padEnd(widths[1]!)}  ${row[2]!.padEnd(widths[2]!)}  ${row[3]!.padStart(widths[3]!)}`.trimEnd(),
    );
    return [heading, ...lines].join('\n');
  });
  return blocks.join('\n\n');
}
