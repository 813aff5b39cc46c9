import type { RecordedRun } from '../metrics/read-run.js';
import type { Decision } from '../policy/decision.js';
import type { Policy } from '../policy/policy.js';
import { replayDecisions } from './replay-decisions.js';

/** One round's decision, with its round. */
export interface RoundDecision extends Decision {
  readonly round: number;
}

/** A policy replayed on one recorded run file, next to the decisions recorded with it. */
export interface RunFileReplay {
  readonly file: string;
  /** The run's own policy as its header records it (absent for imported runs). */
  readonly recordedPolicy: { readonly name: string; readonly spec?: string; readonly options: Readonly<Record<string, unknown>> } | undefined;
  readonly rounds: number;
  readonly plannedRounds: number;
  /** The decisions the run recorded (none for an imported run). */
  readonly recorded: readonly RoundDecision[];
  /** The replayed policy's decision after every recorded round. */
  readonly replayed: readonly RoundDecision[];
  /** The first round after which the two actions differ, when the run recorded decisions. */
  readonly firstDifference: { readonly round: number; readonly recorded: Decision; readonly replayed: Decision } | undefined;
  /** The first round, before any difference of action, whose reasons differ (e.g. another option value in the wording). */
  readonly firstOtherReason: number | undefined;
}

/**
 * Replays a policy on a recorded run, whoever trained it (fedgear, or another trainer through
 * `fedgear decide` or `fedgear import`), and sets its decisions beside the recorded ones. On the
 * run's own policy and options they are the same, round for round, reasons included. The rounds come in the gears
 * they were recorded in, so after the first difference they no longer follow the replayed policy.
 *
 * @example
 * const replay = await replayRunFile(readRun('runs/torch.jsonl'), policy, 'plateau');
 * replay.firstDifference; // undefined: the same decisions as recorded
 */
export async function replayRunFile(run: RecordedRun, policy: Policy, label: string): Promise<RunFileReplay> {
  const decisions = await replayDecisions(run, policy, label);
  const replayed = decisions.map((decision, index) => ({ round: run.rounds[index]!.round, action: decision.action, reason: decision.reason }));
  const recorded = run.decisions.map(({ round, action, reason }) => ({ round, action, reason }));
  const byRound = new Map(recorded.map((decision) => [decision.round, decision]));
  let firstDifference: RunFileReplay['firstDifference'];
  let firstOtherReason: number | undefined;
  if (recorded.length > 0) {
    for (const decision of replayed) {
      const before = byRound.get(decision.round);
      if (before === undefined || before.action !== decision.action) {
        firstDifference = { round: decision.round, recorded: before ?? { action: 'hold', reason: '(no recorded decision)' }, replayed: strip(decision) };
        break;
      }
      if (before.reason !== decision.reason) firstOtherReason ??= decision.round;
    }
  }
  const policyConfig = run.header.config['policy'] as RunFileReplay['recordedPolicy'] | undefined;
  const plannedRounds = run.header.config['rounds'];
  return {
    file: run.path,
    recordedPolicy: policyConfig,
    rounds: run.rounds.length,
    plannedRounds: typeof plannedRounds === 'number' ? plannedRounds : run.rounds.length,
    recorded,
    replayed,
    firstDifference,
    firstOtherReason,
  };
}

function strip({ action, reason }: Decision): Decision {
  return { action, reason };
}
