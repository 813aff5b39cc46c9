/**
 * What one federated round measured: the unit of every stream, recording and replay in fedgear.
 *
 * Bytes are the real serialised weight sizes: `sent` is server -> clients (the global model to
 * each client), `received` is clients -> server (each client's update). Seconds are wall time per
 * phase of this round; `total` fields are cumulative over the run so far.
 *
 * @example
 * const acc = record.validation.accuracy; // what policies monitor
 */
export interface RoundRecord {
  /** 1-based round number. */
  readonly round: number;
  /** Index of the gear (ladder rung) trained this round: 0 is the smallest model. */
  readonly gear: number;
  /** Name of that gear's model, e.g. "small". */
  readonly gearName: string;
  /** Trainable parameters of the model trained this round. */
  readonly parameters: number;
  /** Server-side validation split: the only accuracy policies may look at. */
  readonly validation: Metrics;
  /** Held-out test set: for reporting only, never shown to a policy. */
  readonly test: Metrics;
  /**
   * The clients' own training loss and accuracy this round, sample-weighted over every batch
   * they trained on (measured on each batch before its update). Absent in version-1 run files
   * and from trainers that do not report it: policies that use it must say what they do without.
   */
  readonly training?: Metrics;
  readonly bytes: ByteCounts;
  readonly seconds: PhaseSeconds;
}

/** Accuracy in [0, 1] and mean cross-entropy loss on one evaluation set. */
export interface Metrics {
  readonly accuracy: number;
  readonly loss: number;
}

/** Bytes moved this round and since the run started. */
export interface ByteCounts {
  readonly sent: number;
  readonly received: number;
  readonly sentTotal: number;
  readonly receivedTotal: number;
}

/** Wall seconds spent per phase in this round, the round itself, and the run so far. */
export interface PhaseSeconds {
  readonly training: number;
  readonly aggregation: number;
  readonly distillation: number;
  readonly evaluation: number;
  readonly round: number;
  readonly total: number;
}

/**
 * A round record as a policy sees it: everything but the test metrics.
 *
 * @example
 * const view: PolicyRecord = toPolicyRecord(record); // "test" in view === false
 */
export type PolicyRecord = Omit<RoundRecord, 'test'>;

/**
 * Strips the test metrics, so that no policy can peek at them even by accident.
 *
 * @example
 * toPolicyRecord(record).validation.accuracy;
 */
export function toPolicyRecord(record: RoundRecord): PolicyRecord {
  const { test: _test, ...rest } = record;
  return rest;
}

/** Total bytes moved in both directions up to and including this round. */
export function totalBytes(record: Pick<RoundRecord, 'bytes'>): number {
  return record.bytes.sentTotal + record.bytes.receivedTotal;
}
