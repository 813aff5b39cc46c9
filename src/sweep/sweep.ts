import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunConfig, TransferKind } from '../engine/run-config.js';
import type { RunEvent } from '../engine/staged-run.js';
import { readRun } from '../metrics/read-run.js';
import { toPolicyRecord } from '../metrics/round-record.js';
import { LADDERS, type LadderName } from '../models/ladder.js';
import { isIncompleteRecord } from '../policy/incomplete-record.js';
import { BUNDLE_FORMAT, BUNDLE_VERSION, MANIFEST_FILE, type BundleManifest } from '../replay/bundle.js';
import { checkRecordedSettings } from '../replay/recorded-settings.js';
import { completedRun, runSweepJob, type BranchJob, type SweepJob } from './sweep-job.js';
import { SweepStopped } from './sweep-stopped.js';

/** Where a job ran, once it is done: for progress lines. */
export interface JobDone {
  /** Who ran it: "this process", or a worker's name. */
  readonly by: string;
}

/**
 * Runs one job and resolves once its files are in the bundle directory. The default runs jobs
 * one at a time in this process; a sweep over NATS hands them to workers.
 */
export type JobRunner = (job: SweepJob) => Promise<JobDone>;

/** A sweep's progress after each job. */
export interface SweepProgress {
  /** The run file of the job just done. */
  readonly file: string;
  readonly by: string;
  /** Jobs done so far and jobs to do in all (finished runs found on disk are not counted). */
  readonly done: number;
  readonly total: number;
}

/** What to record: one scenario, its switch points, and where. */
export interface SweepOptions {
  /** The scenario; its `start` and `policy` are set per job. */
  readonly config: RunConfig;
  readonly directory: string;
  /** Rounds after which a branch switches to the large model. */
  readonly switchPoints: readonly number[];
  /** Extra branches at one switch point, grown with other transfers than `config.transfer`. */
  readonly alternatives?: { readonly at: number; readonly transfers: readonly TransferKind[] };
  readonly name: string;
  /** The command line to write into the manifest. */
  readonly command: string;
  readonly dataDir?: string;
  /** Called with each job's events, for progress display (jobs run here only). */
  readonly onEvent?: (job: string, event: RunEvent) => void;
  /**
   * Delete what `directory` holds of an earlier sweep (runs, checkpoints, manifest) and record it
   * again. Without it, a directory recorded with settings that change results is refused.
   */
  readonly forceRestart?: boolean;
  /** Called when a job is skipped or resumed, with a sentence saying so. */
  readonly onNote?: (note: string) => void;
  /** Called after each job. */
  readonly onProgress?: (progress: SweepProgress) => void;
  /** Where jobs run (default: one at a time, in this process). */
  readonly runJob?: JobRunner;
  /**
   * Once aborted (Ctrl-C), the job in progress finishes its round, writes `end: stopped` and the
   * sweep starts no other job: it rejects with `SweepStopped`, and running it again continues it.
   */
  readonly stop?: AbortSignal;
  /** Once aborted (a second Ctrl-C), the job in progress stops at once, still writing `end: stopped`. */
  readonly stopNow?: AbortSignal;
}

/**
 * Records a bundle (see `readBundle`): the small trajectory once, with its weights saved at every
 * switch point; the 12-12 baseline; then one branch per switch point, each resumed from the saved
 * small state and grown there. Each job runs through `runSweepJob`; the two trajectories are
 * independent, and the branches only need the small one, so `runJob` may run them anywhere and
 * at once (`fedgear sweep --nats` hands them to `fedgear worker`s). Every job is resumable: a
 * finished job is skipped, an interrupted trajectory continues from its latest checkpoint, an
 * interrupted branch restarts from its switch point. `alternatives` adds, at one switch point,
 * a branch per other transfer (`branch-k-kd.jsonl`), so transfers differ in nothing else.
 *
 * @example
 * await sweep({ config, directory: 'bundles/cifar10-iid', switchPoints: [5, 10, 15], name: 'cifar10-iid', command });
 */
export async function sweep(options: SweepOptions): Promise<BundleManifest> {
  const { config, directory } = options;
  const points = [...new Set(options.switchPoints)].sort((a, b) => a - b);
  for (const point of points) {
    if (!Number.isInteger(point) || point < 1 || point >= config.rounds) {
      throw new Error(`every switch point must be an integer in [1, ${config.rounds - 1}], but got ${point}.`);
    }
  }
  const gears = LADDERS[config.ladder as LadderName]?.({ width: 1, inputShape: [32, 32, 3], classes: 10 }).length;
  if (gears !== 2) {
    throw new Error(`the ladder must have 2 gears for a bundle (replay splices a single switch), but got ${config.ladder} with ${gears ?? 'unknown'} gears; record three-gear ladders with fedgear run.`);
  }
  const alternatives = options.alternatives;
  if (alternatives !== undefined) {
    if (!points.includes(alternatives.at)) throw new Error(`the alternatives' switch point must be one of the switch points (${points.join(', ')}), but got ${alternatives.at}.`);
    const same = alternatives.transfers.find((transfer) => transfer === config.transfer);
    if (same !== undefined) throw new Error(`each alternative transfer must differ from the scenario's transfer '${config.transfer}', but got '${same}'.`);
  }
  const small: SweepJob = { kind: 'trajectory', file: 'small.jsonl', start: 'small' };
  const large: SweepJob = { kind: 'trajectory', file: 'large.jsonl', start: 'large' };
  const mainBranches: BranchJob[] = points.map((point) => ({ kind: 'branch', file: `branch-${point}.jsonl`, switchAfter: point, transfer: config.transfer }));
  const alternativeBranches: BranchJob[] = (alternatives?.transfers ?? []).map((transfer) => ({ kind: 'branch', file: `branch-${alternatives!.at}-${transfer}.jsonl`, switchAfter: alternatives!.at, transfer }));
  const branchJobs = [...mainBranches, ...alternativeBranches];
  const jobs = [small, large, ...branchJobs];
  if (options.forceRestart === true) {
    clearBundle(directory);
  } else {
    // Before any training: skipping or resuming a run recorded otherwise would mislabel it.
    for (const job of jobs) checkRecordedSettings(join(directory, job.file), { ...config, transfer: job.kind === 'branch' ? job.transfer : config.transfer });
  }
  mkdirSync(join(directory, 'state'), { recursive: true });

  const runJob = options.runJob ?? inThisProcess(options, points);
  const toDo = jobs.filter((job) => {
    if (!completedRun(join(directory, job.file))) return true;
    options.onNote?.(`${job.file} is complete: skipped`);
    return false;
  });
  let total = toDo.length;
  let done = 0;
  const started: Promise<unknown>[] = [];
  const start = (job: SweepJob): Promise<unknown> => {
    const running = runJob(job).then(({ by }) => options.onProgress?.({ file: job.file, by, done: ++done, total }));
    // Awaited at the end: a failure must not go unhandled while another job is awaited.
    running.catch(() => {});
    started.push(running);
    return running;
  };
  const smallDone = toDo.includes(small) ? start(small) : Promise.resolve();
  if (toDo.includes(large)) start(large);
  await smallDone;
  // A stopped small trajectory has not the rounds its branches start from.
  if (options.stop?.aborted === true) await stopped(options.stop, started);

  const smallRun = readRun(join(directory, small.file));
  const recorded = new Set<SweepJob>();
  for (const job of branchJobs) {
    if (isIncompleteRecord(toPolicyRecord(smallRun.rounds[job.switchAfter - 1]!))) {
      // Every policy holds on a broken measurement, so no run switches there: there is no branch to record.
      options.onNote?.(`${job.file} left out: round ${job.switchAfter} of small.jsonl has incomplete validation metrics (diverged), so no policy switches there`);
      if (toDo.includes(job)) total -= 1;
      continue;
    }
    recorded.add(job);
    if (toDo.includes(job)) start(job);
  }
  await Promise.all(started).catch(async (error: unknown) => {
    if (options.stop?.aborted === true) await stopped(options.stop, started);
    throw error;
  });
  // Stopped after the last job's last round, the bundle is whole; otherwise a job is unfinished.
  if (options.stop?.aborted === true && [small, large, ...recorded].some((job) => !completedRun(join(directory, job.file)))) await stopped(options.stop, started);

  const alternativesRecorded = alternativeBranches.filter((job) => recorded.has(job));
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    name: options.name,
    command: options.command,
    rounds: config.rounds,
    small: small.file,
    large: large.file,
    branches: mainBranches.filter((job) => recorded.has(job)).map((job) => ({ switchAfter: job.switchAfter, file: job.file })),
    ...(alternativesRecorded.length === 0 ? {} : { alternatives: alternativesRecorded.map(({ switchAfter, transfer, file }) => ({ switchAfter, transfer, file })) }),
  };
  writeFileSync(join(directory, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** Waits for the jobs started to settle, then says the sweep stopped. */
async function stopped(stop: AbortSignal, started: readonly Promise<unknown>[]): Promise<never> {
  await Promise.allSettled(started);
  throw new SweepStopped(String(stop.reason));
}

/** The default runner: jobs one after another in this process, in the order they come. */
function inThisProcess(options: SweepOptions, switchPoints: readonly number[]): JobRunner {
  let queue: Promise<unknown> = Promise.resolve();
  const { stop, stopNow } = options;
  const context = { config: options.config, directory: options.directory, switchPoints, dataDir: options.dataDir, onEvent: options.onEvent, onNote: options.onNote, stop, stopNow };
  return (job) => {
    // A failed job stops the ones queued after it, as a sweep stops at its first failure; a stopped sweep starts none.
    const next = queue
      .then(() => {
        if (stop?.aborted === true) throw new SweepStopped(String(stop.reason));
        return runSweepJob(job, context);
      })
      .then(() => ({ by: 'this process' }));
    queue = next;
    return next;
  };
}

/** Removes what a sweep writes (manifest, runs, checkpoints), and nothing else the directory holds. */
function clearBundle(directory: string): void {
  if (!existsSync(directory)) return;
  for (const name of readdirSync(directory)) {
    if (name === MANIFEST_FILE || name === 'small.jsonl' || name === 'large.jsonl' || /^branch-.*\.jsonl$/.test(name)) rmSync(join(directory, name));
  }
  rmSync(join(directory, 'state'), { recursive: true, force: true });
}
