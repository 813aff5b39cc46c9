import type { ImageSet } from './image-set.js';
import { Random } from './random.js';
import { sharedBytes } from './shared-bytes.js';

/**
 * How hard the synthetic task is. Every field is a knob: raise `levels`, `parts`, `motifs`,
 * `noise`, `jitter` or `distractors` to widen the gap between a small and a large CNN.
 *
 * @example
 * const harder: SyntheticDifficulty = { ...DEFAULT_DIFFICULTY, motifs: 5, noise: 0.8 };
 */
export interface SyntheticDifficulty {
  /** Distinct 3x3 colour strokes, the bottom of the hierarchy. */
  readonly primitives: number;
  /** Distinct patterns at each intermediate level (each a 2x2 arrangement of the level below). */
  readonly parts: number;
  /** Distinct top-level motifs a slot can show. */
  readonly motifs: number;
  /** Times the 2x2 composition is applied: a motif is 3 * 2^levels pixels square. */
  readonly levels: number;
  /** Slots per side: the image is cut into grid x grid cells, each showing one motif. */
  readonly grid: number;
  /** Standard deviation of the per-pixel Gaussian noise, in units of a stroke's RMS. */
  readonly noise: number;
  /** Largest shift of a motif from its cell's centre, in pixels, per axis. */
  readonly shift: number;
  /** Largest shift of each sub-pattern from its place in its parent, in pixels, per axis and level. */
  readonly jitter: number;
  /** Strokes pasted at random places on top of each image, carrying no information. */
  readonly distractors: number;
  /** Each motif's amplitude is scaled by a factor uniform in [1 - gain, 1 + gain]. */
  readonly gain: number;
  /**
   * When true, the motif in the first cell names a group of classes (motif m: the classes k with
   * k mod motifs = m) and the combination in the other cells names the class within its group: an
   * easy cue and a hard lookup in one label. When false, one lookup over all cells.
   */
  readonly grouped: boolean;
}

/**
 * The default difficulty, the `synthetic` data set (16x16 images, `SYNTHETIC_SHAPE`): 4 motifs of
 * 6x6 pixels in each of 4 cells (256 combinations), grouped, under heavy noise. The first cell's
 * motif narrows the class down to 2 or 3 (a small CNN learns that in a few rounds: 40%); the other
 * three cells' combination picks among them (an XOR-like lookup, which takes capacity, and which
 * the noise makes much harder for a narrow model than for a wide one).
 *
 * What it measures: whether a policy grows in time. At the `tiny` preset (width 4, 3 clients x
 * 2,000 images, 30 rounds, 2,000 test images; binomial standard errors in brackets), on 2 loaded
 * cores with `--workers 2`:
 * - `--policy never` (12-6): the small model leads for the first 6 rounds and stays within a point
 *   of the large one until round 12, then creeps up to 70.4% (1.0) by round 30 (28 s of rounds);
 *   given 60 rounds it reaches 85.0% (0.8), gaining a few tenths of a point a round.
 * - `--start large --policy never` (12-12): 93.8% (0.5) at round 30 (67 s), still rising.
 * - `--policy fixed --at 5`: 95.2% (0.5) at round 29 (61 s); `--at 15`: 85.2% (0.8) (55 s).
 * Command: `fedgear run --dataset synthetic --preset tiny --workers 2` plus the flags above.
 * At the `small` preset (width 8, 40 rounds) the small model is wide enough for the task: 12-6
 * reaches 95.2% (0.5, 67 s) and 12-12 99.3% (0.2, 346 s), a gap of 4 points.
 * Tuning notes, from screens while choosing the knobs (the CLI has no difficulty flags): with less
 * noise the small model catches up within 60 rounds; a fifth motif makes the lookup too hard for
 * both models within 20-40 rounds; shifted motifs slow both several-fold; at `--width 2` the small
 * model levels off lower but no longer leads early.
 *
 * @example
 * const knobs = { ...DEFAULT_DIFFICULTY, noise: 0.6 };
 */
export const DEFAULT_DIFFICULTY: SyntheticDifficulty = {
  primitives: 4,
  parts: 4,
  motifs: 4,
  levels: 1,
  grid: 2,
  noise: 0.9,
  shift: 0,
  jitter: 0,
  distractors: 0,
  gain: 0.25,
  grouped: true,
};

/** The image size of the `synthetic` data set: a quarter of CIFAR-10's pixels, so rounds cost about a quarter. */
export const SYNTHETIC_SHAPE: readonly [number, number, number] = [16, 16, 3];

/**
 * An easy variant for fast tests and quick demos, on 32x32 images (`EASY_SHAPE`): one motif per
 * image among ten (the class is which motif is shown), little noise. A width-8 small CNN passes
 * 60% test accuracy within a few federated rounds of 2 local epochs; it does not show a
 * small/large gap.
 *
 * @example
 * makeSynthetic({ seed: 0, train: 1000, test: 200, shape: EASY_SHAPE, difficulty: EASY_DIFFICULTY });
 */
export const EASY_DIFFICULTY: SyntheticDifficulty = {
  primitives: 4,
  parts: 4,
  motifs: 10,
  levels: 2,
  grid: 1,
  noise: 0.4,
  shift: 2,
  jitter: 1,
  distractors: 2,
  gain: 0.25,
  grouped: false,
};

/** The image size of the `synthetic-easy` data set, CIFAR-10's. */
export const EASY_SHAPE: readonly [number, number, number] = [32, 32, 3];

/**
 * What to generate; `shape` defaults to `SYNTHETIC_SHAPE` and `classes` to 10, and unset
 * difficulty knobs take their `DEFAULT_DIFFICULTY` values, so the defaults give the `synthetic`
 * data set.
 *
 * @example
 * const options: SyntheticOptions = { seed: 1, train: 1800, test: 500, difficulty: { noise: 1 } };
 */
export interface SyntheticOptions {
  readonly seed: number;
  readonly train: number;
  readonly test: number;
  readonly shape?: readonly [number, number, number];
  readonly classes?: number;
  readonly difficulty?: Partial<SyntheticDifficulty>;
}

/** At most this many slot combinations, so the lookup table stays small. */
const MAX_COMBINATIONS = 1_000_000;
/** Byte value of a zero signal, and bytes per unit of signal: keeps most pixels unclipped. */
const MID_GREY = 128;
const BYTES_PER_UNIT = 40;
const STROKE = 3;
/** Noise comes from a table of this many standard normal draws: one uniform draw per pixel instead of a Box-Muller step. */
const NOISE_TABLE = 65536;

/**
 * A labelled image task generated offline and deterministically from `seed`, built so that model
 * capacity matters: with the default difficulty, the small CNN of the `paper` ladder leads the
 * large one for the first rounds and then falls far behind it (see `DEFAULT_DIFFICULTY` for the
 * numbers), which makes the switch round matter without downloading CIFAR-10.
 *
 * The generative process:
 * 1. A *world* is drawn from the seed. `primitives` random 3x3 colour strokes form level 0. Each
 *    level l = 1..levels holds distinct 2x2 arrangements of level l-1 patterns (`parts` of them,
 *    and `motifs` at the top level), so a motif is a hierarchy of strokes 3 * 2^levels pixels
 *    square, and different motifs share their strokes and parts: only their *arrangement* tells
 *    them apart, which takes features of features (depth).
 * 2. The image is cut into grid x grid cells. A *combination* assigns a motif to every cell; all
 *    motifs^(grid^2) combinations are shuffled and dealt round-robin to the classes, so the class
 *    is an arbitrary lookup over the motifs at all positions (an XOR-like function that no single
 *    local feature reveals, and that takes capacity to represent). When `grouped`, the deal is
 *    done within groups: the first cell's motif m fixes the group (classes m, m + motifs, ...) and
 *    the other cells' combinations are dealt round-robin to the group's classes, so one local
 *    feature narrows the class down and the lookup finishes the job.
 * 3. An image of class k (labels are balanced: image i has class i mod classes, then shuffled)
 *    shows a combination drawn uniformly from class k's. Each motif is pasted at its cell's centre
 *    moved by up to `shift` pixels, each sub-pattern moved by up to `jitter` pixels at every level
 *    (a deformable object), scaled by a gain in [1 - gain, 1 + gain]. `distractors` random strokes
 *    are added anywhere. Half of the images, at random, are mirrored left-right, so that the class
 *    distribution is symmetric and the usual random-flip augmentation keeps labels right. Last,
 *    Gaussian noise of standard deviation `noise` is added (sampled from a fixed table of 65,536
 *    normal draws, which is indistinguishable from fresh draws once pixels are bytes). Signal 0
 *    is byte 128, one unit of signal is 40 bytes, and bytes are clipped to 0..255.
 *
 * Training and test images come from two generators seeded from the world's, so the test set does
 * not change when the number of training images does.
 *
 * @example
 * const { train, test } = makeSynthetic({ seed: 1, train: 1800, test: 500 });
 * const harder = makeSynthetic({ seed: 1, train: 1800, test: 500, difficulty: { noise: 1, motifs: 5 } });
 */
export function makeSynthetic(options: SyntheticOptions): { train: ImageSet; test: ImageSet } {
  const shape = options.shape ?? SYNTHETIC_SHAPE;
  const classes = options.classes ?? 10;
  const difficulty = { ...DEFAULT_DIFFICULTY, ...options.difficulty };
  check(options, shape, classes, difficulty);
  const worldRandom = new Random(options.seed);
  const trainRandom = new Random(worldRandom.int(2 ** 32));
  const testRandom = new Random(worldRandom.int(2 ** 32));
  const world = makeWorld(worldRandom, shape, classes, difficulty);
  return {
    train: render(world, trainRandom, options.train),
    test: render(world, testRandom, options.test),
  };
}

interface World {
  readonly shape: readonly [number, number, number];
  readonly classes: number;
  readonly difficulty: SyntheticDifficulty;
  /** primitives[i]: STROKE * STROKE * channels values, HWC. */
  readonly primitives: Float64Array[];
  /** children[l - 1][i]: the 4 level l-1 patterns (row-major 2x2) that level-l pattern i is made of. */
  readonly children: number[][][];
  /** combinationsOf[k]: the combinations (motif index per cell, row-major) that mean class k. */
  readonly combinationsOf: number[][][];
  /** Standard normal draws that per-pixel noise samples from. */
  readonly noise: Float64Array;
}

function makeWorld(
  random: Random,
  shape: readonly [number, number, number],
  classes: number,
  difficulty: SyntheticDifficulty,
): World {
  const channels = shape[2];
  const primitives = Array.from({ length: difficulty.primitives }, () => {
    const stroke = Float64Array.from({ length: STROKE * STROKE * channels }, () => random.normal());
    const rms = Math.sqrt(stroke.reduce((sum, v) => sum + v * v, 0) / stroke.length);
    return stroke.map((v) => v / rms);
  });
  const children: number[][][] = [];
  let below = difficulty.primitives;
  for (let level = 1; level <= difficulty.levels; level++) {
    const size = level === difficulty.levels ? difficulty.motifs : difficulty.parts;
    children.push(distinctArrangements(random, size, below));
    below = size;
  }
  const cells = difficulty.grid * difficulty.grid;
  const total = difficulty.motifs ** cells;
  const order = random.shuffle(Array.from({ length: total }, (_, i) => i));
  const combinationsOf: number[][][] = Array.from({ length: classes }, () => []);
  const dealtInGroup = new Array<number>(difficulty.motifs).fill(0);
  order.forEach((code, j) => {
    const combination = Array.from({ length: cells }, (_, cell) => Math.floor(code / difficulty.motifs ** cell) % difficulty.motifs);
    if (!difficulty.grouped) {
      combinationsOf[j % classes]!.push(combination);
      return;
    }
    // Group m holds the classes m, m + motifs, m + 2 motifs, ... below `classes`.
    const group = combination[0]!;
    const classesInGroup = Math.ceil((classes - group) / difficulty.motifs);
    combinationsOf[group + difficulty.motifs * (dealtInGroup[group]!++ % classesInGroup)]!.push(combination);
  });
  const noise = Float64Array.from({ length: NOISE_TABLE }, () => random.normal());
  return { shape, classes, difficulty, primitives, children, combinationsOf, noise };
}

/** `count` distinct 2x2 arrangements of `vocabulary` patterns, as lists of 4 indices. */
function distinctArrangements(random: Random, count: number, vocabulary: number): number[][] {
  const seen = new Set<string>();
  const arrangements: number[][] = [];
  while (arrangements.length < count) {
    const arrangement = [0, 1, 2, 3].map(() => random.int(vocabulary));
    const key = arrangement.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    arrangements.push(arrangement);
  }
  return arrangements;
}

function render(world: World, random: Random, count: number): ImageSet {
  const [height, width, channels] = world.shape;
  const { difficulty } = world;
  const imageSize = height * width * channels;
  const images = sharedBytes(count * imageSize);
  const labels = sharedBytes(count);
  for (let i = 0; i < count; i++) labels[i] = i % world.classes;
  random.shuffle(labels);
  const signal = new Float64Array(imageSize);
  const motifSize = STROKE * 2 ** difficulty.levels;
  const cellHeight = height / difficulty.grid;
  const cellWidth = width / difficulty.grid;
  for (let i = 0; i < count; i++) {
    signal.fill(0);
    const options = world.combinationsOf[labels[i]!]!;
    const combination = options[random.int(options.length)]!;
    combination.forEach((motif, cell) => {
      const row = Math.floor(cell / difficulty.grid);
      const column = cell % difficulty.grid;
      const top = Math.round(row * cellHeight + (cellHeight - motifSize) / 2) + offset(random, difficulty.shift);
      const left = Math.round(column * cellWidth + (cellWidth - motifSize) / 2) + offset(random, difficulty.shift);
      const gain = 1 + difficulty.gain * (2 * random.next() - 1);
      paste(world, random, signal, difficulty.levels, motif, top, left, gain);
    });
    for (let d = 0; d < difficulty.distractors; d++) {
      const stroke = random.int(difficulty.primitives);
      paste(world, random, signal, 0, stroke, random.int(height - STROKE + 1), random.int(width - STROKE + 1), 1);
    }
    const mirrored = random.next() < 0.5;
    let target = i * imageSize;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const source = (y * width + (mirrored ? width - 1 - x : x)) * channels;
        for (let c = 0; c < channels; c++) {
          const noise = difficulty.noise * world.noise[Math.floor(random.next() * NOISE_TABLE)]!;
          const value = MID_GREY + BYTES_PER_UNIT * (signal[source + c]! + noise);
          images[target++] = value <= 0 ? 0 : value >= 255 ? 255 : Math.round(value);
        }
      }
    }
  }
  return { images, labels, count, shape: [height, width, channels], classes: world.classes };
}

/** Adds pattern `index` of `level` to `signal` with its top-left corner at (top, left), jittering its parts. */
function paste(
  world: World,
  random: Random,
  signal: Float64Array,
  level: number,
  index: number,
  top: number,
  left: number,
  gain: number,
): void {
  if (level > 0) {
    const half = STROKE * 2 ** (level - 1);
    world.children[level - 1]![index]!.forEach((child, q) => {
      const jitter = world.difficulty.jitter;
      const childTop = top + (q >> 1) * half + offset(random, jitter);
      const childLeft = left + (q & 1) * half + offset(random, jitter);
      paste(world, random, signal, level - 1, child, childTop, childLeft, gain);
    });
    return;
  }
  const [height, width, channels] = world.shape;
  const stroke = world.primitives[index]!;
  for (let y = 0; y < STROKE; y++) {
    const row = top + y;
    if (row < 0 || row >= height) continue;
    for (let x = 0; x < STROKE; x++) {
      const column = left + x;
      if (column < 0 || column >= width) continue;
      for (let c = 0; c < channels; c++) {
        signal[(row * width + column) * channels + c]! += gain * stroke[(y * STROKE + x) * channels + c]!;
      }
    }
  }
}

/** A uniform integer in [-limit, limit]. */
function offset(random: Random, limit: number): number {
  return limit === 0 ? 0 : random.int(2 * limit + 1) - limit;
}

function check(
  options: SyntheticOptions,
  shape: readonly [number, number, number],
  classes: number,
  difficulty: SyntheticDifficulty,
): void {
  const atLeast = (name: string, value: number, minimum: number): void => {
    if (!Number.isInteger(value) || value < minimum) {
      throw new Error(`${name} must be an integer >= ${minimum}, but got ${value}.`);
    }
  };
  const nonNegative = (name: string, value: number): void => {
    if (!(value >= 0) || !Number.isFinite(value)) throw new Error(`${name} must be a finite number >= 0, but got ${value}.`);
  };
  atLeast('The number of training images', options.train, 0);
  atLeast('The number of test images', options.test, 0);
  shape.forEach((size, axis) => atLeast(`Image shape[${axis}]`, size, 1));
  atLeast('The number of classes', classes, 2);
  if (classes > 256) throw new Error(`The number of classes must be at most 256 (labels are bytes), but got ${classes}.`);
  atLeast('difficulty.primitives', difficulty.primitives, 1);
  atLeast('difficulty.parts', difficulty.parts, 1);
  atLeast('difficulty.motifs', difficulty.motifs, 1);
  atLeast('difficulty.levels', difficulty.levels, 1);
  atLeast('difficulty.grid', difficulty.grid, 1);
  atLeast('difficulty.shift', difficulty.shift, 0);
  atLeast('difficulty.jitter', difficulty.jitter, 0);
  atLeast('difficulty.distractors', difficulty.distractors, 0);
  nonNegative('difficulty.noise', difficulty.noise);
  nonNegative('difficulty.gain', difficulty.gain);
  let below = difficulty.primitives;
  for (let level = 1; level <= difficulty.levels; level++) {
    const [name, size] = level === difficulty.levels ? ['motifs', difficulty.motifs] : ['parts', difficulty.parts];
    if (size > below ** 4) {
      throw new Error(`difficulty.${name} must be at most ${below ** 4} (distinct 2x2 arrangements of ${below} patterns), but got ${size}.`);
    }
    below = size;
  }
  const combinations = difficulty.motifs ** (difficulty.grid * difficulty.grid);
  if (combinations < classes || combinations > MAX_COMBINATIONS) {
    throw new Error(
      `difficulty.motifs^(grid^2) must be between the ${classes} classes and ${MAX_COMBINATIONS}, but got ` +
        `${difficulty.motifs}^${difficulty.grid * difficulty.grid} = ${combinations}.`,
    );
  }
  const motifSize = STROKE * 2 ** difficulty.levels;
  if (motifSize * difficulty.grid > Math.min(shape[0], shape[1])) {
    throw new Error(
      `A grid of ${difficulty.grid}x${difficulty.grid} motifs of ${motifSize}x${motifSize} pixels (levels ${difficulty.levels}) ` +
        `must fit the ${shape[0]}x${shape[1]} image, but got ${motifSize * difficulty.grid} pixels per side.`,
    );
  }
  if (difficulty.grouped && difficulty.motifs > classes) {
    throw new Error(`difficulty.motifs must be at most the ${classes} classes when grouped (one group per motif), but got ${difficulty.motifs}.`);
  }
  if (difficulty.gain > 1) throw new Error(`difficulty.gain must be at most 1, but got ${difficulty.gain}.`);
}
