/**
 * What the training benchmarks train on, shared by the speed and profile scripts: the input and
 * batch, the optimiser, the measurement plan, and random shards (speed does not depend on pixels).
 */
import type { ImageSet } from '../src/data/image-set.js';
import type { Random } from '../src/data/random.js';
import { sharedBytes } from '../src/data/shared-bytes.js';
import type { Normalization } from '../src/engine/image-batch.js';
import type { SgdOptions } from '../src/engine/sgd.js';

export const INPUT_SHAPE = [32, 32, 3] as const;
export const CLASSES = 10;
export const BATCH = 32;
/** `evaluate`'s default batch, used by the torch evaluation too. */
export const EVAL_BATCH = 500;
export const JOBS_PER_WORKER = 2;
export const WORKER_COUNTS = [1, 2] as const;
export const TARGET_SPEED_UP = 1.8;
/** fedgear wasm on one core against PyTorch on one thread (issue 10). */
export const TARGET_PER_CORE = 0.8;
/** A round of the presets' 3 clients: one worker per client against one per core (2). */
export const ROUND_CLIENTS = [0, 1, 2] as const;
export const ROUND_WORKERS = [2, 3] as const;
/** The cpu backend trains below an image per second: one batch of the small gear shows it. */
export const CPU_IMAGES = 32;
/** When the machine is busy that batch can take minutes: stop there and report an upper bound. */
export const CPU_LIMIT_SECONDS = 60;
export const NORMALIZATION: Normalization = { mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] };
export const SGD: SgdOptions = { epochs: 1, batchSize: BATCH, learningRate: 0.01, momentum: 0.9, weightDecay: 5e-4, seed: 1, augment: true };

/**
 * `count` images of random bytes with random labels, in shared memory (as clients get them).
 *
 * @example
 * const shard = randomShard(320, new Random(1));
 */
export function randomShard(count: number, random: Random): ImageSet {
  const images = sharedBytes(count * INPUT_SHAPE[0] * INPUT_SHAPE[1] * INPUT_SHAPE[2]);
  for (let i = 0; i < images.length; i++) images[i] = random.int(256);
  const labels = sharedBytes(count);
  for (let i = 0; i < count; i++) labels[i] = random.int(CLASSES);
  return { images, labels, count, shape: INPUT_SHAPE, classes: CLASSES };
}
