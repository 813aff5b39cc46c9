import { availableParallelism } from 'node:os';
import { getPreset } from '../data/presets.js';
import { DEFAULT_OBJECTIVE, parseObjectiveSpec } from '../policy/objective-spec.js';
import type { RunConfig } from './run-config.js';

/** Settings that do not come from a preset, with their defaults. */
export const RUN_DEFAULTS = {
  dataset: 'cifar10',
  partition: { kind: 'iid' },
  ladder: 'paper',
  start: 'small',
  transfer: 'stack',
  momentum: 0.9,
  weightDecay: 5e-4,
  augment: true,
  kdTemperature: 4,
  kdSoftWeight: 0.9,
  seed: 0,
  backend: 'auto',
  objective: DEFAULT_OBJECTIVE,
  policy: { name: 'fixed', options: {} },
} as const satisfies Partial<RunConfig>;

/**
 * A complete run config: the preset's sizes and hyper-parameters (its `synthetic` sizes for the
 * `synthetic` data set), then fedgear's defaults, then the caller's overrides (undefined values
 * are ignored, so parsed CLI flags can be passed as-is). Refuses values that cannot work.
 *
 * @example
 * buildRunConfig('tiny', { dataset: 'synthetic', rounds: 5 });
 */
export function buildRunConfig(presetName: string, overrides: { readonly [K in keyof RunConfig]?: RunConfig[K] | undefined }): RunConfig {
  const preset = getPreset(presetName);
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  const dataset = overrides.dataset ?? RUN_DEFAULTS.dataset;
  const sizes = { ...preset, ...(dataset === 'synthetic' ? preset.synthetic : undefined) };
  const config: RunConfig = {
    ...RUN_DEFAULTS,
    preset: preset.name,
    rounds: sizes.rounds,
    clients: preset.clients,
    perClient: sizes.perClient,
    server: sizes.server,
    validation: sizes.validation,
    test: sizes.test,
    width: preset.width,
    localEpochs: preset.localEpochs,
    batchSize: preset.batchSize,
    learningRate: preset.learningRate,
    kdEpochs: preset.kdEpochs,
    serverEpochs: preset.serverEpochs,
    workers: 0,
    ...defined,
  } as RunConfig;
  const workers = overrides.workers ?? defaultWorkers(config.clients);
  // Recorded in its canonical form, so runs with the same objective compare equal.
  const checked = { ...config, workers, objective: parseObjectiveSpec(config.objective).spec };
  checkRunConfig(checked);
  return checked;
}

function checkRunConfig(config: RunConfig): void {
  const positiveIntegers = ['rounds', 'clients', 'perClient', 'validation', 'test', 'width', 'localEpochs', 'batchSize'] as const;
  for (const key of positiveIntegers) {
    const value = config[key];
    if (!Number.isInteger(value) || value < 1) throw new Error(`${key} must be an integer >= 1, but got ${value}.`);
  }
  const counts = ['server', 'kdEpochs', 'serverEpochs', 'workers'] as const;
  for (const key of counts) {
    const value = config[key];
    if (!Number.isInteger(value) || value < 0) throw new Error(`${key} must be an integer >= 0, but got ${value}.`);
  }
  if (!(config.learningRate > 0)) throw new Error(`learningRate must be > 0, but got ${config.learningRate}.`);
  if (!(config.momentum >= 0 && config.momentum < 1)) throw new Error(`momentum must be in [0, 1), but got ${config.momentum}.`);
  if (!(config.kdTemperature > 0)) throw new Error(`kdTemperature must be > 0, but got ${config.kdTemperature}.`);
  if (!(config.kdSoftWeight >= 0 && config.kdSoftWeight <= 1)) {
    throw new Error(`kdSoftWeight must be in [0, 1], but got ${config.kdSoftWeight}.`);
  }
  if (config.partition.kind === 'dirichlet' && !(config.partition.alpha > 0)) {
    throw new Error(`alpha must be > 0, but got ${config.partition.alpha}.`);
  }
  const distils = config.transfer === 'kd' || config.serverEpochs > 0;
  if (distils && config.server < 1) {
    throw new Error(`server must be >= 1 when distilling (transfer kd or server pre-training), but got ${config.server}.`);
  }
}

/**
 * Workers when none are asked for: one per client up to twice the cores, so a client count that
 * does not divide evenly over the cores (3 clients on 2 cores) still keeps every core busy to the
 * end of the round; beyond that, one per core.
 *
 * @example
 * defaultWorkers(3); // 3 on a 2-core machine
 */
export function defaultWorkers(clients: number, cores: number = availableParallelism()): number {
  return clients <= 2 * cores ? clients : cores;
}
