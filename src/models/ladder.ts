import type { Architecture } from './architecture.js';

/**
 * What every gear of a ladder shares: the width multiplier `c` and the data it classifies.
 *
 * @example
 * const options: LadderOptions = { width: 16, inputShape: [32, 32, 3], classes: 10 };
 */
export interface LadderOptions {
  /** Width multiplier `c`: filters of the first convolution of the small model. */
  readonly width: number;
  readonly inputShape: readonly [number, number, number];
  readonly classes: number;
}

/**
 * The gears of each named ladder, smallest first. Each gear is a function-preserving growth of
 * the one before (see `grow.ts`): it only widens layers, inserts layers that can start as the
 * identity, and keeps every pool where it was.
 *
 * With `c` the width, the gears are
 * - tiny  (4 weight layers):  conv c | pool | conv 2c | pool | dense 4c | logits
 * - small (6 weight layers):  conv c, c | pool | conv 2c, 2c | pool | dense 8c | logits
 * - large (12 weight layers): conv 2c, 2c | pool | conv 4c, 4c, 4c* | pool | conv 4c*, 4c*, 4c*, 4c* | dense 32c, 32c* | logits
 *
 * small -> large doubles every convolution, quadruples the hidden dense layer and inserts the
 * six starred layers. They sit at 16x16 and 8x8 (for 32x32 inputs), not at full resolution:
 * a convolution there costs four or sixteen times less compute, which matters when the large
 * model trains on a 2-core CPU. As in the paper (3.03 MB vs 28.63 MB, 9.4x), most parameters
 * are in the dense layers, and the large model holds about 9x the small one's.
 *
 * tiny -> small inserts one convolution per stage and doubles the hidden dense layer. The
 * dense layer is halved in tiny (rather than kept at 8c) because it holds nearly all of the
 * parameters: without that, tiny would send as many bytes per round as small.
 *
 * @example
 * LADDERS.paper({ width: 16, inputShape: [32, 32, 3], classes: 10 }).map((gear) => gear.name); // ['small', 'large']
 */
export const LADDERS = {
  paper: (options: LadderOptions): Architecture[] => [small(options), large(options)],
  three: (options: LadderOptions): Architecture[] => [tiny(options), small(options), large(options)],
} as const satisfies Record<string, (options: LadderOptions) => Architecture[]>;

/** The name of a ladder in `LADDERS`. */
export type LadderName = keyof typeof LADDERS;

/** The width the CLI uses when none is given: small fits a 2-core CPU comfortably at it. */
export const DEFAULT_WIDTH = 16;

/**
 * The gears of the ladder called `name`, smallest first.
 *
 * @example
 * const [small, large] = buildLadder('paper', { width: 16, inputShape: [28, 28, 1], classes: 10 });
 */
export function buildLadder(name: string, options: LadderOptions): Architecture[] {
  if (!Object.hasOwn(LADDERS, name)) {
    throw new Error(`ladder must be one of ${Object.keys(LADDERS).join(', ')}, but got ${JSON.stringify(name)}.`);
  }
  if (!Number.isInteger(options.width) || options.width < 1) {
    throw new Error(`width must be a positive integer, but got ${options.width}.`);
  }
  return LADDERS[name as LadderName](options);
}

function tiny({ width: c, inputShape, classes }: LadderOptions): Architecture {
  return {
    name: 'tiny',
    inputShape,
    classes,
    stages: [
      { convs: [c], pool: true },
      { convs: [2 * c], pool: true },
    ],
    dense: [4 * c],
  };
}

function small({ width: c, inputShape, classes }: LadderOptions): Architecture {
  return {
    name: 'small',
    inputShape,
    classes,
    stages: [
      { convs: [c, c], pool: true },
      { convs: [2 * c, 2 * c], pool: true },
    ],
    dense: [8 * c],
  };
}

function large({ width: c, inputShape, classes }: LadderOptions): Architecture {
  return {
    name: 'large',
    inputShape,
    classes,
    stages: [
      { convs: [2 * c, 2 * c], pool: true },
      { convs: [4 * c, 4 * c, 4 * c], pool: true },
      // No pool: the small model has none here, and a pool cannot start as the identity.
      { convs: [4 * c, 4 * c, 4 * c, 4 * c], pool: false },
    ],
    dense: [32 * c, 32 * c],
  };
}
