import type { RoundRecord } from '../metrics/round-record.js';
import type { SwitchEvent } from '../metrics/run-file-schema.js';

/** The headline numbers of a finished run. */
export interface RunSummary {
  readonly rounds: number;
  readonly maxTestAccuracy: number;
  readonly maxTestAccuracyRound: number;
  readonly maxValidationAccuracy: number;
  readonly finalTestAccuracy: number;
  /** Rounds after which the model grew, in order. */
  readonly switchRounds: readonly number[];
  readonly megabytes: number;
  readonly seconds: number;
}

/**
 * Sums up a run from its records and switches.
 *
 * @example
 * summarizeRun(rounds, switches).maxTestAccuracy;
 */
export function summarizeRun(rounds: readonly RoundRecord[], switches: readonly Pick<SwitchEvent, 'afterRound'>[]): RunSummary {
  const last = rounds.at(-1);
  if (last === undefined) throw new Error('rounds must hold at least one round record, but got none.');
  let best = rounds[0]!;
  for (const record of rounds) if (record.test.accuracy > best.test.accuracy) best = record;
  return {
    rounds: last.round,
    maxTestAccuracy: best.test.accuracy,
    maxTestAccuracyRound: best.round,
    maxValidationAccuracy: Math.max(...rounds.map((r) => r.validation.accuracy)),
    finalTestAccuracy: last.test.accuracy,
    switchRounds: switches.map((s) => s.afterRound),
    megabytes: (last.bytes.sentTotal + last.bytes.receivedTotal) / 1e6,
    seconds: last.seconds.total,
  };
}

/**
 * The summary as the few lines `fedgear run` prints at the end.
 *
 * @example
 * console.log(formatSummary(summary));
 */
export function formatSummary(summary: RunSummary): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const switches = summary.switchRounds.length === 0 ? 'none' : summary.switchRounds.map((r) => `after round ${r}`).join(', ');
  return [
    `max test accuracy  ${pct(summary.maxTestAccuracy)} (round ${summary.maxTestAccuracyRound}); final ${pct(summary.finalTestAccuracy)}`,
    `max val accuracy   ${pct(summary.maxValidationAccuracy)}`,
    `switches           ${switches}`,
    `traffic            ${summary.megabytes.toFixed(1)} MB in ${summary.rounds} rounds`,
    `time               ${summary.seconds.toFixed(1)} s`,
  ].join('\n');
}
