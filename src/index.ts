/**
 * fedgear's public API. Internal modules import each other directly; the other public entries are
 * `fedgear/policy` (the plugin API alone) and `fedgear/testing` (the property-testing kit).
 */
export type { ImageSet } from './data/image-set.js';
export type { DataDigest, DataPart } from './data/data-digest.js';
export * from './policy/index.js';
export { decideGears, type DecideOptions } from './policy/decide-gears.js';
export { loadPolicy, listBuiltinPolicies, loadBuiltinPolicies, type BuiltinPolicies } from './policy/load-policy.js';

// Running experiments
export { stagedRun, type StagedRunOptions, type RunEvent } from './engine/staged-run.js';
export { federate, type FederationSetup, type FederationEvent, type ResumePoint, type Phase } from './engine/federation.js';
export { buildRunConfig, RUN_DEFAULTS } from './engine/build-run-config.js';
export { TRANSFER_KINDS, type RunConfig, type TransferKind } from './engine/run-config.js';
export { federatedAverage, type ClientUpdate } from './engine/federated-average.js';
export { selectBackend } from './backend/select-backend.js';
export { BACKEND_CHOICES, type BackendChoice } from './backend/backend-choice.js';

// Data and models
export { loadCifar10, type Cifar10 } from './data/cifar10.js';
export { makeSynthetic } from './data/synthetic.js';
export { partition, type FederatedData, type PartitionScheme, type PartitionPlan } from './data/partition.js';
export { PRESETS, getPreset, type Preset } from './data/presets.js';
export { buildLadder, LADDERS } from './models/ladder.js';
export { countParameters, transferBytes, type Architecture } from './models/architecture.js';
export { buildModel } from './models/build-model.js';
export { growWeights, canGrow } from './models/grow.js';

// Recorded runs
export type { RoundRecord, Metrics, ByteCounts, PhaseSeconds } from './metrics/round-record.js';
export { toPolicyRecord } from './metrics/round-record.js';
export { readRun, type RecordedRun } from './metrics/read-run.js';
export { RunWriter } from './metrics/run-writer.js';
export type { RunHeader, SwitchEvent, DecisionEvent, RunEnd } from './metrics/run-file-schema.js';
export { contextFromHeader } from './policy/context-from-header.js';
export { replayDecisions } from './replay/replay-decisions.js';
export { readBundle, type Bundle, type BundleManifest } from './replay/bundle.js';
export { sweep, type SweepOptions } from './sweep/sweep.js';
export { SweepStopped } from './sweep/sweep-stopped.js';
