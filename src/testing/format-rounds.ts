import type { ShownRun } from './law.js';

/**
 * A run as a failure shows it: the rounds up to and just after `focus` (the round marked `>`),
 * one line each with the gear, validation metrics, cumulative costs and the decision taken.
 *
 * @example
 * formatRounds({ title: 'the run', records, decisions }, 12);
 * //   round  gear       val acc  val loss   MB total   s total  decision
 * // >    12  0 small      0.5120    0.6830      120.5      80.2  shift: validation accuracy has not improved ...
 */
export function formatRounds(run: ShownRun, focus: number, before = 8, after = 2): string {
  const shown = run.records.filter((record) => record.round >= focus - before && record.round <= focus + after);
  const header = `  ${'round'.padStart(5)}  ${'gear'.padEnd(10)} ${'val acc'.padStart(8)} ${'val loss'.padStart(9)} ${'MB total'.padStart(10)} ${'s total'.padStart(9)}  decision`;
  const lines = shown.map((record) => {
    const decision = run.decisions[record.round - 1];
    const said = decision === undefined ? '-' : `${decision.action}: ${clip(decision.reason, 90)}`;
    const validation = record.validation as Partial<typeof record.validation> | undefined;
    return [
      `${record.round === focus ? '>' : ' '} ${String(record.round).padStart(5)}`,
      ` ${`${record.gear} ${record.gearName}`.padEnd(10)}`,
      number(validation?.accuracy, 4).padStart(8),
      number(validation?.loss, 4).padStart(9),
      number((record.bytes.sentTotal + record.bytes.receivedTotal) / 1e6, 1).padStart(10),
      number(record.seconds.total, 1).padStart(9),
      ` ${said}`,
    ].join(' ');
  });
  const omitted = run.records.length - shown.length;
  const footer = omitted > 0 ? [`  (${run.records.length} rounds in all)`] : [];
  return [`${run.title}:`, header, ...lines, ...footer].join('\n');
}

function number(value: number | undefined, digits: number): string {
  return value === undefined ? 'missing' : Number.isFinite(value) ? value.toFixed(digits) : String(value);
}

function clip(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 3)}...`;
}
