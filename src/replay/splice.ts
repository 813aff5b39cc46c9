import type { RoundRecord } from '../metrics/round-record.js';
import { lateShift } from '../report/late-shift.js';
import type { Bundle } from './bundle.js';

/** The run a policy would have produced on a bundle, put together from its recorded runs. */
export interface SplicedRun {
  readonly rounds: readonly RoundRecord[];
  /** The round after which the policy asked to shift; `undefined` when it never did. */
  readonly switchAfter: number | undefined;
  /** The branch whose large-model rounds were used; `undefined` when the run stays small. */
  readonly usedBranch: number | undefined;
  /** Set when the run differs from what the policy asked for, saying how. */
  readonly note?: string;
}

/**
 * The run a policy that shifts after round `switchAfter` would have produced: the small
 * trajectory through that round, then the branch that switches there. Without a shift it is the
 * small run; so it is after a shift after the last round, which a live run cannot carry out
 * either, with a note saying so (`lateShift`).
 *
 * When no branch switches after exactly that round, the nearest later branch is used and
 * `note` says so: the run then stays small a little longer than asked, which is the closest
 * recorded outcome that does not need a switch before the policy wanted one. When no later branch
 * exists either, the run stays small, again with a note.
 *
 * Cumulative totals (`bytes.sentTotal`, `bytes.receivedTotal`, `seconds.total`) of the branch's
 * rounds are re-based on the small run's totals at the splice, so the spliced run is
 * self-consistent even if the branch's copy of the small rounds differs in wall time. Bundles
 * recorded by `fedgear sweep` copy those rounds exactly, which makes the re-basing a no-op.
 *
 * Two-gear ladders only (see `checkBundle`): one switch, one branch.
 *
 * @example
 * spliceBranch(bundle, 7); // { rounds, switchAfter: 7, usedBranch: 8, note: 'no branch switches after round 7: used the nearest later one, after round 8' }
 */
export function spliceBranch(bundle: Bundle, switchAfter: number | undefined): SplicedRun {
  const small = bundle.small.rounds;
  if (switchAfter === undefined) return { rounds: small, switchAfter, usedBranch: undefined };
  if (!Number.isInteger(switchAfter) || switchAfter < 1) throw new Error(`switchAfter must be an integer >= 1, but got ${switchAfter}.`);
  if (switchAfter >= small.length) return { rounds: small, switchAfter, usedBranch: undefined, note: lateShift(switchAfter) };
  const branch = bundle.branches.find((candidate) => candidate.switchAfter >= switchAfter);
  if (branch === undefined) {
    const last = bundle.branches.at(-1)?.switchAfter;
    const recorded = last === undefined ? 'the bundle has no branches' : `the last branch switches after round ${last}`;
    return { rounds: small, switchAfter, usedBranch: undefined, note: `no branch switches after round ${switchAfter} or later (${recorded}): the run stays small` };
  }
  const at = branch.switchAfter;
  const rounds = [...small.slice(0, at), ...rebase(branch.run.rounds, at, small[at - 1]!)];
  if (at === switchAfter) return { rounds, switchAfter, usedBranch: at };
  return { rounds, switchAfter, usedBranch: at, note: `no branch switches after round ${switchAfter}: used the nearest later one, after round ${at}` };
}

/** The branch's rounds after `at`, with cumulative totals continuing from `base`. */
function rebase(branch: readonly RoundRecord[], at: number, base: RoundRecord): RoundRecord[] {
  const start = branch[at - 1]!;
  const sent = base.bytes.sentTotal - start.bytes.sentTotal;
  const received = base.bytes.receivedTotal - start.bytes.receivedTotal;
  const seconds = base.seconds.total - start.seconds.total;
  const after = branch.slice(at);
  if (sent === 0 && received === 0 && seconds === 0) return after;
  return after.map((record) => ({
    ...record,
    bytes: { ...record.bytes, sentTotal: record.bytes.sentTotal + sent, receivedTotal: record.bytes.receivedTotal + received },
    seconds: { ...record.seconds, total: record.seconds.total + seconds },
  }));
}
