/**
 * Training and evaluation speed (images/s) of fedgear's engine on the paper ladder's gears, at
 * the presets' widths, with PyTorch training the same architectures in the same run as the
 * yardstick. Rewrites the training section of docs/benchmarks.md and prints it.
 *
 * Training goes through the real client executor (worker threads, weights in and out per job),
 * evaluation through `evaluate` in the main thread. Pixels are random bytes: speed does not
 * depend on them.
 *
 * Flags: `--widths 16,8` (default: the medium and small presets' widths), `--images N` (images per training job,
 * default 320), `--quick` (64 images per job and 256 evaluated: a smoke test, not a measurement).
 *
 * @example
 * // npm run build && node dist/bench/training-speed.js --widths 16 --quick
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { BackendChoice } from '../src/backend/backend-choice.js';
import { selectBackend } from '../src/backend/select-backend.js';
import type { ImageSet } from '../src/data/image-set.js';
import { getPreset } from '../src/data/presets.js';
import { Random } from '../src/data/random.js';
import { createClientExecutor } from '../src/engine/client-executor.js';
import type { ClientJob, ClientSetup } from '../src/engine/client-trainer.js';
import { evaluate } from '../src/engine/evaluate.js';
import type { Architecture } from '../src/models/architecture.js';
import { buildModel } from '../src/models/build-model.js';
import { buildLadder } from '../src/models/ladder.js';
import { flattenWeights } from '../src/models/weights.js';
import { autogroupEnabled, writeSection } from './benchmarks-doc.js';
import { progress, timed } from './process-timing.js';
import { findTorch, torchSpeed } from './torch-yardstick.js';
import { report, type EvalRow, type Results, type Settings, type TrainRow, type WidthTorchRow } from './training-report.js';
import {
  BATCH,
  CLASSES,
  CPU_IMAGES,
  CPU_LIMIT_SECONDS,
  EVAL_BATCH,
  INPUT_SHAPE,
  JOBS_PER_WORKER,
  NORMALIZATION,
  randomShard,
  ROUND_CLIENTS,
  ROUND_WORKERS,
  SGD,
  WORKER_COUNTS,
} from './training-setup.js';

function parseSettings(): Settings {
  const { values } = parseArgs({
    options: { widths: { type: 'string' }, images: { type: 'string' }, quick: { type: 'boolean', default: false } },
  });
  const positive = (flag: string, text: string | undefined, fallback: number): number => {
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${flag} must be a positive integer, but got ${JSON.stringify(text)}.`);
    return value;
  };
  const quick = values.quick === true;
  const widths = values.widths?.split(',').map((text) => positive('widths', text, 0)) ?? [getPreset('medium').width, getPreset('small').width];
  return {
    widths,
    imagesPerJob: positive('images', values.images, quick ? 64 : 320),
    evalImages: quick ? 256 : 1000,
    quick,
  };
}

/**
 * Images/s of `workers` worker threads training `jobClients` (one job each) of gear `gear`.
 * Every worker first trains the warm-up shard untimed, so model building and first-call costs
 * stay out: the pool hands its first jobs out one per worker, so `workers` warm-up jobs reach
 * every worker once.
 */
async function trainSpeed(run: {
  readonly width: number;
  readonly setup: ClientSetup;
  readonly gear: number;
  readonly weights: Float32Array;
  readonly backend: BackendChoice;
  readonly workers: number;
  readonly jobClients: readonly number[];
  readonly warmClient: number;
  /** Stop the timed jobs after this long (closing the executor ends them). */
  readonly limitSeconds?: number;
}): Promise<TrainRow> {
  const { setup, gear, weights, backend, workers, jobClients, warmClient, limitSeconds } = run;
  const job = (client: number): ClientJob => ({ gear, client, weights, sgd: SGD });
  const executor = await createClientExecutor(setup, { workers, backend });
  let timer: NodeJS.Timeout | undefined;
  try {
    await executor.run(Array.from({ length: workers }, () => job(warmClient)), 0);
    let jobSeconds = Number.NaN;
    const images = jobClients.reduce((sum, client) => sum + setup.shards[client]!.count, 0);
    const limit = new Promise<undefined>((resolve) => {
      if (limitSeconds !== undefined) timer = setTimeout(resolve, limitSeconds * 1000, undefined);
    });
    const timing = await timed(images, async () => {
      const answers = await Promise.race([executor.run(jobClients.map(job), 1), limit]);
      const results = answers?.results;
      if (results !== undefined) jobSeconds = results.reduce((sum, result) => sum + result.seconds, 0) / results.length;
    });
    return { width: run.width, gear: setup.ladder[gear]!.name, backend, workers, jobs: jobClients.length, timing, jobSeconds, stopped: Number.isNaN(jobSeconds) };
  } finally {
    clearTimeout(timer);
    await executor.close();
  }
}

/** Images/s of `evaluate` in the main thread on the backend already selected, after a warm-up. */
async function evalSpeed(width: number, arch: Architecture, backend: string, data: ImageSet, warm: ImageSet): Promise<EvalRow> {
  const model = buildModel(arch, 0);
  try {
    evaluate(model, warm, NORMALIZATION);
    return { width, gear: arch.name, backend, timing: await timed(data.count, () => evaluate(model, data, NORMALIZATION)) };
  } finally {
    model.dispose();
  }
}

/** Trainable parameters of the tfjs model and its flat weights, built on the current backend. */
function initialWeights(arch: Architecture): Float32Array {
  const model = buildModel(arch, 0);
  try {
    return flattenWeights(model);
  } finally {
    model.dispose();
  }
}

/** Why tfjs-node is not measured, or undefined when it loads. */
async function nodeUnavailable(): Promise<string | undefined> {
  try {
    await selectBackend('node');
    return undefined;
  } catch (error) {
    const message = (error as Error).message;
    return message.includes('no such package') ? `not installed (${message.split('. ')[0]})` : message;
  }
}

async function main(): Promise<void> {
  const settings = parseSettings();
  const started = new Date();
  const loadStart = os.loadavg();
  const random = new Random(SGD.seed);
  const skipped: string[] = [];

  const nodeProblem = await nodeUnavailable();
  const backends: ('node' | 'wasm')[] = ['wasm'];
  if (nodeProblem === undefined) backends.unshift('node');
  else skipped.push(`tensorflow (tfjs-node): ${nodeProblem}.`);

  const jobCount = Math.max(...WORKER_COUNTS) * JOBS_PER_WORKER;
  const shards = Array.from({ length: jobCount }, () => randomShard(settings.imagesPerJob, random));
  const warmClient = shards.length;
  const evalSet = randomShard(settings.evalImages, random);
  const warmEvalSet = randomShard(BATCH, random);
  const found = findTorch();
  if ('missing' in found) skipped.push(`PyTorch: ${found.missing}; install Debian's python3-torch to get the yardstick rows.`);

  const gears: { width: number; arch: Architecture }[] = [];
  const parameters = new Map<string, number>();
  const train: TrainRow[] = [];
  const evaluations: EvalRow[] = [];
  const torch: WidthTorchRow[] = [];
  for (const width of settings.widths) {
    const ladder = buildLadder('paper', { width, inputShape: [...INPUT_SHAPE], classes: CLASSES });
    gears.push(...ladder.map((arch) => ({ width, arch })));
    const setup: ClientSetup = { ladder, shards: [...shards, randomShard(BATCH, random)], normalization: NORMALIZATION };
    for (const backend of backends) {
      const name = await selectBackend(backend);
      for (const [gear, arch] of ladder.entries()) {
        const weights = initialWeights(arch);
        parameters.set(`${width}/${arch.name}`, weights.length);
        for (const workers of WORKER_COUNTS) {
          progress(`width ${width}: training ${arch.name} on ${name}, ${workers} worker(s)`);
          const clients = Array.from({ length: workers * JOBS_PER_WORKER }, (_, k) => k);
          train.push(await trainSpeed({ width, setup, gear, weights, backend, workers, jobClients: clients, warmClient }));
        }
        if (backend === 'wasm') {
          for (const workers of ROUND_WORKERS) {
            progress(`width ${width}: a round of ${ROUND_CLIENTS.length} clients, ${arch.name} on ${name}, ${workers} workers`);
            train.push(await trainSpeed({ width, setup, gear, weights, backend, workers, jobClients: ROUND_CLIENTS, warmClient }));
          }
        }
        progress(`width ${width}: evaluating ${arch.name} on ${name}`);
        evaluations.push(await evalSpeed(width, arch, name, evalSet, warmEvalSet));
      }
    }
    if ('version' in found) {
      const request = {
        architectures: ladder,
        threads: WORKER_COUNTS,
        // What one worker trains in the one-worker run.
        trainImages: JOBS_PER_WORKER * settings.imagesPerJob,
        evalImages: settings.evalImages,
        batchSize: BATCH,
        evalBatchSize: EVAL_BATCH,
        learningRate: SGD.learningRate,
        momentum: SGD.momentum,
        weightDecay: SGD.weightDecay,
        seed: SGD.seed,
      };
      progress(`width ${width}: PyTorch, 1 and 2 threads`);
      torch.push(...torchSpeed(request).map((row) => ({ ...row, width })));
      progress(`width ${width}: PyTorch, 2 threads, OMP_WAIT_POLICY=PASSIVE`);
      torch.push(...torchSpeed({ ...request, threads: [2] }, 'PASSIVE').map((row) => ({ ...row, width })));
    }
  }

  const width = settings.widths[0]!;
  const small = buildLadder('paper', { width, inputShape: [...INPUT_SHAPE], classes: CLASSES })[0]!;
  progress(`training ${small.name} on cpu (${CPU_IMAGES} images)`);
  // The cpu backend's warm-up is two images: a batch of 32 costs from half a minute to minutes.
  const cpuSetup: ClientSetup = { ladder: [small], shards: [randomShard(CPU_IMAGES, random), randomShard(2, random)], normalization: NORMALIZATION };
  train.push(
    await trainSpeed({
      width,
      setup: cpuSetup,
      gear: 0,
      weights: initialWeights(small),
      backend: 'cpu',
      workers: 1,
      jobClients: [0],
      warmClient: 1,
      limitSeconds: CPU_LIMIT_SECONDS,
    }),
  );
  await selectBackend('cpu');
  progress(`evaluating ${small.name} on cpu (${CPU_IMAGES} images)`);
  evaluations.push(await evalSpeed(width, small, 'cpu', randomShard(CPU_IMAGES, random), randomShard(2, random)));
  skipped.push(
    `cpu (pure JS) for the large gear, at width ${settings.widths.slice(1).join(', ') || width} and with 2 workers: it trains below an image per second, ` +
      `so only one batch (${CPU_IMAGES} images) of the ${small.name} gear at width ${width} is trained, with a ${CPU_LIMIT_SECONDS} s limit, to show the order of magnitude.`,
  );

  const results: Results = {
    settings,
    gears,
    parameters,
    train,
    evaluations,
    torch,
    torchVersion: 'version' in found ? found.version : undefined,
    skipped,
    autogroup: autogroupEnabled(),
    loadStart,
    started,
  };
  const markdown = report(results);
  writeSection('training', markdown);
  console.log(markdown);
  for (const row of torch) {
    const ours = parameters.get(`${row.width}/${row.gear}`);
    if (row.parameters !== ours) {
      throw new Error(`PyTorch's ${row.gear} parameter count at width ${row.width} must equal fedgear's ${ours}, but got ${row.parameters}.`);
    }
  }
}

await main();
