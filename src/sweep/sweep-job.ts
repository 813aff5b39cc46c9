import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tap } from '../vendor/rxjs.js';
import type { ResumePoint } from '../engine/federation.js';
import type { RecordedData } from '../engine/recorded-data.js';
import type { RunConfig, TransferKind } from '../engine/run-config.js';
import { stagedRun, type RunEvent } from '../engine/staged-run.js';
import { readRun, type RecordedRun } from '../metrics/read-run.js';
import { loadPolicy } from '../policy/load-policy.js';
import type { PolicyPlugin } from '../policy/plugin.js';
import { readCheckpoint, writeCheckpoint } from '../replay/checkpoint.js';
import { recordedDataOf } from '../replay/recorded-settings.js';

/**
 * One independent piece of a bundle's recording, named by the run file it writes: a whole-length
 * trajectory (`small.jsonl`, `large.jsonl`), or the branch that grows the model after round
 * `switchAfter` (`branch-<k>.jsonl`, or `branch-<k>-<transfer>.jsonl` for an alternative transfer).
 * A branch needs the small trajectory's file and its weights after `switchAfter`.
 *
 * @example
 * const job: SweepJob = { kind: 'branch', file: 'branch-5.jsonl', switchAfter: 5, transfer: 'stack' };
 */
export type SweepJob =
  | { readonly kind: 'trajectory'; readonly file: 'small.jsonl' | 'large.jsonl'; readonly start: 'small' | 'large' }
  | BranchJob;

/** A {@link SweepJob} that grows the model after round `switchAfter`. */
export interface BranchJob {
  readonly kind: 'branch';
  readonly file: string;
  readonly switchAfter: number;
  readonly transfer: TransferKind;
}

/** What every job of one sweep shares. */
export interface SweepJobContext {
  /** The scenario; each job sets its own `start`, `policy` and (for alternatives) `transfer`. */
  readonly config: RunConfig;
  /** Where the job reads what it needs and writes its run file and checkpoints (`state/`). */
  readonly directory: string;
  /** Every switch point of the sweep: trajectories save their weights after each. */
  readonly switchPoints: readonly number[];
  readonly dataDir?: string | undefined;
  /** Called with each of the job's events, for progress display. */
  readonly onEvent?: ((job: string, event: RunEvent) => void) | undefined;
  /** Called when the job resumes or retrains, with a sentence saying so. */
  readonly onNote?: ((note: string) => void) | undefined;
  /** Once aborted, the job finishes its round in progress (a trajectory saves its weights after it), writes `end: stopped` and returns. */
  readonly stop?: AbortSignal | undefined;
  /** Once aborted, the job stops at once, writing `end: stopped` (after a graceful `stop`, for a second Ctrl-C). */
  readonly stopNow?: AbortSignal | undefined;
}

/** A job under way: its sweep's context and the data the bundle's runs were recorded with, if they say. */
type JobContext = SweepJobContext & { readonly recordedData?: RecordedData };

const OTHER_DATA_REMEDY =
  'Rerun it with the data it was recorded with (--data-dir or FEDGEAR_DATA_DIR), or add --force-restart to record the bundle again from scratch.';

/** Rounds between checkpoints of the two long trajectories, so a killed sweep loses little. */
const CHECKPOINT_EVERY = 5;

/**
 * Runs one job of a sweep in `context.directory`, the same way wherever it runs (`fedgear sweep`
 * in its own process, `fedgear worker` for a sweep over NATS): a trajectory continues from its
 * latest checkpoint when its file is there unfinished, saving its weights at every switch point
 * and every 5 rounds (`state/<name>-after-<round>.f32`); a branch resumes from the small
 * trajectory's weights after its switch point and grows the model there. Because every seed
 * depends only on the round, a branch equals the run `fedgear run --policy fixed --at k` records.
 *
 * @example
 * await runSweepJob({ kind: 'trajectory', file: 'small.jsonl', start: 'small' }, { config, directory: 'bundles/a', switchPoints: [5, 10] });
 */
export async function runSweepJob(job: SweepJob, sweepContext: SweepJobContext): Promise<void> {
  mkdirSync(join(sweepContext.directory, 'state'), { recursive: true });
  // The job reads the data itself: it refuses other data than the bundle's before its first round.
  const recordedData = recordedDataOf(['small.jsonl', 'large.jsonl', job.file].map((file) => join(sweepContext.directory, file)), OTHER_DATA_REMEDY);
  const context: JobContext = recordedData === undefined ? sweepContext : { ...sweepContext, recordedData };
  const never = await loadPolicy('never');
  if (job.kind === 'trajectory') {
    await trajectory(context, job.start, never);
    return;
  }
  const small = readRun(join(context.directory, 'small.jsonl'));
  const resume: ResumePoint = {
    rounds: small.rounds.slice(0, job.switchAfter),
    switches: [],
    weights: await smallStateAfter(context, small, job.switchAfter, never),
  };
  await run(context, jobName(job), {
    config: { ...context.config, transfer: job.transfer, start: 'small', policy: { name: 'fixed', options: { at: job.switchAfter } } },
    plugin: await loadPolicy('fixed'),
    outFile: join(context.directory, job.file),
    resume,
  });
}

/**
 * The files of `directory` (relative paths) that `job` reads when it runs there: for a
 * trajectory, its unfinished run file and the checkpoint it would resume from; for a branch,
 * `small.jsonl` and the small weights after its switch point (or the latest earlier ones, which
 * it retrains from). What a sweep over NATS sends a worker with the job.
 *
 * @example
 * jobInputs({ kind: 'branch', file: 'branch-5.jsonl', switchAfter: 5, transfer: 'stack' }, 'bundles/a', notes);
 * // ['small.jsonl', 'state/small-after-5.f32', 'state/small-after-5.f32.sha256']
 */
export function jobInputs(job: SweepJob, directory: string, onNote?: (note: string) => void): string[] {
  const withSums = (round: number, name: string) => {
    const file = `state/${name}-after-${round}.f32`;
    return existsSync(join(directory, `${file}.sha256`)) ? [file, `${file}.sha256`] : [file];
  };
  if (job.kind === 'trajectory') {
    const path = join(directory, job.file);
    if (!existsSync(path)) return [];
    const resume = latestCheckpoint(directory, job.start, readRun(path), onNote);
    return [job.file, ...(resume === undefined ? [] : withSums(resume.round, job.start))];
  }
  const small = readRun(join(directory, 'small.jsonl'));
  const parameters = small.header.ladder[0]!.parameters;
  for (let round = job.switchAfter; round > 0; round--) {
    if (goodCheckpoint(directory, 'small', round, parameters, onNote) !== undefined) return ['small.jsonl', ...withSums(round, 'small')];
  }
  return ['small.jsonl'];
}

/**
 * Whether `path` (relative to the bundle directory) is a file `job` may write: its run file, or
 * a checkpoint of its own (for a branch, also the small weights it retrains when they were not
 * saved). A sweep over NATS accepts nothing else from a worker.
 *
 * @example
 * isJobOutput({ kind: 'trajectory', file: 'large.jsonl', start: 'large' }, 'state/large-after-5.f32'); // true
 */
export function isJobOutput(job: SweepJob, path: string): boolean {
  if (path === job.file) return true;
  const name = job.kind === 'trajectory' ? job.start : 'small';
  return new RegExp(`^state/${name}-after-[1-9][0-9]*\\.f32(\\.sha256)?$`).test(path);
}

/**
 * The files `job` has written in `directory` (relative paths, see {@link isJobOutput}).
 *
 * @example
 * jobOutputs(job, scratch); // ['small.jsonl', 'state/small-after-2.f32', 'state/small-after-2.f32.sha256']
 */
export function jobOutputs(job: SweepJob, directory: string): string[] {
  const state = existsSync(join(directory, 'state')) ? readdirSync(join(directory, 'state')).map((name) => `state/${name}`) : [];
  return [job.file, ...state].filter((path) => isJobOutput(job, path) && existsSync(join(directory, path)));
}

/** A job's name in progress lines and checkpoint files: its file without `.jsonl`. */
export function jobName(job: SweepJob): string {
  return job.file.replace(/\.jsonl$/, '');
}

/**
 * Whether the run file at `path` is there and finished.
 *
 * @example
 * if (completedRun('bundles/a/small.jsonl')) console.log('skipped');
 */
export function completedRun(path: string): boolean {
  if (!existsSync(path)) return false;
  try {
    return readRun(path).end?.status === 'completed';
  } catch {
    return false;
  }
}

/**
 * The small model's weights after `round`: its checkpoint, or, for a switch point added to an
 * existing bundle, retrained from the latest earlier checkpoint and checked against the recorded
 * small trajectory round by round (training depends only on the seed and the round, so the
 * retrained rounds must match exactly).
 */
async function smallStateAfter(context: JobContext, small: RecordedRun, round: number, never: PolicyPlugin): Promise<Float32Array> {
  const { directory } = context;
  const parameters = small.header.ladder[0]!.parameters;
  const saved = goodCheckpoint(directory, 'small', round, parameters, context.onNote);
  if (saved !== undefined) return saved;
  let from = round - 1;
  let weights: Float32Array | undefined;
  while (from > 0 && (weights = goodCheckpoint(directory, 'small', from, parameters, context.onNote)) === undefined) from -= 1;
  context.onNote?.(`small-after-${round} is not saved: retraining the small model from round ${from} to ${round}`);
  const outFile = join(directory, 'state', `small-to-${round}.jsonl`);
  rmSync(outFile, { force: true });
  const resume: ResumePoint | undefined = weights === undefined ? undefined : { rounds: small.rounds.slice(0, from), switches: [], weights };
  await run(context, 'small', {
    // Training depends on the round, not on the planned rounds: stopping at `round` changes nothing before it.
    config: { ...context.config, rounds: round, start: 'small', policy: { name: 'never', options: {} } },
    plugin: never,
    outFile,
    checkpointAfter: (r) => r === round,
    ...(resume === undefined ? {} : { resume }),
  });
  const retrained = readRun(outFile).rounds.slice(from, round);
  for (const record of retrained) {
    const recorded = small.rounds[record.round - 1]!;
    // Object.is: a diverged round's NaN loss repeats as NaN.
    if (!Object.is(record.validation.loss, recorded.validation.loss) || !Object.is(record.test.accuracy, recorded.test.accuracy)) {
      throw new Error(`${outFile}: round ${record.round} must repeat small.jsonl exactly (validation loss ${recorded.validation.loss}), but got ${record.validation.loss}: was the bundle recorded with other flags or code?`);
    }
  }
  rmSync(outFile);
  const retrainedWeights = goodCheckpoint(directory, 'small', round, parameters, context.onNote);
  if (retrainedWeights === undefined) throw new Error(`${stateFile(directory, 'small', round)} must hold the weights just retrained, but it does not.`);
  return retrainedWeights;
}

/** Runs (or finishes) a whole-length trajectory that saves its weights at checkpoints. */
async function trajectory(context: JobContext, name: 'small' | 'large', never: PolicyPlugin): Promise<void> {
  const path = join(context.directory, `${name}.jsonl`);
  const recorded = existsSync(path) ? readRun(path) : undefined;
  const latest = recorded === undefined ? undefined : latestCheckpoint(context.directory, name, recorded, context.onNote);
  let resume: ResumePoint | undefined;
  if (recorded !== undefined && latest !== undefined) {
    resume = {
      rounds: recorded.rounds.slice(0, latest.index + 1),
      switches: recorded.switches.filter((s) => s.afterRound < latest.round),
      weights: latest.weights,
    };
    context.onNote?.(`${name}.jsonl resumes after round ${latest.round}`);
  }
  const points = context.switchPoints;
  await run(context, name, {
    config: { ...context.config, start: name, policy: { name: 'never', options: {} } },
    plugin: never,
    outFile: path,
    // Also after the round a stop lets finish, so the sweep continues from there when run again.
    checkpointAfter: (round) => points.includes(round) || round % CHECKPOINT_EVERY === 0 || context.stop?.aborted === true,
    ...(resume === undefined ? {} : { resume }),
  });
}

async function run(context: JobContext, job: string, runOptions: Omit<Parameters<typeof stagedRun>[0], 'dataDir' | 'recordedData' | 'stop'>): Promise<void> {
  const { dataDir, recordedData, stop, stopNow } = context;
  const options = { ...runOptions, ...(dataDir === undefined ? {} : { dataDir }), ...(recordedData === undefined ? {} : { recordedData }), ...(stop === undefined ? {} : { stop }) };
  await new Promise<void>((resolve, reject) => {
    const subscription = stagedRun(options)
      .pipe(
        tap((event) => {
          if (event.kind === 'checkpoint') writeCheckpoint(stateFile(context.directory, job, event.round), event.weights);
          context.onEvent?.(job, event);
        }),
      )
      .subscribe({ error: reject, complete: resolve });
    // Unsubscribing writes end: stopped at once (see stagedRun).
    const now = () => {
      subscription.unsubscribe();
      resolve();
    };
    if (stopNow?.aborted === true) now();
    else stopNow?.addEventListener('abort', now, { once: true });
  });
}

/** The latest good checkpoint of an interrupted trajectory that its file still covers. */
function latestCheckpoint(directory: string, name: string, recorded: RecordedRun, onNote?: (note: string) => void) {
  for (let index = recorded.rounds.length - 1; index >= 0; index--) {
    const { round, gear } = recorded.rounds[index]!;
    const weights = goodCheckpoint(directory, name, round, recorded.header.ladder[gear]!.parameters, onNote);
    if (weights !== undefined) return { index, round, weights };
  }
  return undefined;
}

/** A job's checkpoint after `round` if it is there and sound; a damaged one is named and ignored. */
function goodCheckpoint(directory: string, job: string, round: number, parameters: number, onNote?: (note: string) => void): Float32Array | undefined {
  const path = stateFile(directory, job, round);
  if (!existsSync(path)) return undefined;
  const read = readCheckpoint(path, { parameters, what: `${job} after round ${round}` });
  if ('weights' in read) return read.weights;
  onNote?.(`${path} is damaged (${read.damaged}): ignored`);
  return undefined;
}

function stateFile(directory: string, name: string, round: number): string {
  return join(directory, 'state', `${name}-after-${round}.f32`);
}
