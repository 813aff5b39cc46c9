import { currentGearRecords, definePolicy, type GearInfo, hold, isIncompleteRecord, type PolicyRecord, shift } from 'fedgear/policy';

/**
 * budget: spends a fixed budget (megabytes moved, wall seconds, or rounds) so that the larger
 * gears get the end of it: train the cheap gear while there is plenty left, then shift early
 * enough that the larger gear can train long enough to pay off.
 *
 * With no budget given, the budget is the run's planned rounds: the policy then splits the run
 * between the gears (`largeShare`, `largeRounds`), which is what tuning searches.
 *
 * Rule: the next gear's cost per round is estimated from the current gear's measured mean cost per
 * round times the size ratio of the two gears (bytes per round from the ladder for MB, parameters
 * for seconds, 1 for rounds). The policy reserves budget for the gears above the current one:
 * - with `largeRounds` N: N rounds of each larger gear, at the estimated costs;
 * - otherwise a share `largeShare` (default 0.5) of what was left when the current gear started.
 *   On a two-gear ladder with a rounds budget that splits the budget in halves; on longer ladders
 *   each gear keeps the same share for the gears above it (0.5: halves, then quarters).
 * Shift when the remaining budget is at most the reserve. Its own decision never makes the run
 * overspend: it never shifts when one round of the next gear (estimated) would not fit in what remains.
 *
 * Costs: MB are 10^6 bytes, sent plus received (`bytes.sent + bytes.received`, totals from
 * `sentTotal + receivedTotal`); seconds are `seconds.round` and `seconds.total`; rounds count records.
 * A record whose cost is not a finite, non-negative number holds (no decision on a broken measurement).
 *
 * @example
 * fedgear run --policy budget --budget-mb 500
 * fedgear run --policy budget --budget-rounds 200 --large-rounds 60
 * fedgear run --policy budget --large-share 0.7   # the planned rounds, 70% kept for the large gear
 */
export default definePolicy({
  name: 'budget',
  description: 'Spends a fixed MB, seconds or rounds budget, shifting when what is left is what the larger gear needs.',
  options: {
    budgetMb: { type: 'number', greaterThan: 0, unit: 'MB', help: 'total megabytes (10^6 bytes) sent and received by the run (at most one budget)' },
    budgetSeconds: { type: 'number', greaterThan: 0, unit: 'seconds', help: 'total wall seconds of the run (at most one budget)' },
    budgetRounds: { type: 'integer', min: 1, unit: 'rounds', help: 'total rounds of the run (at most one budget; default: the planned rounds)' },
    largeRounds: { type: 'integer', min: 1, unit: 'rounds', help: 'rounds of each larger gear to keep budget for (instead of large-share)' },
    largeShare: {
      type: 'number',
      greaterThan: 0,
      max: 1,
      unit: 'fraction',
      help: "share of the budget left at the gear's start to keep for larger gears (default 0.5 without large-rounds)",
    },
  },
  create({ budgetMb, budgetSeconds, budgetRounds, largeRounds, largeShare }, context) {
    const given = [budgetMb, budgetSeconds, budgetRounds].filter((budget) => budget !== undefined);
    if (given.length > 1) {
      throw new Error(`budget: at most one of budgetMb, budgetSeconds and budgetRounds must be given, but got ${given.length}.`);
    }
    if (largeRounds !== undefined && largeShare !== undefined) {
      throw new Error(`budget: at most one of largeRounds and largeShare must be given, but got largeRounds ${largeRounds} and largeShare ${largeShare}.`);
    }
    const gearSize = (gear: GearInfo) => (budgetMb !== undefined ? gear.bytesPerRound : budgetSeconds !== undefined ? gear.parameters : 1);
    const bad = context.ladder.find((gear) => !(gearSize(gear) > 0));
    if (bad !== undefined) throw new Error(`budget: the size of every gear must be > 0, but got ${gearSize(bad)} for ${bad.name}.`);
    const total = given[0] ?? context.plannedRounds;
    const unit = budgetMb !== undefined ? 'MB' : budgetSeconds !== undefined ? 's' : 'rounds';
    const spent = (record: PolicyRecord) =>
      budgetMb !== undefined ? (record.bytes.sentTotal + record.bytes.receivedTotal) / 1e6 : budgetSeconds !== undefined ? record.seconds.total : record.round;
    const cost = (record: PolicyRecord) =>
      budgetMb !== undefined ? (record.bytes.sent + record.bytes.received) / 1e6 : budgetSeconds !== undefined ? record.seconds.round : 1;
    const amount = (value: number) => {
      const rounded = Number(value.toPrecision(4));
      return `${rounded} ${rounded === 1 && unit === 'rounds' ? 'round' : unit}`;
    };

    const share = largeShare ?? 0.5;
    const valid = (record: PolicyRecord) => Number.isFinite(cost(record)) && cost(record) >= 0 && Number.isFinite(spent(record));

    return {
      decide(history, { ladder }) {
        const last = history.at(-1);
        if (last === undefined || last.gear >= ladder.length - 1) return hold('no larger gear to shift to');
        if (isIncompleteRecord(last)) return hold(`round ${last.round} has incomplete validation metrics: no decision on a broken measurement`);
        const gear = currentGearRecords(history);
        const before = history[history.length - gear.length - 1];
        const broken = [...(before === undefined ? [] : [before]), ...gear].find((record) => !valid(record));
        if (broken !== undefined) return hold(`round ${broken.round} has no valid ${unit} measurement: no decision on a broken measurement`);

        const current = ladder[last.gear]!;
        const next = ladder[last.gear + 1]!;
        const perRound = gear.reduce((sum, record) => sum + cost(record), 0) / gear.length;
        const estimate = (above: GearInfo) => (perRound * gearSize(above)) / gearSize(current);
        const remaining = total - spent(last);
        if (remaining < estimate(next)) {
          return hold(`${amount(remaining)} left, less than one round of ${next.name} (~${amount(estimate(next))}): shifting would overspend`);
        }

        const startedWith = total - (before === undefined ? 0 : spent(before));
        const [reserve, plan] =
          largeRounds !== undefined
            ? [largeRounds * ladder.slice(last.gear + 1).reduce((sum, above) => sum + estimate(above), 0), `${largeRounds} round${largeRounds === 1 ? '' : 's'} of each larger gear`]
            : [share * startedWith, `${share * 100}% of the ${amount(startedWith)} left when ${current.name} started`];
        if (remaining > reserve) return hold(`${amount(remaining)} of ${amount(total)} left; shifting at ${amount(reserve)} (${plan})`);
        const price = budgetRounds === undefined ? `; ${next.name} costs ~${amount(estimate(next))} per round` : '';
        return shift(`${amount(remaining)} of ${amount(total)} left, within the ${amount(reserve)} kept for ${plan}${price}`);
      },
    };
  },
});
