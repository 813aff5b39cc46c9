import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom, tap } from 'rxjs';
import type { ResumePoint } from '../engine/federation.js';
import type { RunConfig, TransferKind } from '../engine/run-config.js';
import { stagedRun, type RunEvent } from '../engine/staged-run.js';
import { readRun, type RecordedRun } from '../metrics/read-run.js';
import { LADDERS, type LadderName } from '../models/ladder.js';
import { toPolicyRecord } from '../metrics/round-record.js';
import { isIncompleteRecord } from '../policy/incomplete-record.js';
import { loadPolicy } from '../policy/load-policy.js';
import { BUNDLE_FORMAT, BUNDLE_VERSION, MANIFEST_FILE, type BundleManifest } from './bundle.js';
import { readCheckpoint, writeCheckpoint } from './checkpoint.js';
import { checkRecordedSettings } from './recorded-settings.js';

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
  /** Called with each job's events, for progress display. */
  readonly onEvent?: (job: string, event: RunEvent) => void;
  /**
   * Delete what `directory` holds of an earlier sweep (runs, checkpoints, manifest) and record it
   * again. Without it, a directory recorded with settings that change results is refused.
   */
  readonly forceRestart?: boolean;
  /** Called when a job is skipped or resumed, with a sentence saying so. */
  readonly onNote?: (note: string) => void;
}

/** Rounds between checkpoints of the two long trajectories, so a killed sweep loses little. */
const CHECKPOINT_EVERY = 5;

/**
 * Records a bundle (see `readBundle`): the small trajectory once, with its weights saved at every
 * switch point; the 12-12 baseline; then one branch per switch point, each resumed from the saved
 * small state and grown there. Every job is independent and resumable: a finished job is skipped,
 * an interrupted trajectory continues from its latest checkpoint, an interrupted branch restarts
 * from its switch point. Because every seed depends only on the round, a branch equals the run
 * `fedgear run --policy fixed --at k` would record. `alternatives` adds, at one switch point, a
 * branch per other transfer (`branch-k-kd.jsonl`), so transfers differ in nothing else.
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
  const jobs = [
    { file: 'small.jsonl', transfer: config.transfer },
    { file: 'large.jsonl', transfer: config.transfer },
    ...points.map((point) => ({ file: `branch-${point}.jsonl`, transfer: config.transfer })),
    ...(alternatives?.transfers ?? []).map((transfer) => ({ file: `branch-${alternatives!.at}-${transfer}.jsonl`, transfer })),
  ];
  if (options.forceRestart === true) {
    clearBundle(directory);
  } else {
    // Before any training: skipping or resuming a run recorded otherwise would mislabel it.
    for (const job of jobs) checkRecordedSettings(join(directory, job.file), { ...config, transfer: job.transfer });
  }
  mkdirSync(join(directory, 'state'), { recursive: true });
  const never = await loadPolicy('never');
  const fixed = await loadPolicy('fixed');
  const checkpointAfter = (round: number) => points.includes(round) || round % CHECKPOINT_EVERY === 0;

  const small = await trajectory(options, 'small', { ...config, start: 'small', policy: { name: 'never', options: {} } }, never, checkpointAfter);
  await trajectory(options, 'large', { ...config, start: 'large', policy: { name: 'never', options: {} } }, never, checkpointAfter);

  /** Records one branch; false when it cannot exist because the small run diverged by then. */
  const branch = async (point: number, transfer: TransferKind, file: string): Promise<boolean> => {
    const path = join(directory, file);
    if (isIncompleteRecord(toPolicyRecord(small.rounds[point - 1]!))) {
      // Every policy holds on a broken measurement, so no run switches there: there is no branch to record.
      options.onNote?.(`${file} left out: round ${point} of small.jsonl has incomplete validation metrics (diverged), so no policy switches there`);
      return false;
    }
    if (completed(path)) {
      options.onNote?.(`${file} is complete: skipped`);
      return true;
    }
    const resume: ResumePoint = {
      rounds: small.rounds.slice(0, point),
      switches: [],
      weights: await smallStateAfter(options, small, point, never),
    };
    await run(options, file.replace('.jsonl', ''), {
      config: { ...config, transfer, start: 'small', policy: { name: 'fixed', options: { at: point } } },
      plugin: fixed,
      outFile: path,
      resume,
    });
    return true;
  };
  const branches: BundleManifest['branches'] = [];
  for (const point of points) {
    const file = `branch-${point}.jsonl`;
    if (await branch(point, config.transfer, file)) branches.push({ switchAfter: point, file });
  }
  const alternativeBranches: NonNullable<BundleManifest['alternatives']> = [];
  for (const transfer of alternatives?.transfers ?? []) {
    const file = `branch-${alternatives!.at}-${transfer}.jsonl`;
    if (await branch(alternatives!.at, transfer, file)) alternativeBranches.push({ switchAfter: alternatives!.at, transfer, file });
  }

  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    name: options.name,
    command: options.command,
    rounds: config.rounds,
    small: 'small.jsonl',
    large: 'large.jsonl',
    branches,
    ...(alternativeBranches.length === 0 ? {} : { alternatives: alternativeBranches }),
  };
  writeFileSync(join(directory, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/**
 * The small model's weights after `round`: its checkpoint, or, for a switch point added to an
 * existing bundle, retrained from the latest earlier checkpoint and checked against the recorded
 * small trajectory round by round (training depends only on the seed and the round, so the
 * retrained rounds must match exactly).
 */
async function smallStateAfter(options: SweepOptions, small: RecordedRun, round: number, never: Awaited<ReturnType<typeof loadPolicy>>): Promise<Float32Array> {
  const { directory } = options;
  const parameters = small.header.ladder[0]!.parameters;
  const saved = goodCheckpoint(options, 'small', round, parameters);
  if (saved !== undefined) return saved;
  let from = round - 1;
  let weights: Float32Array | undefined;
  while (from > 0 && (weights = goodCheckpoint(options, 'small', from, parameters)) === undefined) from -= 1;
  options.onNote?.(`small-after-${round} is not saved: retraining the small model from round ${from} to ${round}`);
  const outFile = join(directory, 'state', `small-to-${round}.jsonl`);
  rmSync(outFile, { force: true });
  const resume: ResumePoint | undefined = weights === undefined ? undefined : { rounds: small.rounds.slice(0, from), switches: [], weights };
  await run(options, 'small', {
    // Training depends on the round, not on the planned rounds: stopping at `round` changes nothing before it.
    config: { ...options.config, rounds: round, start: 'small', policy: { name: 'never', options: {} } },
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
  const retrainedWeights = goodCheckpoint(options, 'small', round, parameters);
  if (retrainedWeights === undefined) throw new Error(`${stateFile(directory, 'small', round)} must hold the weights just retrained, but it does not.`);
  return retrainedWeights;
}

/** Runs (or finishes) a whole-length trajectory that saves its weights at checkpoints. */
async function trajectory(
  options: SweepOptions,
  name: 'small' | 'large',
  config: RunConfig,
  plugin: Awaited<ReturnType<typeof loadPolicy>>,
  checkpointAfter: (round: number) => boolean,
): Promise<RecordedRun> {
  const path = join(options.directory, `${name}.jsonl`);
  if (completed(path)) {
    options.onNote?.(`${name}.jsonl is complete: skipped`);
    return readRun(path);
  }
  const resume = resumePoint(options, name, path);
  if (resume !== undefined) options.onNote?.(`${name}.jsonl resumes after round ${resume.rounds.at(-1)!.round}`);
  await run(options, name, { config, plugin, outFile: path, checkpointAfter, ...(resume === undefined ? {} : { resume }) });
  return readRun(path);
}

async function run(
  options: SweepOptions,
  job: string,
  runOptions: Omit<Parameters<typeof stagedRun>[0], 'dataDir'>,
): Promise<void> {
  await lastValueFrom(
    stagedRun({ ...runOptions, ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }) }).pipe(
      tap((event) => {
        if (event.kind === 'checkpoint') writeCheckpoint(stateFile(options.directory, job, event.round), event.weights);
        options.onEvent?.(job, event);
      }),
    ),
    { defaultValue: undefined },
  );
}

/** The latest good checkpoint of an interrupted trajectory that its file still covers. */
function resumePoint(options: SweepOptions, name: string, path: string): ResumePoint | undefined {
  if (!existsSync(path)) return undefined;
  const recorded = readRun(path);
  for (let index = recorded.rounds.length - 1; index >= 0; index--) {
    const { round, gear } = recorded.rounds[index]!;
    const weights = goodCheckpoint(options, name, round, recorded.header.ladder[gear]!.parameters);
    if (weights !== undefined) {
      return {
        rounds: recorded.rounds.slice(0, index + 1),
        switches: recorded.switches.filter((s) => s.afterRound < round),
        weights,
      };
    }
  }
  return undefined;
}

/** A job's checkpoint after `round` if it is there and sound; a damaged one is named and ignored. */
function goodCheckpoint(options: SweepOptions, job: string, round: number, parameters: number): Float32Array | undefined {
  const path = stateFile(options.directory, job, round);
  if (!existsSync(path)) return undefined;
  const read = readCheckpoint(path, { parameters, what: `${job} after round ${round}` });
  if ('weights' in read) return read.weights;
  options.onNote?.(`${path} is damaged (${read.damaged}): ignored`);
  return undefined;
}

/** Removes what a sweep writes (manifest, runs, checkpoints), and nothing else the directory holds. */
function clearBundle(directory: string): void {
  if (!existsSync(directory)) return;
  for (const name of readdirSync(directory)) {
    if (name === MANIFEST_FILE || name === 'small.jsonl' || name === 'large.jsonl' || /^branch-.*\.jsonl$/.test(name)) rmSync(join(directory, name));
  }
  rmSync(join(directory, 'state'), { recursive: true, force: true });
}

function completed(path: string): boolean {
  if (!existsSync(path)) return false;
  try {
    return readRun(path).end?.status === 'completed';
  } catch {
    return false;
  }
}

function stateFile(directory: string, name: string, round: number): string {
  return join(directory, 'state', `${name}-after-${round}.f32`);
}
