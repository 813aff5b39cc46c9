import { readFileSync } from 'node:fs';
import { FileError } from '../metrics/file-error.js';
import type { RecordedRun } from '../metrics/read-run.js';
import type { Bundle } from './bundle.js';

/**
 * Checks that a bundle's runs fit together the way replay needs them, on top of what
 * `readBundle` checks line by line: every run has the manifest's rounds and the same two-gear
 * ladder, `small` never leaves gear 0, `large` trains the top gear throughout, and the branch
 * after round k trains gear 0 through round k and the top gear from round k + 1 on.
 *
 * Two gears only: replay splices a run at a single switch, so a three-gear ladder (whose runs
 * switch twice) would need a branch per pair of switch rounds; such bundles are refused.
 *
 * Errors name the file and the line of the offending round, e.g.
 * `bundles/a/branch-4.jsonl:6: gear must be 0 (this branch switches after round 4), but got 1.`
 *
 * @example
 * const bundle = checkBundle(readBundle('test/fixtures/bundles/cifar10-iid-seed0'));
 */
export function checkBundle(bundle: Bundle): Bundle {
  const { manifest, small, large, branches, alternatives } = bundle;
  const runs = [small, large, ...[...branches, ...alternatives].map((branch) => branch.run)];
  for (const run of runs) {
    if (run.header.ladder.length !== 2) {
      const names = run.header.ladder.map((gear) => gear.name).join(', ');
      throw new FileError(`${run.path}:1: ladder must have 2 gears (replay splices a single switch), but got ${run.header.ladder.length} (${names}).`, { file: run.path, line: 1, field: 'ladder' });
    }
    const ladder = JSON.stringify(run.header.ladder);
    if (ladder !== JSON.stringify(small.header.ladder)) {
      throw new FileError(`${run.path}:1: ladder must be the one of ${small.path}, ${JSON.stringify(small.header.ladder)}, but got ${ladder}.`, { file: run.path, line: 1, field: 'ladder' });
    }
    if (run.rounds.length !== manifest.rounds) {
      throw new FileError(`${run.path}: rounds must be ${manifest.rounds} (the manifest's rounds; was the run finished?), but got ${run.rounds.length}.`, { file: run.path });
    }
  }
  expectGears(small, () => 0, 'the small run never switches');
  expectGears(large, () => 1, 'the 12-12 run trains the large model throughout');
  let previous: number | undefined;
  for (const { switchAfter, run } of branches) {
    if (switchAfter === previous) throw new Error(`${bundle.directory}: branches must switch after distinct rounds, but got round ${switchAfter} twice.`);
    if (switchAfter >= manifest.rounds) {
      throw new FileError(`${run.path}: switchAfter must be less than the run's ${manifest.rounds} rounds, but got ${switchAfter}.`, { file: run.path });
    }
    expectGears(run, (round) => (round <= switchAfter ? 0 : 1), `this branch switches after round ${switchAfter}`);
    previous = switchAfter;
  }
  for (const { switchAfter, transfer, run } of alternatives) {
    if (switchAfter >= manifest.rounds) {
      throw new FileError(`${run.path}: switchAfter must be less than the run's ${manifest.rounds} rounds, but got ${switchAfter}.`, { file: run.path });
    }
    const recorded = (run.header.config as { transfer?: unknown }).transfer;
    if (recorded !== transfer) throw new FileError(`${run.path}:1: config.transfer must be '${transfer}' (the manifest's alternative), but got '${String(recorded)}'.`, { file: run.path, line: 1, field: 'config.transfer' });
    expectGears(run, (round) => (round <= switchAfter ? 0 : 1), `this alternative switches after round ${switchAfter}`);
  }
  return bundle;
}

function expectGears(run: RecordedRun, gearOf: (round: number) => number, why: string): void {
  const wrong = run.rounds.find((record) => record.gear !== gearOf(record.round));
  if (wrong === undefined) return;
  const line = lineOfRound(run.path, wrong.round);
  throw new FileError(`${run.path}:${line}: gear must be ${gearOf(wrong.round)} (${why}), but got ${wrong.gear}.`, {
    file: run.path,
    ...(typeof line === 'number' ? { line } : {}),
    field: 'gear',
  });
}

/** The 1-based line of a round's record; only read on the error path, so reading again is fine. */
function lineOfRound(path: string, round: number): number | string {
  const lines = readFileSync(path, 'utf8').split('\n');
  const index = lines.findIndex((line) => {
    try {
      const value = JSON.parse(line) as { kind?: unknown; round?: unknown };
      return value.kind === 'round' && value.round === round;
    } catch {
      return false;
    }
  });
  return index < 0 ? `round ${round}` : index + 1;
}
