import type { PolicyRecord } from '../metrics/round-record.js';

/**
 * The records of the gear now training: the trailing run of records with the last record's gear.
 * Policies reason about these, so each gear of a longer ladder is judged on its own rounds.
 *
 * @example
 * const rounds = currentGearRecords(history).length; // rounds trained since the last shift
 */
export function currentGearRecords(history: readonly PolicyRecord[]): readonly PolicyRecord[] {
  const gear = history.at(-1)?.gear;
  let start = history.length;
  while (start > 0 && history[start - 1]!.gear === gear) start -= 1;
  return history.slice(start);
}
