import { lateShift } from '../report/late-shift.js';
import type { RoundDecision, RunFileReplay } from './replay-run-file.js';

/**
 * A run-file replay as `fedgear replay` prints it: the run and its policy, the first shift each
 * way, and whether the decisions agree (or where they first differ).
 *
 * @example
 * console.log(formatRunFileReplay(replay, 'plateau {"patience":3}'));
 */
export function formatRunFileReplay(replay: RunFileReplay, policyLabel: string): string {
  const recordedBy = replay.recordedPolicy === undefined ? 'no recorded policy' : `policy ${describePolicy(replay.recordedPolicy)}`;
  const lines = [`${replay.file}: ${replay.rounds} of ${replay.plannedRounds} planned rounds, ${recordedBy}; replayed with ${policyLabel}`];
  if (replay.recorded.length > 0) lines.push(`  recorded: ${firstShift(replay.recorded, replay.plannedRounds)}`);
  lines.push(`  replayed: ${firstShift(replay.replayed, replay.plannedRounds)}`);
  const difference = replay.firstDifference;
  if (replay.recorded.length === 0) {
    lines.push('  the run recorded no decisions (an imported run): nothing to compare with.');
  } else if (difference === undefined) {
    const reasons = replay.firstOtherReason === undefined ? 'with the same reasons' : `reasons worded otherwise from round ${replay.firstOtherReason}`;
    lines.push(`  the same decisions as recorded after all ${replay.replayed.length} rounds, ${reasons}.`);
  } else {
    lines.push(
      `  the actions first differ after round ${difference.round}: recorded ${difference.recorded.action} (${difference.recorded.reason}), replayed ${difference.replayed.action} (${difference.replayed.reason}).`,
      '  The later rounds trained the gears the recorded decisions chose, so they do not show what the replayed policy would have led to.',
    );
  }
  return lines.join('\n');
}

/**
 * The first shift of a list of decisions, as both replay and live runs word it; a shift after the
 * last planned round is named as such, since no round is left to train the next gear.
 *
 * @example
 * firstShift([{ round: 12, action: 'shift', reason: 'flat' }], 12); // 'shift after round 12, the last planned round: no round left to grow (flat)'
 */
export function firstShift(decisions: readonly RoundDecision[], plannedRounds: number): string {
  const shift = decisions.find((decision) => decision.action === 'shift');
  if (shift === undefined) return 'never shifted';
  return `${shift.round >= plannedRounds ? lateShift(shift.round) : `shift after round ${shift.round}`} (${shift.reason})`;
}

function describePolicy(policy: NonNullable<RunFileReplay['recordedPolicy']>): string {
  const given = policy.spec !== undefined && policy.spec !== policy.name ? ` (given as ${policy.spec})` : '';
  return `${policy.name}${given} ${JSON.stringify(policy.options)}`;
}
