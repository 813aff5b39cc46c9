import type { BackendChoice } from '../backend/backend-choice.js';
import type { PartitionScheme } from '../data/partition.js';

/** The data sets a run can train on. */
export const DATASETS = ['cifar10', 'synthetic', 'synthetic-easy'] as const;

/** One of {@link DATASETS}. */
export type DatasetName = (typeof DATASETS)[number];

/** How a run grows its model at a switch. */
export type TransferKind = 'stack' | 'kd' | 'scratch';

/** Every growth transfer, the default first. */
export const TRANSFER_KINDS: readonly TransferKind[] = ['stack', 'kd', 'scratch'];


/**
 * Everything that determines a run. It is written whole into the header of the run's JSONL file,
 * so a recording says exactly how it was made.
 *
 * @example
 * const config: RunConfig = { ...defaults, rounds: 40, transfer: 'stack' };
 */
export interface RunConfig {
  /** CIFAR-10, the synthetic set where the large model overtakes the small one, or its easy variant for fast tests. */
  readonly dataset: DatasetName;
  /** The preset the sizes below came from (flags may have overridden some). */
  readonly preset: string;
  readonly rounds: number;
  readonly clients: number;
  /** Training images per client. */
  readonly perClient: number;
  /** The server's share, used only for distillation and server pre-training. */
  readonly server: number;
  /** The server-side validation split that policies see. */
  readonly validation: number;
  /** Test images, for reporting only. */
  readonly test: number;
  readonly partition: PartitionScheme;
  /** Name of the model ladder (e.g. "paper": small -> large). */
  readonly ladder: string;
  /** Width multiplier of every model in the ladder. */
  readonly width: number;
  /** Start in the ladder's first gear (staged) or its last (plain large-model FL, the paper's 12-12). */
  readonly start: 'small' | 'large';
  readonly transfer: TransferKind;
  readonly localEpochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly momentum: number;
  readonly weightDecay: number;
  /** Random left-right flips during client training. */
  readonly augment: boolean;
  /** Epochs of server-side distillation (at the start, and for `kd` at a switch). */
  readonly kdEpochs: number;
  readonly kdTemperature: number;
  /** Weight of the teacher's soft targets against the server share's labels, in [0, 1]. */
  readonly kdSoftWeight: number;
  /** Epochs the server pre-trains the top gear on its share before distilling it into the starting gear (the paper's "12-6"); 0 skips this. */
  readonly serverEpochs: number;
  readonly seed: number;
  readonly backend: BackendChoice;
  /** Worker threads for client training; 0 trains in the main thread. */
  readonly workers: number;
  /**
   * What the run is judged by, as an objective spec (`max-accuracy`, `time-to:0.97`,
   * `accuracy-at-seconds:600`, ...): policies read it from their context and may decide by it.
   */
  readonly objective: string;
  /**
   * The gear policy: its name, how it was given (`spec`: a built-in name, a combination, a module
   * path or a package; the name when absent) and its options.
   */
  readonly policy: { readonly name: string; readonly spec?: string; readonly options: Readonly<Record<string, unknown>> };
}
