import { closest, distance } from 'fastest-levenshtein';

/**
 * The message for flags a command does not know, suggesting for each the nearest flag it does
 * know when one is close (a typo's edit distance), instead of oclif's whole flag list.
 *
 * @example
 * unknownFlagMessage('fedgear run', ['--round'], ['rounds', 'rounds-per', 'seed']);
 * // 'every flag must be one fedgear run knows, but got --round (did you mean --rounds?). "fedgear run --help" lists them.'
 */
export function unknownFlagMessage(command: string, given: readonly string[], known: readonly string[]): string {
  const described = given.map((flag) => {
    const name = flag.replace(/^-+/, '').replace(/=.*$/s, '');
    const nearest = known.length === 0 ? undefined : closest(name, known);
    // Close enough to be a typo: at most a third of the name, and at least 2 edits allowed.
    const near = nearest !== undefined && distance(name, nearest) <= Math.max(2, Math.floor(name.length / 3));
    return near ? `${flag} (did you mean --${nearest}?)` : flag;
  });
  return `every flag must be one ${command} knows, but got ${described.join(', ')}. "${command} --help" lists them.`;
}
