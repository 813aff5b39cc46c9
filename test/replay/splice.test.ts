import { describe, expect, it } from 'vitest';
import { readBundle, type Bundle } from '../../src/replay/bundle.js';
import { spliceBranch } from '../../src/replay/splice.js';
import { makeBundle } from './make-bundle.js';

const bundle = readBundle(makeBundle({ rounds: 12, branches: [4, 8] }));

describe('spliceBranch', () => {
  it('is the small run when the policy never shifts', () => {
    const spliced = spliceBranch(bundle, undefined);
    expect(spliced.rounds).toBe(bundle.small.rounds);
    expect(spliced).toMatchObject({ switchAfter: undefined, usedBranch: undefined });
    expect(spliced.note).toBeUndefined();
  });

  it('is the small run through the shift, then the branch that switches there', () => {
    const spliced = spliceBranch(bundle, 4);
    expect(spliced).toMatchObject({ switchAfter: 4, usedBranch: 4 });
    expect(spliced.note).toBeUndefined();
    expect(spliced.rounds.slice(0, 4)).toEqual(bundle.small.rounds.slice(0, 4));
    expect(spliced.rounds).toEqual(bundle.branches[0]!.run.rounds);
    expect(spliced.rounds.map((record) => record.gear)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1]);
  });

  it('uses the nearest later branch when none switches after the asked round, and says so', () => {
    const spliced = spliceBranch(bundle, 5);
    expect(spliced).toMatchObject({ switchAfter: 5, usedBranch: 8 });
    expect(spliced.note).toBe('no branch switches after round 5: used the nearest later one, after round 8');
    expect(spliced.rounds).toEqual(bundle.branches[1]!.run.rounds);
  });

  it('stays small, with a note, when no branch switches at or after the asked round', () => {
    const spliced = spliceBranch(bundle, 9);
    expect(spliced.rounds).toBe(bundle.small.rounds);
    expect(spliced).toMatchObject({ switchAfter: 9, usedBranch: undefined });
    expect(spliced.note).toBe('no branch switches after round 9 or later (the last branch switches after round 8): the run stays small');
  });

  it('stays small on a shift after the last round, with the note a live run prints for it', () => {
    const spliced = spliceBranch(bundle, 12);
    expect(spliced.rounds).toBe(bundle.small.rounds);
    expect(spliced.note).toBe('shift after round 12, the last planned round: no round left to grow');
  });

  it("re-bases the branch's cumulative totals on the small run's when the branch's copy of the small rounds differs", () => {
    const branch = bundle.branches[0]!;
    // The branch's rounds 1..4 took 10 s longer and moved 1000 bytes more each way than the small run's.
    const slower = branch.run.rounds.map((record) => ({
      ...record,
      bytes: { ...record.bytes, sentTotal: record.bytes.sentTotal + 1000, receivedTotal: record.bytes.receivedTotal + 1000 },
      seconds: { ...record.seconds, total: record.seconds.total + 10 },
    }));
    const skewed: Bundle = { ...bundle, branches: [{ switchAfter: 4, run: { ...branch.run, rounds: slower } }] };
    const rounds = spliceBranch(skewed, 4).rounds;
    expect(rounds.map((record) => record.seconds.total)).toEqual(branch.run.rounds.map((record) => record.seconds.total));
    expect(rounds.map((record) => record.bytes.sentTotal)).toEqual(branch.run.rounds.map((record) => record.bytes.sentTotal));
    expect(rounds[6]!.seconds.round).toBe(slower[6]!.seconds.round);
  });

  it('refuses a switch round that is not a positive integer', () => {
    expect(() => spliceBranch(bundle, 0)).toThrow('switchAfter must be an integer >= 1, but got 0.');
    expect(() => spliceBranch(bundle, 2.5)).toThrow('switchAfter must be an integer >= 1, but got 2.5.');
  });
});
