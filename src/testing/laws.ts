import fc from 'fast-check';
import type { PolicyRecord } from '../metrics/round-record.js';
import { PolicyError } from '../policy/policy-error.js';
import type { Decision } from '../policy/decision.js';
import type { Policy, PolicyContext } from '../policy/policy.js';
import { curveArb, realArb, recordedRunArb, runScenarioArb, withIncompleteRounds, type CountRange } from './arbitraries.js';
import { followDecisions, type FollowedRun } from './follow-decisions.js';
import { isIncompleteRecord } from '../policy/incomplete-record.js';
import { defineLaw, LawViolation, type Law, type PolicySubject, type ShownRun } from './law.js';
import { replayRun, type PolicyRun } from './policy-run.js';
import { recordRun, type RunScenario } from './run-scenario.js';

const defaultRounds: CountRange = { min: 10, max: 60 };

/**
 * **deterministic**: replaying the same recorded run through the pipeline gives the same
 * decisions (action and reason) every time: twice with one policy object, and once more with a
 * policy from a fresh `create`. Catches randomness, clocks and state kept between calls. Runs
 * include some with incomplete rounds, since NaN is where hand-written comparisons go astray.
 *
 * @example
 * await checkLaws(plugin, options, { laws: [deterministic] });
 */
export const deterministic: Law = defineLaw({
  name: 'deterministic',
  statement: 'the same records give the same decisions, replayed twice with one policy object and once with a fresh create',
  arbitrary: (_, settings) => {
    const runs = recordedRunArb({ rounds: settings.rounds ?? defaultRounds });
    return fc.oneof({ weight: 3, arbitrary: runs }, { weight: 1, arbitrary: withIncompleteRounds(runs) });
  },
  async check(subject, run) {
    const policy = create(subject, run.context);
    const first = await replayed(subject, policy, run);
    const replays: [string, Decision[]][] = [
      ['replayed again with the same policy object', await replayed(subject, policy, run)],
      ['replayed with a policy from a fresh create', await replayed(subject, create(subject, run.context), run)],
    ];
    for (const [how, again] of replays) {
      const index = firstDifference(first, again, 0, run.records.length);
      if (index === undefined) continue;
      throw new LawViolation({
        round: index + 1,
        message: `after round ${index + 1} it decided ${said(first[index])} the first time and ${said(again[index])} when ${how}.`,
        runs: [
          { title: 'the first replay', records: run.records, decisions: first },
          { title: `the same run ${how}`, records: run.records, decisions: again },
        ],
      });
    }
  },
});

/**
 * **causal**: the decision after round r does not change when the rounds after r change. Two
 * runs agree on their first r rounds and then differ in validation metrics and wall seconds; the
 * decisions after rounds 1..r must be the same on both. Through the pipeline a policy only ever
 * sees the rounds so far, so this catches side channels: a policy that remembers the future of a
 * run it was replayed on before, or reads the run from somewhere else.
 *
 * @example
 * await checkLaws(plugin, options, { laws: [causal] });
 */
export const causal: Law = defineLaw({
  name: 'causal',
  statement: 'the decision after round r does not change when the rounds after r change',
  arbitrary: (_, settings) => {
    const rounds = settings.rounds ?? defaultRounds;
    return fc.record({
      run: recordedRunArb({ rounds }),
      cut: fc.noBias(realArb(0, 0.999)),
      accuracies: curveArb({ rounds }),
      slowdowns: fc.array(realArb(0.5, 2), { minLength: 1, maxLength: 10 }),
    });
  },
  async check(subject, { run, cut, accuracies, slowdowns }) {
    if (run.records.length < 2) return;
    const after = 1 + Math.floor(cut * (run.records.length - 1));
    const other: PolicyRun = { context: run.context, records: changeFuture(run.records, after, accuracies, slowdowns) };
    const original = await replayed(subject, create(subject, run.context), run);
    const changed = await replayed(subject, create(subject, run.context), other);
    const index = firstDifference(original, changed, 0, after);
    if (index === undefined) return;
    throw new LawViolation({
      round: index + 1,
      message: `after round ${index + 1} it decided ${said(original[index])} on one run and ${said(changed[index])} on a run with the same first ${after} rounds, which differs only from round ${after + 1} on.`,
      runs: [
        { title: 'one run', records: run.records, decisions: original },
        { title: `a run that differs from round ${after + 1} on`, records: other.records, decisions: changed },
      ],
    });
  },
});

/**
 * **oneShiftPerGear**: played with the gear following its decisions, one gear's evidence moves
 * the run up at most one gear: the actions (hold or shift) taken on a gear's rounds, and on every
 * later gear's, stay the same when the validation metrics of all rounds before that gear started
 * are replaced. Otherwise one plateau, or one target reached, shifts the run again and again up
 * the ladder (typically a rule over the whole history instead of `currentGearRecords`). Costs are
 * not replaced: budgets span gears. That a gear is left at most once is the pipeline's part: the
 * next record has the next gear, and the top gear is never asked. Played on a three-gear ladder.
 *
 * @example
 * await checkLaws(plugin, options, { laws: [oneShiftPerGear] });
 */
export const oneShiftPerGear: Law = defineLaw({
  name: 'oneShiftPerGear',
  statement:
    "with the gear following its decisions, whether it shifts on a gear's rounds does not change when the validation metrics of the rounds before that gear are replaced, so one gear's evidence shifts the run at most once",
  arbitrary: (_, settings) => {
    const rounds = settings.rounds ?? defaultRounds;
    return fc.record({ scenario: runScenarioArb({ gears: 3, rounds }), earlier: curveArb({ rounds }) });
  },
  async check(subject, { scenario, earlier }) {
    const run = await followed(subject, create(subject, scenario.context), scenario);
    for (const shiftAfter of run.shiftsAfter) {
      if (shiftAfter >= run.records.length) continue;
      const entered = run.records[shiftAfter]!;
      const records = run.records.map((record, index) => (index < shiftAfter ? withValidation(record, earlier[index % earlier.length]!) : record));
      const decisions = await replayed(subject, create(subject, scenario.context), { context: scenario.context, records });
      // Only the actions count here: a reason may well quote the run so far.
      const index = run.decisions.findIndex((decision, at) => at >= shiftAfter && decision.action !== decisions[at]!.action);
      if (index < 0) continue;
      throw new LawViolation({
        round: index + 1,
        message:
          `after round ${index + 1} (on ${run.records[index]!.gearName}) it decided ${said(run.decisions[index])}, ` +
          `and ${said(decisions[index])} once the rounds before round ${entered.round}, where ${entered.gearName} started, measured other validation metrics.`,
        runs: [
          { title: 'the run, gears following the decisions', ...run },
          { title: `the same run with other validation metrics before round ${entered.round}`, records, decisions },
        ],
      });
    }
  },
});

/**
 * **holdsOnIncompleteRecords**: the policy never shifts after a round whose validation
 * measurement is incomplete (see `isIncompleteRecord`: validation accuracy or loss NaN, infinite
 * or missing). Replayed on recorded runs with up to 30 such rounds.
 *
 * @example
 * await checkLaws(plugin, options, { laws: [holdsOnIncompleteRecords] });
 */
export const holdsOnIncompleteRecords: Law = defineLaw({
  name: 'holdsOnIncompleteRecords',
  statement: 'the policy holds after every round whose validation accuracy or loss is NaN, infinite or missing',
  // Many broken rounds, so that some land where the policy would otherwise shift.
  arbitrary: (_, settings) => withIncompleteRounds(recordedRunArb({ rounds: settings.rounds ?? defaultRounds }), { min: 1, max: 30 }),
  async check(subject, run) {
    const decisions = await replayed(subject, create(subject, run.context), run);
    const index = run.records.findIndex((record, at) => isIncompleteRecord(record) && decisions[at]!.action === 'shift');
    if (index < 0) return;
    const record = run.records[index]!;
    throw new LawViolation({
      round: record.round,
      message: `after round ${record.round}, whose validation is ${showValidation(record)}, it decided ${said(decisions[index])}.`,
      runs: [{ title: 'the run', records: run.records, decisions }],
    });
  },
});

/**
 * The laws every policy should satisfy: `deterministic`, `causal`, `oneShiftPerGear` and
 * `holdsOnIncompleteRecords`. `checkLaws` runs these unless told otherwise.
 *
 * @example
 * await checkLaws(plugin, options, { laws: [...universalLaws, noShiftBeforeWarmup({ option: 'warmup' })] });
 */
export const universalLaws: readonly Law[] = [deterministic, causal, oneShiftPerGear, holdsOnIncompleteRecords];

/** Declares the option a warm-up is given by. */
export interface WarmupDeclaration {
  /** Name of the option: rounds of each gear before any shift. */
  readonly option: string;
  /** Values to try (default 1 to 12). */
  readonly values?: fc.Arbitrary<number>;
}

/**
 * **noShiftBeforeWarmup** (opt-in): with the warm-up option set to w, the policy never shifts
 * while the current gear has trained fewer than w rounds; it may shift after the w-th round of a
 * gear. Played on a three-gear ladder with the gear following the decisions, on learning and on
 * flat signals, so every gear's warm-up is checked.
 *
 * @example
 * await checkLaws(plateau, { patience: 3 }, { laws: [noShiftBeforeWarmup({ option: 'warmup' })] });
 */
export function noShiftBeforeWarmup({ option, values: declaredValues }: WarmupDeclaration): Law {
  const values = declaredValues ?? fc.integer({ min: 1, max: 12 });
  return defineLaw({
    name: 'noShiftBeforeWarmup',
    declaration: declare('noShiftBeforeWarmup', { option }, { values: declaredValues }),
    statement: `with ${option} w, the policy never shifts while the current gear has trained fewer than w rounds`,
    arbitrary: (_, settings) => {
      const rounds = settings.rounds ?? defaultRounds;
      const scenarios = fc.oneof(runScenarioArb({ gears: 3, rounds }), runScenarioArb({ gears: 3, rounds, signal: 'flat' }));
      return fc.record({ warmup: values, scenario: scenarios });
    },
    async check(subject, { warmup, scenario }) {
      const run = await followed(subject, create(subject, scenario.context, { [option]: warmup }), scenario);
      const trained = roundsOfGear(run.records);
      const index = run.decisions.findIndex((decision, at) => decision.action === 'shift' && trained[at]! < warmup);
      if (index < 0) return;
      throw new LawViolation({
        round: index + 1,
        message: `with ${option} ${warmup} it shifted after round ${index + 1}, when ${run.records[index]!.gearName} had trained only ${trained[index]} round${trained[index] === 1 ? '' : 's'}.`,
        runs: [{ title: `the run with ${option} ${warmup}, gears following the decisions`, ...run }],
      });
    },
  });
}

/** Declares how soon a policy leaves a gear whose validation metrics do not move. */
export interface FlatSignalDeclaration {
  /** The most rounds a gear trains on a flat signal, or how to compute it from the (validated) options. */
  readonly within: number | ((options: Readonly<Record<string, unknown>>) => number);
  /** Accuracies the flat signal sits at (default 0.1 to 0.9); e.g. at or above a target. */
  readonly levels?: fc.Arbitrary<number>;
}

/**
 * **shiftsOnFlatSignal** (opt-in): on a flat signal (every round of every gear measures the same
 * validation accuracy and loss), with the gear following the decisions, the policy leaves every
 * gear below the top within `within` of that gear's rounds. Runs last at least `within` rounds.
 *
 * @example
 * await checkLaws(plateau, { patience: 3 }, { laws: [shiftsOnFlatSignal({ within: ({ patience, warmup }) => Math.max(Number(warmup), Number(patience) + 1) })] });
 */
export function shiftsOnFlatSignal({ within, levels }: FlatSignalDeclaration): Law {
  return defineLaw({
    name: 'shiftsOnFlatSignal',
    declaration: declare('shiftsOnFlatSignal', { within }, { levels }),
    statement: 'on a flat signal, with the gear following its decisions, every gear below the top is left within the declared number of its rounds',
    arbitrary: (subject) => {
      const bound = boundOf(within, subject);
      return fc.record({ bound: fc.constant(bound), scenario: runScenarioArb({ rounds: { min: bound, max: Math.max(3 * bound, 20) }, signal: 'flat', levels }) });
    },
    async check(subject, { bound, scenario }) {
      const run = await followed(subject, create(subject, scenario.context), scenario);
      const top = scenario.context.ladder.length - 1;
      const trained = roundsOfGear(run.records);
      const index = run.records.findIndex((record, at) => record.gear < top && trained[at]! >= bound && run.decisions[at]!.action === 'hold');
      if (index < 0) return;
      const record = run.records[index]!;
      throw new LawViolation({
        round: record.round,
        message: `on a flat signal (validation ${showValidation(record)} every round) it held after round ${record.round}, the ${ordinal(trained[index]!)} round of ${record.gearName}, beyond the declared ${bound}: ${said(run.decisions[index])}.`,
        runs: [{ title: 'the flat run, gears following the decisions', ...run }],
      });
    },
  });
}

/** What a budget is counted in: `MB` (10^6 bytes sent plus received), wall `seconds` or `rounds`. */
export type BudgetUnit = 'MB' | 'seconds' | 'rounds';

/** Declares the option a budget is given by. */
export interface BudgetDeclaration {
  /** Name of the option that holds the budget, e.g. "budgetMb". */
  readonly option: string;
  readonly unit: BudgetUnit;
  /** Budgets to try; by default 2% to 100% of what the run would cost on the top gear throughout. */
  readonly values?: fc.Arbitrary<number>;
}

/**
 * **neverOverspends** (opt-in): played with the gear following its decisions, on runs whose cost
 * per round in the budget's unit is exactly proportional to the gear's size (the ladder's
 * `bytesPerRound` for MB, `parameters` for seconds, 1 per round for rounds) so the next gear's
 * price is predictable, a shift never takes the run past its budget: after a shift at round r,
 * what the run has spent by the end of round r + 1, the next gear's first round, is within the
 * budget (up to a relative 1e-9 for rounding).
 *
 * @example
 * await checkLaws(budget, { budgetMb: 500 }, { laws: [neverOverspends({ option: 'budgetMb', unit: 'MB' })] });
 */
export function neverOverspends({ option, unit, values }: BudgetDeclaration): Law {
  return defineLaw({
    name: 'neverOverspends',
    declaration: declare('neverOverspends', { option, unit }, { values }),
    statement: `with the gear following its decisions and predictable costs, a shift never takes the run past its ${option} budget`,
    arbitrary: (_, settings) =>
      fc.record({
        scenario: runScenarioArb({ rounds: settings.rounds ?? defaultRounds, costs: 'exact' }),
        share: realArb(0.02, 1),
        value: values ?? fc.constant(undefined),
      }),
    async check(subject, { scenario, share, value }) {
      const budget = value ?? defaultBudget(scenario, unit, share);
      const run = await followed(subject, create(subject, scenario.context, { [option]: budget }), scenario);
      for (const after of run.shiftsAfter) {
        const next = run.records[after] ?? recordRun(scenario, [...run.records.map((record) => record.gear), run.records[after - 1]!.gear + 1]).at(-1)!;
        if (spent(next, unit) <= budget * (1 + 1e-9)) continue;
        throw new LawViolation({
          round: after,
          message:
            `with ${option} ${budget} it shifted after round ${after}, having spent ${amount(spent(run.records[after - 1]!, unit), unit)}, ` +
            `and the first round of ${next.gearName} took the run to ${amount(spent(next, unit), unit)}.`,
          runs: [{ title: `the run with ${option} ${budget}, gears following the decisions`, records: [...run.records.slice(0, after), next], decisions: run.decisions }],
        });
      }
    },
  });
}

/** Declares an option the first shift moves monotonically with. */
export interface MonotoneDeclaration {
  readonly option: string;
  /** `no-earlier`: a larger value never shifts earlier (patience, warm-up); `no-later`: never later. */
  readonly larger: 'no-earlier' | 'no-later';
  /** Values to try (default integers 1 to 20). */
  readonly values?: fc.Arbitrary<number>;
}

/**
 * **monotoneIn** (opt-in): on the same run, the first shift with a larger value of the option
 * comes no earlier (`larger: 'no-earlier'`) or no later (`'no-later'`) than with a smaller
 * value; a run that never shifts counts as shifting after its last round + 1. Each generated run
 * is played with 2 to 4 values. Only the first shift is compared: after it, the runs train
 * different gears.
 *
 * @example
 * await checkLaws(plateau, { patience: 3 }, { laws: [monotoneIn({ option: 'patience', larger: 'no-earlier' })] });
 */
export function monotoneIn({ option, larger, values: declaredValues }: MonotoneDeclaration): Law {
  const values = declaredValues ?? fc.integer({ min: 1, max: 20 });
  return defineLaw({
    name: `monotoneIn(${option})`,
    declaration: declare('monotoneIn', { option, larger }, { values: declaredValues }),
    statement: `on the same run, a larger ${option} never shifts ${larger === 'no-earlier' ? 'earlier' : 'later'} (first shift)`,
    arbitrary: (_, settings) => {
      const rounds = settings.rounds ?? defaultRounds;
      return fc.record({
        scenario: fc.oneof(runScenarioArb({ rounds }), runScenarioArb({ rounds, signal: 'flat' })),
        values: fc.uniqueArray(values, { minLength: 2, maxLength: 4 }).map((chosen) => [...chosen].sort((a, b) => a - b)),
      });
    },
    async check(subject, { scenario, values }) {
      const never = scenario.noise.length + 1;
      const runs = await Promise.all(values.map(async (value) => followed(subject, create(subject, scenario.context, { [option]: value }), scenario)));
      const firsts = runs.map((run) => run.shiftsAfter[0] ?? never);
      const index = firsts.findIndex((first, at) => at > 0 && (larger === 'no-earlier' ? first < firsts[at - 1]! : first > firsts[at - 1]!));
      if (index < 0) return;
      const [small, big] = [values[index - 1]!, values[index]!];
      const [first, second] = [firsts[index - 1]!, firsts[index]!];
      const when = (round: number) => (round === never ? 'never shifted' : `first shifted after round ${round}`);
      throw new LawViolation({
        round: Math.min(first, second),
        message: `with ${option} ${small} it ${when(first)}, and with ${option} ${big} it ${when(second)}.`,
        runs: [
          { title: `with ${option} ${small}`, ...runs[index - 1]! },
          { title: `with ${option} ${big}`, ...runs[index]! },
        ],
      });
    },
  });
}

function create(subject: PolicySubject, context: PolicyContext, overrides?: Readonly<Record<string, unknown>>): Policy {
  try {
    return subject.create(context, overrides);
  } catch (error) {
    const given = overrides === undefined ? '' : ` with ${JSON.stringify(overrides)}`;
    throw new LawViolation({
      round: 0,
      message: `create threw for a run of ${context.plannedRounds} planned rounds on ${context.ladder.map((gear) => gear.name).join(' -> ')}${given}: ${(error as Error).message}`,
      runs: [],
    });
  }
}

async function replayed(subject: PolicySubject, policy: Policy, run: PolicyRun): Promise<Decision[]> {
  try {
    return await replayRun(policy, run, subject.label);
  } catch (error) {
    throw contractBroken(error, [{ title: 'the run', records: run.records, decisions: [] }]);
  }
}

async function followed(subject: PolicySubject, policy: Policy, scenario: RunScenario): Promise<FollowedRun> {
  try {
    return await followDecisions(policy, scenario, subject.label);
  } catch (error) {
    throw contractBroken(error, []);
  }
}

function contractBroken(error: unknown, runs: ShownRun[]): unknown {
  if (!(error instanceof PolicyError)) return error;
  const frame = pluginFrame(error.cause);
  const where = frame === undefined ? '' : `, ${frame}`;
  return new LawViolation({ round: error.round, message: `it broke the policy contract: ${error.message.replace(/\.$/, '')}${where}.`, runs, contract: true });
}

// fedgear's own compiled sources: frames in them are the pipeline's, not the plugin's.
const ownSources = new URL('../', import.meta.url).href;

/** The first frame of what the policy threw that lies in the plugin (not fedgear, rxjs or Node). */
function pluginFrame(thrown: unknown): string | undefined {
  if (!(thrown instanceof Error) || thrown.stack === undefined) return undefined;
  return thrown.stack
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line.startsWith('at ') && !line.includes(ownSources) && !line.includes('node:') && !line.includes('/node_modules/rxjs/'));
}

/**
 * A declared law as code to paste into `laws`: its plain options as literals, a function by its
 * source; an arbitrary cannot be printed, so a comment says it was yours.
 */
function declare(factory: string, plain: Readonly<Record<string, unknown>>, arbitraries: Readonly<Record<string, unknown>>): string {
  const fields = Object.entries(plain).map(([key, value]) => `${key}: ${typeof value === 'function' ? value.toString() : typeof value === 'string' ? `'${value}'` : String(value)}`);
  const yours = Object.entries(arbitraries).filter(([, value]) => value !== undefined).map(([key]) => key);
  return `${factory}({ ${fields.join(', ')} })${yours.length === 0 ? '' : ` /* and your ${yours.join(', ')} */`}`;
}

function firstDifference(a: readonly Decision[], b: readonly Decision[], from: number, to: number): number | undefined {
  for (let index = from; index < to; index += 1) {
    if (a[index]?.action !== b[index]?.action || a[index]?.reason !== b[index]?.reason) return index;
  }
  return undefined;
}

/** How many rounds the gear of each record had trained, that record included. */
function roundsOfGear(records: readonly PolicyRecord[]): number[] {
  const counts: number[] = [];
  records.forEach((record, index) => counts.push(index > 0 && records[index - 1]!.gear === record.gear ? counts[index - 1]! + 1 : 1));
  return counts;
}

/** The same records with new validation metrics after round `after` and slower or faster rounds. */
function changeFuture(records: readonly PolicyRecord[], after: number, accuracies: readonly number[], slowdowns: readonly number[]): PolicyRecord[] {
  let total = records[after - 1]!.seconds.total;
  return records.map((record, index) => {
    if (index < after) return record;
    const factor = slowdowns[index % slowdowns.length]!;
    const { training, aggregation, distillation, evaluation } = record.seconds;
    const seconds = { training: training * factor, aggregation: aggregation * factor, distillation: distillation * factor, evaluation: evaluation * factor };
    const round = seconds.training + seconds.aggregation + seconds.distillation + seconds.evaluation;
    total += round;
    return { ...withValidation(record, accuracies[index % accuracies.length]!), seconds: { ...seconds, round, total } };
  });
}

function withValidation(record: PolicyRecord, accuracy: number): PolicyRecord {
  return { ...record, validation: { accuracy, loss: -Math.log(Math.max(accuracy, 0.01)) } };
}

function defaultBudget(scenario: RunScenario, unit: BudgetUnit, share: number): number {
  const rounds = scenario.noise.length;
  if (unit === 'rounds') return Math.max(1, Math.round(share * rounds));
  const { ladder } = scenario.context;
  const size = (gear: number) => (unit === 'MB' ? ladder[gear]!.bytesPerRound : ladder[gear]!.parameters);
  const firstRound = spent(recordRun(scenario, [0])[0]!, unit);
  return share * rounds * firstRound * (size(ladder.length - 1) / size(0));
}

function spent(record: PolicyRecord, unit: BudgetUnit): number {
  return unit === 'MB' ? (record.bytes.sentTotal + record.bytes.receivedTotal) / 1e6 : unit === 'seconds' ? record.seconds.total : record.round;
}

function amount(value: number, unit: BudgetUnit): string {
  return `${value} ${unit}`;
}

function boundOf(within: FlatSignalDeclaration['within'], subject: PolicySubject): number {
  const bound = typeof within === 'number' ? within : within(subject.options);
  if (!Number.isInteger(bound) || bound < 1 || bound > 300) {
    throw new Error(`shiftsOnFlatSignal: within must be an integer between 1 and 300 rounds, but got ${bound} for ${subject.label}.`);
  }
  return bound;
}

function said(decision: Decision | undefined): string {
  return decision === undefined ? 'nothing' : `${decision.action} ("${decision.reason}")`;
}

function showValidation(record: PolicyRecord): string {
  const validation = record.validation as Partial<PolicyRecord['validation']> | undefined;
  // Full precision: these are the values that decided the outcome.
  const show = (value: number | undefined) => (value === undefined ? 'missing' : String(value));
  return `accuracy ${show(validation?.accuracy)}, loss ${show(validation?.loss)}`;
}

function ordinal(count: number): string {
  const suffix = count % 100 >= 11 && count % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][count % 10] ?? 'th');
  return `${count}${suffix}`;
}
