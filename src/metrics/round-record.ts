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
  /** Which clients took part, when they run on other machines (`fedgear serve`); absent otherwise. */
  readonly clients?: ClientAttendance;
}

/**
 * Who took part in a distributed round, by client index: the clients that accepted the round's
 * job, those whose update arrived in time and was averaged in, and those whose update for an
 * earlier round arrived after that round had closed (dropped, counted here).
 *
 * @example
 * const attendance: ClientAttendance = { asked: [0, 1, 2], answered: [0, 2], late: [] };
 */
export interface ClientAttendance {
  readonly asked: readonly number[];
  readonly answered: readonly number[];
  readonly late: readonly number[];
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
