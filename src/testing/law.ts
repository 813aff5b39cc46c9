import fc from 'fast-check';
import type { PolicyRecord } from '../metrics/round-record.js';
import type { Decision } from '../policy/decision.js';
import { validateOptions } from '../policy/options-schema.js';
import type { PolicyPlugin } from '../policy/plugin.js';
import type { Policy, PolicyContext } from '../policy/policy.js';
import type { CountRange } from './arbitraries.js';

/**
 * A bare policy factory, for policies that are not (yet) plugins: options as given, no schema.
 *
 * @example
 * const factory: PolicyFactory = ({ at }) => ({ decide: (history) => (history.length >= Number(at) ? shift('late') : hold()) });
 */
export type PolicyFactory = (options: Readonly<Record<string, unknown>>, context: PolicyContext) => Policy;

/**
 * A policy under test: a plugin or factory with the options it is tested with.
 *
 * @example
 * const subject = policySubject(plateau, { patience: 3 });
 * subject.create(context, { warmup: 5 }); // a plateau policy with patience 3 and warm-up 5
 */
export interface PolicySubject {
  /** How failures name it, e.g. `plateau {"patience":3}`. */
  readonly label: string;
  /** The options it is tested with; for a plugin, validated, with every default filled in. */
  readonly options: Readonly<Record<string, unknown>>;
  /** A fresh policy for a run; `overrides` replace options (opt-in laws vary the option they are about). */
  create(context: PolicyContext, overrides?: Readonly<Record<string, unknown>>): Policy;
}

/**
 * Wraps a plugin (options validated as the CLI does) or a factory as a `PolicySubject`. Bad
 * options throw here, before any law runs.
 *
 * @example
 * policySubject(fixed, { at: 5 }).label; // 'fixed {"at":5}' (with every default filled in, for a plugin)
 */
export function policySubject(source: PolicyPlugin | PolicyFactory, options: Readonly<Record<string, unknown>> = {}): PolicySubject {
  if (typeof source === 'function') {
    return { label: `${source.name || 'policy'} ${JSON.stringify(options)}`, options, create: (context, overrides = {}) => source({ ...options, ...overrides }, context) };
  }
  const validated = validateOptions(source.name, source.options, options);
  return {
    // The options actually used, defaults included: a failure names the policy that failed.
    label: `${source.name} ${JSON.stringify(validated)}`,
    options: validated,
    create: (context, overrides = {}) => source.create(validateOptions(source.name, source.options, { ...options, ...overrides }), context),
  };
}

/** Rounds of a run to show in a failure, with the decision taken after each. */
export interface ShownRun {
  /** What this run is, e.g. "the run" or "the same run with another future". */
  readonly title: string;
  readonly records: readonly PolicyRecord[];
  readonly decisions: readonly Decision[];
}

/** How a policy broke a law on one generated run. */
export interface Violation {
  /** The round the broken statement is about. */
  readonly round: number;
  /** What happened, completing "..., but " in the failure message. */
  readonly message: string;
  /** The runs to show around `round`. */
  readonly runs: readonly ShownRun[];
  /** Set when the policy broke its contract (threw, answered no decision): no law can be judged then. */
  readonly contract?: true;
}

/**
 * Thrown inside a law's property when the policy breaks it; `checkLaws` formats it.
 *
 * @example
 * throw new LawViolation({ round: 7, message: 'after round 7 it decided shift ("...").', runs: [{ title: 'the run', records, decisions }] });
 */
export class LawViolation extends Error {
  constructor(readonly violation: Violation) {
    super(violation.message);
    this.name = 'LawViolation';
  }
}

/** Knobs every law takes. */
export interface LawSettings {
  /** Rounds of the generated runs (default 10 to 60; laws about a bound may use more). */
  readonly rounds?: CountRange;
  /**
   * How long fast-check may shrink a counterexample, from the first failure (default 1000 ms):
   * after that every further candidate passes unchecked, so shrinking stops at the smallest
   * failure found so far. Shrinking a whole run can otherwise take many seconds.
   */
  readonly shrinkTimeMs?: number;
}

/**
 * Shrinking time unless told otherwise.
 *
 * @example
 * await checkLaws(plugin, options, { shrinkTimeMs: 5 * defaultShrinkTimeMs }); // smaller counterexamples
 */
export const defaultShrinkTimeMs = 1_000;

/**
 * A statement every run of a policy must satisfy, checkable as a fast-check property.
 *
 * @example
 * await fc.assert(causal.property(policySubject(plateau, { patience: 3 })), { numRuns: 20 });
 */
export interface Law {
  /** Short name, e.g. "causal". */
  readonly name: string;
  /** How to write the law in `checkLaws`' `laws`, e.g. `noShiftBeforeWarmup({ option: 'warmup' })`; the name when absent. */
  readonly declaration?: string;
  /** The precise statement, as failures quote it. */
  readonly statement: string;
  /** Fails (throwing a `LawViolation`) on a generated run where the policy breaks the statement. */
  property(subject: PolicySubject, settings?: LawSettings): fc.IAsyncPropertyWithHooks<[unknown]>;
}

/** What a law is made of: the runs it generates and the check of one of them. */
export interface LawSpec<Input> {
  readonly name: string;
  /** How the law is declared, for the replay snippet of a failure (see `Law.declaration`). */
  readonly declaration?: string;
  readonly statement: string;
  arbitrary(subject: PolicySubject, settings: LawSettings): fc.Arbitrary<Input>;
  /** Resolves when the statement holds on `input`, throws a `LawViolation` when it does not. */
  check(subject: PolicySubject, input: Input): Promise<void>;
}

/**
 * Makes a law from the runs it generates and a check of one run, e.g. for a law of your own.
 *
 * @example
 * const neverShiftsInRoundOne = defineLaw({
 *   name: 'patient', statement: 'never shifts after round 1',
 *   arbitrary: () => recordedRunArb(),
 *   check: async (subject, run) => { ... throw new LawViolation({ round: 1, message: '...', runs: [] }) },
 * });
 */
export function defineLaw<Input>(spec: LawSpec<Input>): Law {
  return {
    name: spec.name,
    ...(spec.declaration === undefined ? {} : { declaration: spec.declaration }),
    statement: spec.statement,
    property(subject, settings = {}) {
      const shrinkTimeMs = settings.shrinkTimeMs ?? defaultShrinkTimeMs;
      let firstFailure: number | undefined;
      return fc.asyncProperty(spec.arbitrary(subject, settings) as fc.Arbitrary<unknown>, async (input) => {
        if (firstFailure !== undefined && performance.now() - firstFailure > shrinkTimeMs) return;
        try {
          await spec.check(subject, input as Input);
        } catch (error) {
          firstFailure ??= performance.now();
          throw error;
        }
      });
    },
  };
}

/**
 * The fast-check property of one law for a plugin (or factory) and options, for `fc.assert`.
 *
 * @example
 * await fc.assert(lawProperty(causal, plateau, { patience: 3 }), { numRuns: 30 });
 */
export function lawProperty(law: Law, source: PolicyPlugin | PolicyFactory, options: Readonly<Record<string, unknown>> = {}, settings?: LawSettings) {
  return law.property(policySubject(source, options), settings);
}
