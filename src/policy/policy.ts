import type { PolicyRecord } from '../metrics/round-record.js';
import type { Decision } from './decision.js';
import type { ObjectiveSpec } from './objective-spec.js';

/** What a policy knows about one rung of the model ladder. */
export interface GearInfo {
  readonly name: string;
  readonly parameters: number;
  /** Bytes one round of this gear moves, both directions, all clients. */
  readonly bytesPerRound: number;
  /**
   * Forward multiply-adds per example: compute, whose ratio between gears estimates the ratio
   * of their round seconds. Absent when the trainer did not say (older runs, other trainers).
   */
  readonly multiplyAdds?: number;
}

/** Facts fixed for the whole run, given to every decision. */
export interface PolicyContext {
  /** Rounds the run is planned to last. */
  readonly plannedRounds: number;
  /** The gears from smallest to largest; records say which one is training. */
  readonly ladder: readonly GearInfo[];
  /**
   * What the run is judged by (`fedgear run --objective`; replays and tuning pass the objective
   * they score). Policies may decide by it; `max-accuracy` when the user named none.
   */
  readonly objective: ObjectiveSpec;
}

/**
 * A gear-switching rule. After every round it is given the whole history so far (validation
 * metrics and costs only, never test metrics; the last record is the round just finished) and
 * answers hold or shift. A policy should be a pure function of its arguments: then it is
 * deterministic and causal by construction, and the same object serves live runs and replays.
 *
 * @example
 * const everyTen: Policy = { decide: (history) => (history.at(-1)!.round % 10 === 0 ? shift('ten') : hold()) };
 */
export interface Policy {
  decide(history: readonly PolicyRecord[], context: PolicyContext): Decision | Promise<Decision>;
}
