/**
 * What growing costs right after the switch, measured on the suite's bundles: for every branch,
 * the change in validation accuracy from the small model's last round to the grown model's first
 * round, and how many large rounds pass until validation accuracy is back at (or above) where
 * the small model was at the switch. `forecast`'s `recovery` option stands for that number, so
 * the study shows what the recorded growth actually took. Writes Markdown for docs/reproduction.md.
 */
import type { Bundle } from '../src/replay/bundle.js';
import { median, table } from './markdown-table.js';

/** One switch of one scenario. */
interface Recovery {
  readonly switchAfter: number;
  /** Validation accuracy of the first large round minus the small model's at the switch. */
  readonly firstRoundChange: number;
  /** Large rounds until validation accuracy is back at the switch's; undefined: not within the run. */
  readonly rounds: number | undefined;
  /** Large rounds the run had left after the switch. */
  readonly roundsLeft: number;
}

/**
 * Every branch's recovery after the switch, in switch order.
 *
 * @example
 * recoveries(readBundle('test/fixtures/study/synthetic-iid')); // [{ switchAfter: 3, firstRoundChange: 0.128, rounds: 1, roundsLeft: 27 }, ...]
 */
export function recoveries(bundle: Bundle): Recovery[] {
  const small = bundle.small.rounds;
  return bundle.branches.map(({ switchAfter, run }) => {
    const atSwitch = small[switchAfter - 1]!.validation.accuracy;
    const after = run.rounds.slice(switchAfter).map((record) => record.validation.accuracy);
    const back = after.findIndex((accuracy) => accuracy >= atSwitch);
    return { switchAfter, firstRoundChange: after[0]! - atSwitch, rounds: back === -1 ? undefined : back + 1, roundsLeft: after.length };
  });
}

/**
 * A table of every scenario's recoveries ("after k: +1.2 / 1" is the first large round's change in
 * points and the rounds until back at the switch's accuracy), then a summary line over all switches.
 *
 * @example
 * recoveryTable([{ name: 'synthetic-iid', bundle }]);
 */
export function recoveryTable(scenarios: readonly { readonly name: string; readonly bundle: Bundle }[]): string {
  const all: Recovery[] = [];
  const rows = scenarios.map(({ name, bundle }) => {
    const measured = recoveries(bundle);
    all.push(...measured);
    const cells = measured.map((r) => `after ${r.switchAfter}: ${signed(r.firstRoundChange * 100)} / ${r.rounds === undefined ? `not in ${r.roundsLeft}` : r.rounds}`);
    return [name, cells.join('; ')];
  });
  const back = all.filter((r) => r.rounds !== undefined).map((r) => r.rounds!);
  const within = (n: number) => all.filter((r) => r.rounds !== undefined && r.rounds <= n).length;
  const firstHalf = all.filter((r) => r.switchAfter <= r.roundsLeft);
  const secondHalf = all.filter((r) => r.switchAfter > r.roundsLeft);
  const medianOf = (list: readonly Recovery[]) => median(list.map((r) => r.rounds ?? r.roundsLeft + 1));
  const summary =
    `Over ${all.length} switches: back at the switch's validation accuracy after a median of ${median(back)} large round(s) (of those that got back); ` +
    `within 1 round ${within(1)}, within 2 rounds ${within(2)}, never within the run ${all.length - back.length}. ` +
    `Switches in the first half of a run: median ${medianOf(firstHalf)} round(s); in the second half: ${medianOf(secondHalf)} (a switch not back within the run counts as one more round than it had).`;
  return [table(['scenario', 'per switch: first large round\'s change in validation accuracy (points) / large rounds until back at the switch\'s accuracy'], rows), '', summary].join('\n');
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : ''}${value.toFixed(1)}`;
}
