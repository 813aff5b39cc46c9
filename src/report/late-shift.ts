/**
 * How fedgear words a shift the policy asked for after the last planned round: the policy is asked
 * after every round, the last one too, but no round is left to train the next gear. Live runs
 * (`fedgear run`) and replays (`fedgear replay`, on bundles and on run files) say it alike.
 *
 * @example
 * lateShift(30); // 'shift after round 30, the last planned round: no round left to grow'
 */
export function lateShift(round: number): string {
  return `shift after round ${round}, the last planned round: no round left to grow`;
}
