import fc from 'fast-check';
import type { PolicyPlugin } from '../policy/plugin.js';
import { formatRounds } from './format-rounds.js';
import { LawViolation, policySubject, type Law, type LawSettings, type PolicyFactory, type PolicySubject } from './law.js';
import { universalLaws } from './laws.js';

/** What `checkLaws` runs and how hard it looks. */
export interface CheckLawsSettings extends LawSettings {
  /** The laws to check (default `universalLaws`). */
  readonly laws?: readonly Law[];
  /** Generated runs per law (default 50). */
  readonly numRuns?: number;
  /** fast-check seed, to reproduce a failure. */
  readonly seed?: number;
  /** fast-check path of a counterexample, with its seed, to replay just that run. */
  readonly path?: string;
}

/** One law a policy broke, with the shrunk counterexample fast-check found. */
export interface LawFailure {
  readonly law: Law;
  /** What the policy did on the counterexample (absent when the check itself threw). */
  readonly violation: LawViolation['violation'] | undefined;
  /** The failure as it is printed. */
  readonly message: string;
  readonly seed: number;
  readonly path: string | null;
}

/**
 * A policy broke one or more laws; `message` explains each, with the rounds around the failure.
 *
 * @example
 * const error = await checkLaws(plugin, options).catch((caught) => caught);
 * if (error instanceof LawError) console.log(error.failures.map((failure) => failure.law.name));
 */
export class LawError extends Error {
  constructor(readonly failures: readonly LawFailure[]) {
    super(failures.length === 1 ? failures[0]!.message : `${failures.length} laws are broken.\n\n${failures.map((failure) => failure.message).join('\n\n')}`);
    this.name = 'LawError';
  }
}

/**
 * Runs per law unless told otherwise: enough to find the usual mistakes, quick enough for every test run.
 *
 * @example
 * await checkLaws(plugin, options, { numRuns: 10 * defaultNumRuns }); // a longer search, e.g. nightly
 */
export const defaultNumRuns = 50;

/**
 * Checks a policy plugin (or factory) with the given options against laws, each on `numRuns`
 * generated runs, and throws a `LawError` naming every broken law, the decisions that broke it
 * and the rounds around them. Resolves when every law holds.
 *
 * @example
 * it('satisfies the laws of a policy', async () => {
 *   await checkLaws(plugin, { target: 0.6 }, { laws: [...universalLaws, noShiftBeforeWarmup({ option: 'warmup' })] });
 * });
 */
export async function checkLaws(
  source: PolicyPlugin | PolicyFactory,
  options: Readonly<Record<string, unknown>> = {},
  settings: CheckLawsSettings = {},
): Promise<void> {
  const { laws = universalLaws, numRuns = defaultNumRuns, seed, path, ...lawSettings } = settings;
  if (!Number.isInteger(numRuns) || numRuns < 1) throw new Error(`numRuns must be an integer >= 1, but got ${numRuns}.`);
  if (laws.length === 0) throw new Error('laws must be at least one law, but got none.');
  const subject = policySubject(source, options);
  const failures: LawFailure[] = [];
  for (const [index, law] of laws.entries()) {
    const details = await fc.check(law.property(subject, lawSettings), { numRuns, ...(seed === undefined ? {} : { seed }), ...(path === undefined ? {} : { path }) });
    if (!details.failed) continue;
    const found = failure(subject, law, details);
    // A broken contract (a throw, no decision) would stop every law the same way: report it once.
    if (found.violation?.contract === true) {
      const rest = laws.slice(index + 1).map((other) => other.name);
      const note = rest.length === 0 ? '' : `\nThe other laws (${rest.join(', ')}) were not checked: a policy that breaks the contract cannot be judged by them.`;
      failures.push({ ...found, message: `${found.message}${note}` });
      break;
    }
    failures.push(found);
  }
  if (failures.length > 0) throw new LawError(failures);
}

function failure(subject: PolicySubject, law: Law, details: fc.RunDetails<[unknown]>): LawFailure {
  const error = details.errorInstance;
  const violation = error instanceof LawViolation ? error.violation : undefined;
  const what = `${subject.label} must satisfy the law "${law.name}" (${law.statement})`;
  const found =
    `Found by fast-check after ${details.numRuns} run${details.numRuns === 1 ? '' : 's'}, shrunk ${details.numShrinks} time${details.numShrinks === 1 ? '' : 's'}; ` +
    `replay it with { laws: [${law.declaration ?? law.name}], seed: ${details.seed}, path: ${JSON.stringify(details.counterexamplePath)} }.`;
  const body =
    violation === undefined
      ? [`${what}, but checking it threw ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`]
      : [`${what}, but ${violation.message}`, ...violation.runs.map((run) => formatRounds(run, violation.round))];
  return { law, violation, message: [...body, found].join('\n'), seed: details.seed, path: details.counterexamplePath };
}
