/**
 * A named experiment scale: party sizes (images), schedule and model width.
 *
 * @example
 * const { server, clients, perClient }: Preset = getPreset('tiny');
 */
export interface Preset {
  readonly name: string;
  readonly description: string;
  /** Server share (distillation and pre-training only). */
  readonly server: number;
  /** Validation images policies monitor, taken from the training set. */
  readonly validation: number;
  readonly clients: number;
  readonly perClient: number;
  /** Test images, for reporting only. */
  readonly test: number;
  readonly rounds: number;
  /** Base channel count c of the CNNs. */
  readonly width: number;
  readonly localEpochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** Distillation epochs on the server share at a gear switch. */
  readonly kdEpochs: number;
  /** Epochs of server pre-training on its share. */
  readonly serverEpochs: number;
  /** Sizes used instead of the ones above for `--dataset synthetic`, when set. */
  readonly synthetic?: SyntheticSizes;
}

/**
 * Party sizes and rounds for the generated `synthetic` set. Its images cost nothing to make, and a
 * 16x16 image costs a quarter of a CIFAR-10 one to train on, so a preset can afford more of them.
 *
 * @example
 * const sizes: SyntheticSizes = { server: 1000, validation: 1000, perClient: 2000, test: 2000, rounds: 20 };
 */
export type SyntheticSizes = Pick<Preset, 'server' | 'validation' | 'perClient' | 'test' | 'rounds'>;

const TRAINING = { localEpochs: 1, batchSize: 32, learningRate: 0.01 } as const;

/**
 * The named presets, largest first. `paper` uses all 50,000 official CIFAR-10 training images:
 * the paper's 20,000-image server share holds the 5,000 validation images, so the server keeps
 * 15,000 for distillation, and the 3 clients 10,000 each. On a copy with fewer training batches
 * it fails with the partition's "images needed" error.
 *
 * @example
 * const names = PRESETS.map((preset) => preset.name); // ['paper', 'medium', 'small', 'tiny']
 */
export const PRESETS: readonly Preset[] = [
  {
    name: 'paper',
    description: "The paper's full scale: all 50,000 CIFAR-10 training images, 200 rounds, width 32.",
    server: 15000,
    validation: 5000,
    clients: 3,
    perClient: 10000,
    test: 10000,
    rounds: 200,
    width: 32,
    ...TRAINING,
    kdEpochs: 5,
    serverEpochs: 5,
  },
  {
    name: 'medium',
    description: 'A reduced scale where the small model plateaus below the large one: 3 x 4,000 client images, 60 rounds, width 16.',
    server: 5000,
    validation: 1000,
    clients: 3,
    perClient: 4000,
    test: 2000,
    rounds: 60,
    width: 16,
    ...TRAINING,
    kdEpochs: 5,
    serverEpochs: 5,
  },
  {
    name: 'small',
    description: 'A quick study scale: 3 x 2,000 client images, 40 rounds, width 8.',
    server: 2000,
    validation: 1000,
    clients: 3,
    perClient: 2000,
    test: 2000,
    rounds: 40,
    width: 8,
    ...TRAINING,
    kdEpochs: 5,
    serverEpochs: 5,
  },
  {
    name: 'tiny',
    description:
      'For tests and demos, well under a minute: 3 x 400 client images, 8 rounds, width 4; with --dataset synthetic, 3 x 2,000 images and 30 rounds, a minute or two.',
    server: 300,
    validation: 300,
    clients: 3,
    perClient: 400,
    test: 500,
    rounds: 8,
    width: 4,
    ...TRAINING,
    kdEpochs: 2,
    serverEpochs: 2,
    // Enough rounds and images for the large model to overtake the small one clearly (see DEFAULT_DIFFICULTY).
    synthetic: { server: 1000, validation: 1000, perClient: 2000, test: 2000, rounds: 30 },
  },
];

/**
 * The preset called `name`.
 *
 * @example
 * const { rounds, width } = getPreset('small');
 */
export function getPreset(name: string): Preset {
  const preset = PRESETS.find((candidate) => candidate.name === name);
  if (preset === undefined) {
    throw new Error(`The preset must be one of ${PRESETS.map((p) => p.name).join(', ')}, but got "${name}".`);
  }
  return preset;
}
