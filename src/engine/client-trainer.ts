import type * as tf from '../vendor/tfjs.js';
import type { ImageSet } from '../data/image-set.js';
import type { Architecture } from '../models/architecture.js';
import { buildModel } from '../models/build-model.js';
import { flattenWeights, loadWeights } from '../models/weights.js';
import type { Normalization } from './image-batch.js';
import { trainOnLabels } from './local-training.js';
import type { SgdOptions } from './sgd.js';

/** One client's work in one round: start from `weights` of gear `gear`, train on shard `client`. */
export interface ClientJob {
  readonly gear: number;
  readonly client: number;
  readonly weights: Float32Array;
  readonly sgd: SgdOptions;
}

/** What a client sends back: its trained weights and what it trained on. */
export interface ClientResult {
  readonly client: number;
  readonly weights: Float32Array;
  readonly samples: number;
  /** Mean training loss and accuracy over the samples of this round (see `SgdResult`). */
  readonly loss: number;
  readonly accuracy: number;
  readonly seconds: number;
}

/** What every client needs once, before its first job. */
export interface ClientSetup {
  readonly ladder: readonly Architecture[];
  readonly shards: readonly ImageSet[];
  readonly normalization: Normalization;
}

/**
 * Runs client jobs: the same code in a worker thread and in the main thread. Keeps one model per
 * gear and overwrites its weights for each job, so building happens once per gear.
 *
 * @example
 * const trainer = new ClientTrainer(setup);
 * const result = trainer.train({ gear: 0, client: 1, weights, sgd });
 */
export class ClientTrainer {
  private readonly models = new Map<number, tf.LayersModel>();

  constructor(private readonly setup: ClientSetup) {}

  /** Trains one client's shard from the given global weights and returns the new weights. */
  train(job: ClientJob): ClientResult {
    const started = performance.now();
    const shard = this.setup.shards[job.client];
    if (shard === undefined) throw new Error(`client must be in [0, ${this.setup.shards.length}), but got ${job.client}.`);
    const model = this.model(job.gear);
    loadWeights(model, job.weights);
    const { loss, accuracy, samples } = trainOnLabels(model, shard, this.setup.normalization, job.sgd);
    return { client: job.client, weights: flattenWeights(model), samples, loss, accuracy, seconds: (performance.now() - started) / 1000 };
  }

  /** Releases every model's tensors. */
  dispose(): void {
    for (const model of this.models.values()) model.dispose();
    this.models.clear();
  }

  private model(gear: number): tf.LayersModel {
    let model = this.models.get(gear);
    if (model === undefined) {
      const architecture = this.setup.ladder[gear];
      if (architecture === undefined) throw new Error(`gear must be in [0, ${this.setup.ladder.length}), but got ${gear}.`);
      // The seed is irrelevant: every job overwrites all weights.
      model = buildModel(architecture, 0);
      this.models.set(gear, model);
    }
    return model;
  }
}
