import { optionFlagName } from '../policy/options-schema.js';
import { formatObjectiveValue, formatRegret, type Objective } from './objective.js';
import { textTable } from './text-table.js';
import type { TuneResult } from './tune.js';

/**
 * Options as a command line would set them: `--patience 4` where the CLI has that flag, else
 * `--policy-opt name=value`.
 *
 * @example
 * settingFlags({ patience: 4, target: 0.6 }, new Set(['patience'])); // '--patience 4 --policy-opt target=0.6'
 */
export function settingFlags(setting: Readonly<Record<string, unknown>>, flagNames: ReadonlySet<string>): string {
  const flags = Object.entries(setting)
    .filter(([, value]) => value !== undefined)
    .map(([option, value]) =>
      flagNames.has(optionFlagName(option)) ? `--${optionFlagName(option)} ${shellWord(String(value))}` : `--policy-opt ${shellWord(`${option}=${String(value)}`)}`,
    );
  return flags.length === 0 ? '(defaults)' : flags.join(' ');
}

/**
 * A word as a POSIX shell reads it back unchanged: as it is when it holds only safe characters,
 * else in single quotes. The best line of `fedgear tune` is meant to be pasted.
 *
 * @example
 * shellWord('./my policy.js'); // "'./my policy.js'"
 */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * A tuning result as `fedgear tune` prints it: what was searched, the best settings on the
 * tuning bundles, the command line of the best, and its scores on held-out bundles.
 *
 * @example
 * console.log(formatTune(result, objective, new Set(Object.keys(policyFlags))));
 */
export function formatTune(result: TuneResult, objective: Objective, flagNames: ReadonlySet<string>): string {
  const show = (value: number | null) => (value === null ? '-' : formatObjectiveValue(objective, value));
  const regret = (value: number | null) => (value === null ? '-' : formatRegret(objective, value));
  const lines: string[] = [];
  const refused = result.invalid === 0 ? '' : `; ${result.invalid} refused by the policy and skipped (${result.invalidReasons.map((reason) => `${reason.count} x "${reason.message}"`).join('; ')})`;
  lines.push(`${result.policy} on ${result.tuningBundles.length} tuning bundle${result.tuningBundles.length === 1 ? '' : 's'} (${result.tuningBundles.join(', ')}), objective ${objective.description}`);
  lines.push(`${result.search} search: ${result.settings} settings${result.search === 'grid' ? '' : ` (full grid: ${result.space.gridSize})`}${refused}`);
  if (Object.keys(result.given).some((key) => result.given[key] !== undefined)) lines.push(`given:        ${settingFlags(result.given, flagNames)}`);
  for (const dimension of result.space.dimensions) {
    // Random search draws from the ranges, not from the grid's levels: report what it did.
    const over = result.search === 'grid' ? `${dimension.levels.map((level) => (level === undefined ? 'unset' : String(level))).join(', ')} (${dimension.origin})` : dimension.drawn;
    lines.push(`searched:     ${dimension.option} over ${over}`);
  }
  for (const skipped of result.space.skipped) lines.push(`not searched: ${skipped.option}: ${skipped.why}`);
  lines.push('');
  lines.push(
    textTable(
      ['rank', 'setting', `mean ${objective.spec}`, 'mean regret', 'never reached', 'mean max acc'],
      result.top.map((setting, index) => [
        String(index + 1),
        settingFlags(setting.setting, flagNames),
        show(setting.meanValue),
        regret(setting.meanRegret),
        `${setting.misses}/${setting.bundles.length}`,
        `${(setting.meanMaxAccuracy * 100).toFixed(1)}%`,
      ]),
    ),
  );
  lines.push('');
  // The policy as given (a path or a package, not only its name) and every option: the line pastes after "fedgear run".
  lines.push(`best: --policy ${shellWord(result.spec)} ${settingFlags({ ...result.given, ...result.best.setting }, flagNames)}`);
  lines.push('');
  const { heldOut } = result;
  if (heldOut.mode === 'none') {
    lines.push('held out: nothing (a single bundle was tuned on); give more bundles, or --holdout-bundles, to see how the setting does on a scenario it was not tuned on.');
  } else {
    lines.push(
      heldOut.mode === 'leave-one-out'
        ? 'held out (leave-one-out): each bundle judged with the setting that is best on all the others'
        : 'held out: the best setting judged on bundles it was not tuned on',
    );
    lines.push(
      textTable(
        ['bundle', 'setting', 'switch', objective.spec, 'oracle', 'regret'],
        heldOut.results.map((entry) => [
          entry.bundle,
          settingFlags(entry.setting, flagNames),
          entry.switchAfter === null ? 'never' : `after ${entry.switchAfter}${entry.usedBranch !== null && entry.usedBranch !== entry.switchAfter ? ` (branch ${entry.usedBranch})` : ''}`,
          show(entry.value),
          `${entry.oracle.label}: ${show(entry.oracle.value)}`,
          regret(entry.regret),
        ]),
      ),
    );
    lines.push(`mean on held-out bundles: ${show(heldOut.meanValue)}, regret ${regret(heldOut.meanRegret)}`);
  }
  return lines.join('\n');
}
