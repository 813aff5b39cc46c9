import { currentGearRecords, definePolicy, hold, isIncompleteRecord, shift } from 'fedgear/policy';

/**
 * fixed: shifts after a set number of rounds, the paper's "Gear N" schedules (Gear 40 = `--at 40`;
 * Gear 20/40/60/80 of a 200-round run = `--fraction 0.1`..`0.4`).
 *
 * Rule: shift once the current gear has trained `at` rounds (or `round(fraction x plannedRounds)`).
 * The count restarts at every shift, so a longer ladder shifts again every `at` rounds. It keeps
 * answering shift while the count is reached, so a combination such as `all:fixed,plateau` means
 * "not before round N, and only on a plateau". It reads no metric, but holds after a round whose
 * validation metrics are incomplete (NaN: a diverged or failed evaluation) like every built-in.
 *
 * @example
 * fedgear run --policy fixed --at 40
 * fedgear run --policy fixed --fraction 0.2 --rounds 200   # shifts after round 40
 */
export default definePolicy({
  name: 'fixed',
  description: "Shifts after a fixed number of rounds per gear (the paper's Gear N schedules).",
  options: {
    at: { type: 'integer', min: 1, unit: 'rounds', help: 'rounds each gear trains before shifting (give this or fraction)' },
    fraction: {
      type: 'number',
      greaterThan: 0,
      max: 1,
      unit: 'fraction',
      help: 'rounds each gear trains, as a fraction of the planned rounds (give this or at)',
    },
  },
  create({ at, fraction }, context) {
    if ((at === undefined) === (fraction === undefined)) {
      throw new Error(`fixed: exactly one of at and fraction must be given, but got ${at === undefined ? 'neither' : `at ${at} and fraction ${fraction}`}.`);
    }
    const rounds = at ?? Math.round(fraction! * context.plannedRounds);
    if (rounds < 1) {
      throw new Error(`fixed: fraction x planned rounds must be at least 1 round, but got ${fraction} x ${context.plannedRounds} = ${fraction! * context.plannedRounds}.`);
    }
    return {
      decide(history, { ladder }) {
        const last = history.at(-1);
        if (last === undefined || last.gear >= ladder.length - 1) return hold('no larger gear to shift to');
        if (isIncompleteRecord(last)) return hold(`round ${last.round} has incomplete validation metrics: no decision on a broken measurement`);
        const trained = currentGearRecords(history).length;
        if (trained < rounds) return hold(`${last.gearName} has trained ${trained} of ${rounds} rounds`);
        return shift(`${last.gearName} has trained ${trained} rounds (fixed schedule: ${rounds} per gear)`);
      },
    };
  },
});
