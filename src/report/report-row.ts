import type { RoundRecord } from '../metrics/round-record.js';

/**
 * One row of a comparison: a label and the rounds of one (possibly spliced) run, as the table
 * scores it and the charts draw it. Switches need not be given: they are where the gear changes.
 *
 * @example
 * const row: ReportRow = { label: 'Gear 40', rounds: bundle.branches[1]!.run.rounds, note: 'fixed switch' };
 */
export interface ReportRow {
  readonly label: string;
  readonly rounds: readonly RoundRecord[];
  /** A short remark printed after the table, e.g. what a policy row replayed. */
  readonly note?: string;
  /**
   * A policy's run put together from recorded ones: it repeats a recorded row, so charts draw it
   * dashed on top.
   */
  readonly replayed?: boolean;
}

/**
 * The rounds after which the gear changed, in order: a staged run's switch points.
 *
 * @example
 * switchRounds(bundle.branches[0]!.run.rounds); // [20]
 */
export function switchRounds(rounds: readonly Pick<RoundRecord, 'round' | 'gear'>[]): number[] {
  const after: number[] = [];
  for (let i = 1; i < rounds.length; i++) {
    if (rounds[i]!.gear !== rounds[i - 1]!.gear) after.push(rounds[i - 1]!.round);
  }
  return after;
}
