import { Flags } from '../vendor/oclif-core.js';
import { BACKEND_CHOICES, type BackendChoice } from '../backend/backend-choice.js';
import type { PartitionScheme } from '../data/partition.js';
import { PRESETS } from '../data/presets.js';
import { buildRunConfig } from '../engine/build-run-config.js';
import { DATASETS, TRANSFER_KINDS, type RunConfig, type TransferKind } from '../engine/run-config.js';
import { LADDERS } from '../models/ladder.js';

/**
 * The flags that describe a federated scenario — data, parties, models, training, backend —
 * shared by `fedgear run` and `fedgear sweep` so both speak the same language. Help shows them
 * in two groups: SCENARIO (data and parties) and TRAINING (models, transfer, hyper-parameters).
 *
 * @example
 * static override flags = { ...scenarioFlags, out: Flags.string() };
 */
export const scenarioFlags = {
    dataset: Flags.string({ helpGroup: 'SCENARIO',
    summary: 'Training data: CIFAR-10, or images generated offline (synthetic: 16x16 images where the small model leads for a few rounds, then the large one overtakes it — at the tiny preset, 30 rounds in a minute or two, 12-12 ends over 20 points above 12-6; synthetic-easy: learnt in a few rounds, for quick checks).',
    options: [...DATASETS],
    default: 'cifar10',
  }),
    // Not \`env: 'FEDGEAR_DATA_DIR'\`: oclif would pass the variable as the flag, and errors would blame --data-dir.
    'data-dir': Flags.string({ helpGroup: 'SCENARIO', summary: 'CIFAR-10 directory (cifar-10-batches-bin); default: $FEDGEAR_DATA_DIR, else the per-user cache.' }),
    preset: Flags.string({ helpGroup: 'SCENARIO',
      summary: 'Sizes and hyper-parameters (see the README for each).',
      options: PRESETS.map((p) => p.name),
      default: 'small',
    }),
    rounds: Flags.integer({ helpGroup: 'SCENARIO', summary: 'Federated rounds (overrides the preset).', min: 1 }),
    clients: Flags.integer({ helpGroup: 'SCENARIO', summary: 'Number of clients (overrides the preset).', min: 1 }),
    'per-client': Flags.integer({ helpGroup: 'SCENARIO', summary: 'Training images per client (overrides the preset).', min: 1 }),
    server: Flags.integer({ helpGroup: 'SCENARIO', summary: "Images in the server's distillation share (overrides the preset).", min: 0 }),
    validation: Flags.integer({ helpGroup: 'SCENARIO', summary: 'Server-side validation images, what policies see (overrides the preset).', min: 1 }),
    test: Flags.integer({ helpGroup: 'SCENARIO', summary: 'Test images, for reporting only (overrides the preset).', min: 1 }),
    partition: Flags.string({ helpGroup: 'SCENARIO', summary: 'How images are spread over clients.', options: ['iid', 'dirichlet'], default: 'iid' }),
    alpha: Flags.string({ helpGroup: 'SCENARIO', summary: 'Dirichlet concentration for --partition dirichlet (smaller is more skewed).', default: '0.5' }),
    ladder: Flags.string({ helpGroup: 'TRAINING', summary: 'Model ladder: paper = small -> large, three = tiny -> small -> large.', options: Object.keys(LADDERS), default: 'paper' }),
    width: Flags.integer({ helpGroup: 'TRAINING', summary: 'Width multiplier of the models (overrides the preset).', min: 1 }),
    transfer: Flags.string({ helpGroup: 'TRAINING', summary: 'How the model grows at a switch.', options: [...TRANSFER_KINDS], default: 'stack' }),
    'local-epochs': Flags.integer({ helpGroup: 'TRAINING', summary: 'Client epochs per round (overrides the preset).', min: 1 }),
    'batch-size': Flags.integer({ helpGroup: 'TRAINING', summary: 'Client mini-batch size (overrides the preset).', min: 1 }),
    lr: Flags.string({ helpGroup: 'TRAINING', summary: 'SGD learning rate (overrides the preset).' }),
    'kd-epochs': Flags.integer({ helpGroup: 'TRAINING', summary: 'Server distillation epochs (overrides the preset).', min: 0 }),
    'server-epochs': Flags.integer({ helpGroup: 'TRAINING', summary: 'Server pre-training epochs of the large model before distilling it into the small one (the paper\'s "12-6"; 0 skips).', min: 0 }),
    seed: Flags.integer({ helpGroup: 'SCENARIO', summary: 'Seed for data partition, initialisation and training.', default: 0 }),
    backend: Flags.string({ helpGroup: 'TRAINING', summary: 'tfjs backend; auto prefers tfjs-node, then wasm.', options: [...BACKEND_CHOICES], default: 'auto' }),
    workers: Flags.integer({ helpGroup: 'TRAINING', summary: 'Worker threads training clients in parallel (0: main thread). Default: one per client up to twice the cores, else one per core.', min: 0 }),
};

/** Parsed values of {@link scenarioFlags}. */
export interface ScenarioFlagValues {
  readonly dataset: string;
  readonly preset: string;
  readonly rounds?: number | undefined;
  readonly clients?: number | undefined;
  readonly 'per-client'?: number | undefined;
  readonly server?: number | undefined;
  readonly validation?: number | undefined;
  readonly test?: number | undefined;
  readonly partition: string;
  readonly alpha: string;
  readonly ladder: string;
  readonly width?: number | undefined;
  readonly transfer: string;
  readonly 'local-epochs'?: number | undefined;
  readonly 'batch-size'?: number | undefined;
  readonly lr?: string | undefined;
  readonly 'kd-epochs'?: number | undefined;
  readonly 'server-epochs'?: number | undefined;
  readonly seed: number;
  readonly backend: string;
  readonly workers?: number | undefined;
}

/**
 * The run config the scenario flags describe (preset first, then each flag given).
 *
 * @example
 * const config = configFromFlags(flags, { start: 'small', policy: { name: 'never', options: {} } });
 */
export function configFromFlags(flags: ScenarioFlagValues, rest: Pick<RunConfig, 'start' | 'policy'> & Partial<Pick<RunConfig, 'objective'>>): RunConfig {
  return buildRunConfig(flags.preset, {
    dataset: flags.dataset as RunConfig['dataset'],
    rounds: flags.rounds,
    clients: flags.clients,
    perClient: flags['per-client'],
    server: flags.server,
    validation: flags.validation,
    test: flags.test,
    partition: partitionScheme(flags.partition, flags.alpha),
    ladder: flags.ladder,
    width: flags.width,
    transfer: flags.transfer as TransferKind,
    localEpochs: flags['local-epochs'],
    batchSize: flags['batch-size'],
    learningRate: flags.lr === undefined ? undefined : parseNumberFlag('--lr', flags.lr),
    kdEpochs: flags['kd-epochs'],
    serverEpochs: flags['server-epochs'],
    seed: flags.seed,
    backend: flags.backend as BackendChoice,
    workers: flags.workers,
    ...rest,
  });
}

function partitionScheme(kind: string, alpha: string): PartitionScheme {
  return kind === 'dirichlet' ? { kind: 'dirichlet', alpha: parseNumberFlag('--alpha', alpha) } : { kind: 'iid' };
}

/**
 * A flag's text as a finite number, or an error naming the flag.
 *
 * @example
 * parseNumberFlag('--lr', '0.01'); // 0.01
 */
export function parseNumberFlag(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new Error(`${flag} must be a number, but got '${text}'.`);
  return value;
}
