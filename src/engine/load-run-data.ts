import { loadCifar10 } from '../data/cifar10.js';
import { digestParts, imageSetPart, type DataDigest } from '../data/data-digest.js';
import { resolveDataDir } from '../data/data-dir.js';
import type { ImageSet } from '../data/image-set.js';
import { partition, type FederatedData } from '../data/partition.js';
import { DEFAULT_DIFFICULTY, EASY_DIFFICULTY, EASY_SHAPE, makeSynthetic, SYNTHETIC_SHAPE } from '../data/synthetic.js';
import type { Architecture } from '../models/architecture.js';
import { buildLadder } from '../models/ladder.js';
import type { RunConfig } from './run-config.js';

/** A run's parties and models, as its config determines them, and what its images were. */
export interface RunData {
  readonly data: FederatedData;
  readonly ladder: readonly Architecture[];
  /** The data sets the parties were drawn from (CIFAR-10's files, or the generated sets), for the run header. */
  readonly digest: DataDigest;
}

/**
 * Loads and partitions a run's images and builds its model ladder: what the coordinator and every
 * distributed client derive, each on its own machine, from the same config (every draw is seeded
 * by it, so each client gets exactly the shard the coordinator has in mind).
 *
 * @example
 * const { data, ladder } = await loadRunData(config, '/data/cifar-10-batches-bin');
 */
export async function loadRunData(config: RunConfig, dataDir: string | undefined): Promise<RunData> {
  const { train, test, digest } = await loadImages(config, dataDir);
  const data = partition(train, test, {
    server: config.server,
    validation: config.validation,
    clients: config.clients,
    perClient: config.perClient,
    test: config.test,
    scheme: config.partition,
    seed: config.seed,
  });
  const ladder = buildLadder(config.ladder, { width: config.width, inputShape: [...train.shape], classes: train.classes });
  return { data, ladder, digest };
}

async function loadImages(config: RunConfig, dataDir: string | undefined): Promise<{ train: ImageSet; test: ImageSet; digest: DataDigest }> {
  if (config.dataset !== 'cifar10') {
    const needed = config.server + config.validation + config.clients * config.perClient;
    // The data set is fixed (seed 0) whatever the run's seed: seeds vary the partition and training.
    const [shape, difficulty] = config.dataset === 'synthetic-easy' ? [EASY_SHAPE, EASY_DIFFICULTY] : [SYNTHETIC_SHAPE, DEFAULT_DIFFICULTY];
    const { train, test } = makeSynthetic({ seed: 0, train: needed, test: config.test, shape, difficulty });
    // Generated, but by code that may change: hashed so a recording still says what it trained on.
    return { train, test, digest: digestParts([imageSetPart('train', train), imageSetPart('test', test)]) };
  }
  return loadCifar10(resolveDataDir(dataDir));
}
