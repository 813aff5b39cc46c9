/**
 * `npm run bench`: training and evaluation speed (images/s) of fedgear's engine on the paper
 * ladder's gears, with PyTorch training the same architectures in the same run as the yardstick.
 * Regenerates docs/benchmarks.md and prints it.
 *
 * Training goes through the real client executor (worker threads, weights in and out per job),
 * evaluation through `evaluate` in the main thread. Pixels are random bytes: speed does not
 * depend on them.
 *
 * Flags: `--width N` (default 16, the medium preset's), `--images N` (images per training job,
 * default 320), `--quick` (64 images per job and 256 evaluated: a smoke test, not a measurement).
 *
 * @example
 * // npm run bench -- --width 16 --images 320
 */
import * as tf from '@tensorflow/tfjs';
import { version_wasm } from '@tensorflow/tfjs-backend-wasm';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { BackendChoice } from '../src/backend/backend-choice.js';
import { selectBackend } from '../src/backend/select-backend.js';
import type { ImageSet } from '../src/data/image-set.js';
import { getPreset } from '../src/data/presets.js';
import { Random } from '../src/data/random.js';
import { sharedBytes } from '../src/data/shared-bytes.js';
import { createClientExecutor } from '../src/engine/client-executor.js';
import type { ClientJob, ClientSetup } from '../src/engine/client-trainer.js';
import { evaluate } from '../src/engine/evaluate.js';
import type { Normalization } from '../src/engine/image-batch.js';
import type { SgdOptions } from '../src/engine/sgd.js';
import { countWeightLayers, type Architecture } from '../src/models/architecture.js';
import { buildModel } from '../src/models/build-model.js';
import { buildLadder } from '../src/models/ladder.js';
import { flattenWeights } from '../src/models/weights.js';

const INPUT_SHAPE = [32, 32, 3] as const;
const CLASSES = 10;
const BATCH = 32;
/** `evaluate`'s default batch, used by the torch evaluation too. */
const EVAL_BATCH = 500;
const JOBS_PER_WORKER = 2;
const WORKER_COUNTS = [1, 2] as const;
const TARGET_SPEED_UP = 1.8;
/** A round of the presets' 3 clients: one worker per client against one per core (2). */
const ROUND_CLIENTS = [0, 1, 2] as const;
const ROUND_WORKERS = [2, 3] as const;
/** The cpu backend trains below an image per second: one batch of the small gear shows it. */
const CPU_IMAGES = 32;
/** When the machine is busy that batch can take minutes: stop there and report an upper bound. */
const CPU_LIMIT_SECONDS = 60;
const PYTHON = '/usr/bin/python3';
const NORMALIZATION: Normalization = { mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] };
const SGD: SgdOptions = { epochs: 1, batchSize: BATCH, learningRate: 0.01, momentum: 0.9, weightDecay: 5e-4, seed: 1, augment: true };

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DOC = `${ROOT}docs/benchmarks.md`;
const TORCH_SCRIPT = `${ROOT}bench/torch-speed.py`;

/** Wall and CPU time of one timed stretch; CPU time is the whole process's, all threads. */
interface Timing {
  readonly images: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  /** One-minute load average just before the stretch: how busy the shared machine was. */
  readonly load: number;
  /** CPU seconds every other process on the machine used meanwhile: the competition for the cores. */
  readonly othersCpuSeconds: number;
  /**
   * Seconds this process's threads were runnable but had no core, summed over threads (Linux
   * only): tells threads starved of a core from threads blocked on something.
   */
  readonly waitingSeconds: number | undefined;
}

interface TrainRow {
  readonly gear: string;
  readonly backend: string;
  readonly workers: number;
  readonly jobs: number;
  readonly timing: Timing;
  /** Mean of the jobs' own `seconds` (inside the worker, weights in to weights out); NaN when stopped. */
  readonly jobSeconds: number;
  /** The jobs were still running at the time limit: the speed is an upper bound. */
  readonly stopped: boolean;
}

interface EvalRow {
  readonly gear: string;
  readonly backend: string;
  readonly timing: Timing;
}

/** PyTorch times itself inside its own process: no machine-wide counters around each row. */
type TorchTiming = Omit<Timing, 'othersCpuSeconds' | 'waitingSeconds'>;

interface TorchRow {
  readonly gear: string;
  readonly threads: number;
  /** `OMP_WAIT_POLICY` of the run, or 'default' when unset. */
  readonly waitPolicy: string;
  readonly parameters: number;
  readonly train: TorchTiming;
  readonly evaluate: TorchTiming;
}

interface Settings {
  readonly width: number;
  readonly imagesPerJob: number;
  readonly evalImages: number;
  readonly quick: boolean;
  readonly command: string;
}

function parseSettings(): Settings {
  const { values } = parseArgs({
    options: { width: { type: 'string' }, images: { type: 'string' }, quick: { type: 'boolean', default: false } },
  });
  const positive = (flag: string, text: string | undefined, fallback: number): number => {
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${flag} must be a positive integer, but got ${JSON.stringify(text)}.`);
    return value;
  };
  const quick = values.quick === true;
  const args = process.argv.slice(2);
  return {
    width: positive('width', values.width, getPreset('medium').width),
    imagesPerJob: positive('images', values.images, quick ? 64 : 320),
    evalImages: quick ? 256 : 1000,
    quick,
    command: `npm run bench${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`,
  };
}

function randomShard(count: number, random: Random): ImageSet {
  const images = sharedBytes(count * INPUT_SHAPE[0] * INPUT_SHAPE[1] * INPUT_SHAPE[2]);
  for (let i = 0; i < images.length; i++) images[i] = random.int(256);
  const labels = sharedBytes(count);
  for (let i = 0; i < count; i++) labels[i] = random.int(CLASSES);
  return { images, labels, count, shape: INPUT_SHAPE, classes: CLASSES };
}

/** Busy CPU seconds of the whole machine so far, all cores, all processes. */
function machineBusySeconds(): number {
  return os.cpus().reduce((sum, { times }) => sum + times.user + times.nice + times.sys + times.irq, 0) / 1000;
}

/** Run-queue delay of every thread of this process so far, from Linux schedstat; undefined elsewhere. */
function waitingForCoreSeconds(): number | undefined {
  const tasks = '/proc/self/task';
  if (!existsSync(tasks)) return undefined;
  let total = 0;
  for (const task of readdirSync(tasks)) {
    const file = `${tasks}/${task}/schedstat`;
    // A libuv helper thread can end between the listing and the read; the workers cannot.
    if (existsSync(file)) total += Number(readFileSync(file, 'utf8').split(' ')[1]) / 1e9;
  }
  return total;
}

async function timed(images: number, run: () => unknown): Promise<Timing> {
  const load = os.loadavg()[0]!;
  const waiting = waitingForCoreSeconds();
  const busy = machineBusySeconds();
  const cpu = process.cpuUsage();
  const start = performance.now();
  await run();
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  // The machine's counters tick in hundredths of a second: clamp the rounding below zero away.
  const othersCpuSeconds = Math.max(0, machineBusySeconds() - busy - cpuSeconds);
  const waitedUntil = waitingForCoreSeconds();
  const waitingSeconds = waiting === undefined || waitedUntil === undefined ? undefined : waitedUntil - waiting;
  return { images, seconds, cpuSeconds, load, othersCpuSeconds, waitingSeconds };
}

function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/**
 * Images/s of `workers` worker threads training `jobClients` (one job each) of gear `gear`.
 * Every worker first trains the warm-up shard untimed, so model building and first-call costs
 * stay out: the pool hands its first jobs out one per worker, so `workers` warm-up jobs reach
 * every worker once.
 */
async function trainSpeed(run: {
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
    await executor.run(Array.from({ length: workers }, () => job(warmClient)));
    let jobSeconds = Number.NaN;
    const images = jobClients.reduce((sum, client) => sum + setup.shards[client]!.count, 0);
    const limit = new Promise<undefined>((resolve) => {
      if (limitSeconds !== undefined) timer = setTimeout(resolve, limitSeconds * 1000, undefined);
    });
    const timing = await timed(images, async () => {
      const results = await Promise.race([executor.run(jobClients.map(job)), limit]);
      if (results !== undefined) jobSeconds = results.reduce((sum, result) => sum + result.seconds, 0) / results.length;
    });
    return { gear: setup.ladder[gear]!.name, backend, workers, jobs: jobClients.length, timing, jobSeconds, stopped: Number.isNaN(jobSeconds) };
  } finally {
    clearTimeout(timer);
    await executor.close();
  }
}

/** Images/s of `evaluate` in the main thread on the backend already selected, after a warm-up. */
async function evalSpeed(arch: Architecture, backend: string, data: ImageSet, warm: ImageSet): Promise<EvalRow> {
  const model = buildModel(arch, 0);
  try {
    evaluate(model, warm, NORMALIZATION);
    return { gear: arch.name, backend, timing: await timed(data.count, () => evaluate(model, data, NORMALIZATION)) };
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

/** torch's version under /usr/bin/python3, or why it cannot be used. */
function findTorch(): { version: string } | { missing: string } {
  if (!existsSync(PYTHON)) return { missing: `${PYTHON} does not exist` };
  const probe = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  if (probe.status !== 0) return { missing: `\`import torch\` fails under ${PYTHON}: ${probe.stderr.trim().split('\n').at(-1)}` };
  return { version: probe.stdout.trim() };
}

interface TorchReply {
  readonly torch: string;
  readonly results: readonly {
    gear: string;
    threads: number;
    parameters: number;
    train: Omit<TorchTiming, 'load'>;
    evaluate: Omit<TorchTiming, 'load'>;
  }[];
}

function torchSpeed(ladder: readonly Architecture[], threads: readonly number[], settings: Settings, waitPolicy?: string): TorchRow[] {
  const request = {
    architectures: ladder,
    threads,
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
  const env = { ...process.env };
  if (waitPolicy === undefined) delete env['OMP_WAIT_POLICY'];
  else env['OMP_WAIT_POLICY'] = waitPolicy;
  const load = os.loadavg()[0]!;
  const run = spawnSync(PYTHON, [TORCH_SCRIPT], { input: JSON.stringify(request), encoding: 'utf8', env, maxBuffer: 1 << 20 });
  if (run.status !== 0) {
    throw new Error(`${TORCH_SCRIPT} must exit with status 0, but got ${run.status ?? run.signal}: ${run.stderr.trim()}`);
  }
  const reply = JSON.parse(run.stdout) as TorchReply;
  return reply.results.map((result) => ({
    gear: result.gear,
    threads: result.threads,
    waitPolicy: waitPolicy ?? 'default',
    parameters: result.parameters,
    train: { ...result.train, load },
    evaluate: { ...result.evaluate, load },
  }));
}

const speed = (timing: TorchTiming): number => timing.images / timing.seconds;
/** Images per CPU-second of the process: throughput with the machine's sharing factored out. */
const perCpuSecond = (timing: TorchTiming): number => timing.images / timing.cpuSeconds;
const cores = (timing: TorchTiming): number => timing.cpuSeconds / timing.seconds;
const othersCores = (timing: Timing): number => timing.othersCpuSeconds / timing.seconds;
const waitingCores = (timing: Timing): string => (timing.waitingSeconds === undefined ? 'n/a' : fixed(timing.waitingSeconds / timing.seconds, 2));
const fixed = (value: number, digits = 1): string => value.toFixed(digits);

function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const line = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Whether Linux shares CPU between sessions (autogroup) rather than threads; undefined off Linux. */
function autogroupEnabled(): boolean | undefined {
  const flag = '/proc/sys/kernel/sched_autogroup_enabled';
  return existsSync(flag) ? readFileSync(flag, 'utf8').trim() === '1' : undefined;
}

interface Results {
  readonly settings: Settings;
  readonly ladder: readonly Architecture[];
  readonly parameters: ReadonlyMap<string, number>;
  readonly train: readonly TrainRow[];
  readonly evaluations: readonly EvalRow[];
  readonly torch: readonly TorchRow[];
  readonly torchVersion: string | undefined;
  readonly skipped: readonly string[];
  readonly autogroup: boolean | undefined;
  readonly loadStart: readonly number[];
  readonly loadEnd: readonly number[];
  readonly started: Date;
  readonly minutes: number;
}

function fedgearRow(results: Results, gear: string, workers: number, jobs = workers * JOBS_PER_WORKER): TrainRow | undefined {
  return results.train.find((row) => row.gear === gear && row.backend === 'wasm' && row.workers === workers && row.jobs === jobs);
}

function ratioRows(results: Results): string[][] {
  const rows: string[][] = [];
  const torch = (gear: string, threads: number, waitPolicy = 'default') =>
    results.torch.find((row) => row.gear === gear && row.threads === threads && row.waitPolicy === waitPolicy);
  const add = (what: string, numerator: number | undefined, denominator: number | undefined, target = '') => {
    if (numerator === undefined || denominator === undefined) return;
    rows.push([what, fixed(numerator), fixed(denominator), `**${fixed(numerator / denominator, 2)}x**`, target]);
  };
  for (const arch of results.ladder) {
    const [one, two] = [fedgearRow(results, arch.name, 1), fedgearRow(results, arch.name, 2)];
    const measure = <T,>(row: T | undefined, value: (row: T) => number) => (row === undefined ? undefined : value(row));
    const torchTrain = (threads: number, waitPolicy?: string) => measure(torch(arch.name, threads, waitPolicy), (row) => speed(row.train));
    const evaluation = results.evaluations.find((row) => row.gear === arch.name && row.backend === 'wasm');
    add(`${arch.name}: fedgear 2 workers / 1 worker, images/s`, measure(two, (r) => speed(r.timing)), measure(one, (r) => speed(r.timing)), `>= ${TARGET_SPEED_UP}x`);
    add(
      `${arch.name}: fedgear 2 workers / 1 worker, images per CPU-second`,
      measure(two, (r) => perCpuSecond(r.timing)),
      measure(one, (r) => perCpuSecond(r.timing)),
      '1x: no overhead',
    );
    add(
      `${arch.name}: a round of ${ROUND_CLIENTS.length} clients, ${ROUND_WORKERS[1]} workers / ${ROUND_WORKERS[0]} workers, images/s`,
      measure(fedgearRow(results, arch.name, ROUND_WORKERS[1], ROUND_CLIENTS.length), (r) => speed(r.timing)),
      measure(fedgearRow(results, arch.name, ROUND_WORKERS[0], ROUND_CLIENTS.length), (r) => speed(r.timing)),
      '<= 1.33x: 1.5 job-times instead of 2',
    );
    add(`${arch.name}: fedgear wasm 1 worker / torch 1 thread, images/s`, measure(one, (r) => speed(r.timing)), torchTrain(1));
    add(
      `${arch.name}: fedgear wasm 1 worker / torch 1 thread, images per CPU-second`,
      measure(one, (r) => perCpuSecond(r.timing)),
      measure(torch(arch.name, 1), (row) => perCpuSecond(row.train)),
    );
    add(`${arch.name}: fedgear wasm 2 workers / torch 2 threads, images/s`, measure(two, (r) => speed(r.timing)), torchTrain(2));
    add(`${arch.name}: fedgear wasm 2 workers / torch 2 threads (OMP_WAIT_POLICY=PASSIVE), images/s`, measure(two, (r) => speed(r.timing)), torchTrain(2, 'PASSIVE'));
    add(
      `${arch.name}: fedgear wasm evaluation / torch 1 thread evaluation, images/s`,
      measure(evaluation, (r) => speed(r.timing)),
      measure(torch(arch.name, 1), (row) => speed(row.evaluate)),
    );
  }
  return rows;
}

/**
 * Why a gear's 2-worker speed-up fell short, read off its rows: workers idle between jobs (the
 * pool), less work per CPU-second (the workers getting in each other's way), or fewer cores
 * than workers (the machine's other load).
 */
function speedUpFindings(results: Results): string[] {
  const findings: string[] = [];
  for (const arch of results.ladder) {
    const [one, two] = [fedgearRow(results, arch.name, 1), fedgearRow(results, arch.name, 2)];
    if (one === undefined || two === undefined) continue;
    const speedUp = speed(two.timing) / speed(one.timing);
    if (speedUp >= TARGET_SPEED_UP) continue;
    const busy = (row: TrainRow) => (row.jobSeconds * row.jobs) / (row.workers * row.timing.seconds);
    const efficiency = perCpuSecond(two.timing) / perCpuSecond(one.timing);
    const causes: string[] = [];
    if (busy(two) < 0.9) causes.push(`the workers sat idle between jobs ${fixed(100 * (1 - busy(two)), 0)}% of the time: look at the pool's scheduling`);
    if (efficiency < 0.85) causes.push(`a CPU-second trained ${fixed(100 * (1 - efficiency), 0)}% fewer images with 2 workers: they slow each other down (memory bandwidth, garbage collection, the main thread)`);
    if (cores(two.timing) < 0.9 * two.workers) {
      const waiting = two.timing.waitingSeconds === undefined ? undefined : two.timing.waitingSeconds / two.timing.seconds;
      const starved = waiting === undefined ? '' : cores(two.timing) + waiting >= 0.9 * two.workers
        ? ` and its threads were runnable but waiting for a core ${fixed(waiting, 2)} cores' worth of the time: starved by other processes, not blocked`
        : ` but its threads waited for a core only ${fixed(waiting, 2)} cores' worth of the time: they were blocked, which points into the engine`;
      causes.push(`the process got ${fixed(cores(two.timing), 2)} cores for ${two.workers} workers${starved}`);
    }
    findings.push(
      `- **${arch.name}: ${fixed(speedUp, 2)}x.** Workers were inside a job ${fixed(100 * busy(two), 0)}% of the wall time ` +
        `(1 worker: ${fixed(100 * busy(one), 0)}%). Images per CPU-second: ${fixed(perCpuSecond(two.timing))} with 2 workers, ` +
        `${fixed(perCpuSecond(one.timing))} with 1 (${fixed(efficiency, 2)}x). Cores the process got: ${fixed(cores(two.timing), 2)} with 2 workers, ` +
        `${fixed(cores(one.timing), 2)} with 1, while other processes used ${fixed(othersCores(two.timing), 2)} and ${fixed(othersCores(one.timing), 2)} ` +
        `of the ${os.cpus().length}. So: ${causes.length === 0 ? 'no single cause stands out; repeat the run' : causes.join('; ')}.`,
    );
  }
  if (findings.length > 0 && results.autogroup === true) {
    findings.push(
      '- Linux autogroup scheduling is on here (`/proc/sys/kernel/sched_autogroup_enabled` = 1): the kernel shares CPU ' +
        'equally between busy sessions, not between threads, so while other sessions are busy a second worker thread ' +
        "adds no CPU to the benchmark's share; it only helps when a core is idle.",
    );
  }
  return findings;
}

function report(results: Results): string {
  const { settings } = results;
  const cpus = os.cpus();
  const trainRows = results.train.map((row) => [
    row.gear,
    row.backend,
    row.workers,
    `${row.jobs} x ${row.timing.images / row.jobs}`,
    row.stopped ? `< ${fixed(speed(row.timing), 2)} (stopped after ${fixed(row.timing.seconds, 0)} s)` : `**${fixed(speed(row.timing))}**`,
    row.stopped ? '' : fixed(perCpuSecond(row.timing)),
    fixed(row.timing.seconds),
    row.stopped ? '' : fixed(row.jobSeconds, 2),
    fixed(cores(row.timing), 2),
    waitingCores(row.timing),
    fixed(othersCores(row.timing), 2),
    fixed(row.timing.load, 2),
  ]);
  const evalRows = results.evaluations.map((row) => [
    row.gear,
    row.backend,
    row.timing.images,
    `**${fixed(speed(row.timing))}**`,
    fixed(perCpuSecond(row.timing)),
    fixed(row.timing.seconds, 2),
    fixed(cores(row.timing), 2),
    fixed(othersCores(row.timing), 2),
    fixed(row.timing.load, 2),
  ]);
  const torchRows = results.torch.map((row) => [
    row.gear,
    row.threads,
    row.waitPolicy,
    row.train.images,
    `**${fixed(speed(row.train))}**`,
    fixed(perCpuSecond(row.train)),
    fixed(cores(row.train), 2),
    row.evaluate.images,
    `**${fixed(speed(row.evaluate))}**`,
    fixed(cores(row.evaluate), 2),
  ]);
  const torchLoads = [...new Set(results.torch.map((row) => `${row.waitPolicy}: ${fixed(row.train.load, 2)}`))].join(', ');
  const parameterRows = results.ladder.map((arch) => {
    const torch = results.torch.find((row) => row.gear === arch.name)?.parameters;
    const ours = results.parameters.get(arch.name)!;
    return [arch.name, countWeightLayers(arch), ours.toLocaleString('en-US'), torch?.toLocaleString('en-US') ?? 'not run', torch === undefined ? '' : torch === ours ? 'yes' : '**no**'];
  });
  const findings = speedUpFindings(results);
  const loads = (load: readonly number[]) => load.map((value) => fixed(value, 2)).join(', ');
  const scheduler =
    results.autogroup === undefined ? '' : `\n- Linux autogroup scheduling: ${results.autogroup ? 'on (CPU is shared between sessions, not threads)' : 'off'}`;
  return `# Benchmarks: training and evaluation speed

Generated by \`${settings.command}\` (\`bench/training-speed.ts\`, with \`bench/torch-speed.py\` for PyTorch);
the whole file is rewritten by every run, so do not edit it by hand.${settings.quick ? '\n\n**This is a `--quick` run: a smoke test with few images, not a measurement.**' : ''}

- Date: ${results.started.toISOString()} (the run took ${fixed(results.minutes)} min)
- Machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${fixed(os.totalmem() / 2 ** 30)} GiB memory, ${os.platform()} ${os.release()}
- Node ${process.versions.node}, @tensorflow/tfjs ${tf.version.tfjs}, @tensorflow/tfjs-backend-wasm ${version_wasm}, PyTorch ${results.torchVersion ?? 'not available'} (${PYTHON})
- Load average (1, 5, 15 min) at start: ${loads(results.loadStart)}; at end: ${loads(results.loadEnd)}${scheduler}

**The machine is shared with other engineers' jobs and its timings are noisy.** Read the ratios
of one run (below), not numbers across runs. A load average near or above the core count means
other processes competed for the cores; "images per CPU-second" factors out how much CPU the
benchmark got, which images/s does not.

## Setup

The paper ladder at width ${settings.width} (the \`medium\` preset's width), ${INPUT_SHAPE.join('x')} inputs, ${CLASSES} classes.
Training: batch ${BATCH}, SGD with momentum ${SGD.momentum}, weight decay ${SGD.weightDecay}, learning rate ${SGD.learningRate},
random left-right flips, one epoch per job; random pixels (speed does not depend on them).
fedgear trains through \`createClientExecutor\`: each worker thread trains ${JOBS_PER_WORKER} jobs of
${settings.imagesPerJob} images, and a job includes loading the global weights and flattening the
result, as in a federated round. Every worker first trains one untimed warm-up job. The "a round of
${ROUND_CLIENTS.length} clients" rows (wasm) train ${ROUND_CLIENTS.length} jobs with ${ROUND_WORKERS.join(' and with ')} workers: what the default of one
worker per client gains when the presets' ${ROUND_CLIENTS.length} clients share 2 cores. Evaluation is
\`evaluate\` (batches of ${EVAL_BATCH}) in the main thread, after an untimed warm-up. PyTorch builds the
same layers as an \`nn.Sequential\` (NCHW), trains ${JOBS_PER_WORKER * settings.imagesPerJob} images (what one
fedgear worker trains here) with the same optimiser, batch, flips and per-batch normalisation of
uint8 pixels, and evaluates the same number of images in batches of ${EVAL_BATCH}, after an untimed warm-up batch.

${table(['gear', 'weight layers', 'fedgear parameters', 'PyTorch parameters', 'match'], parameterRows)}

## fedgear training

"CPU-s" is a CPU-second of the benchmark process (all its threads); "cores used" is its CPU time
over wall time; "waiting for a core" is the time its threads were runnable but not running (Linux
run-queue delay), over wall time; "others used" is the CPU time of every other process on the
machine meanwhile (the competition), over wall time; "load before" is the one-minute load average
just before; "job s" is the mean time a job spent inside its worker. With every worker busy,
"cores used" plus "waiting for a core" is about the number of workers: anything missing is time
the threads were blocked.

${table(['gear', 'backend', 'workers', 'jobs x images', 'images/s', 'images/CPU-s', 'wall s', 'job s', 'cores used', 'waiting for a core', 'others used', 'load before'], trainRows)}

## fedgear evaluation (main thread)

${table(['gear', 'backend', 'images', 'images/s', 'images/CPU-s', 'wall s', 'cores used', 'others used', 'load before'], evalRows)}

## PyTorch on the same architectures

${
  results.torch.length === 0
    ? `Not measured: ${results.skipped.find((line) => line.startsWith('PyTorch')) ?? 'PyTorch is not available'}.`
    : `${table(['gear', 'threads', 'OMP_WAIT_POLICY', 'train images', 'train images/s', 'train images/CPU-s', 'train cores used', 'eval images', 'eval images/s', 'eval cores used'], torchRows)}\n\nLoad average before each PyTorch process (${torchLoads}).`
}

## Ratios (same run)

${table(['ratio', 'numerator', 'denominator', 'ratio', 'target'], ratioRows(results))}

${findings.length === 0 ? `The 2-worker speed-up meets the ${TARGET_SPEED_UP}x target for every gear in this run.` : `### Why the 2-worker speed-up is below ${TARGET_SPEED_UP}x\n\n${findings.join('\n')}`}

## Not measured

${results.skipped.map((line) => `- ${line}`).join('\n')}

## Notes

- fedgear's worker threads are independent (one client each, no synchronisation within a job), so
  a thread that loses its core to another process delays only itself. PyTorch's 2 threads split
  every operation and meet at a barrier after each one: when another process holds one core, every
  operation waits for the slower thread. With OpenMP's default wait policy the waiting thread also
  spins, which on a loaded machine can make 2 threads far slower than 1. The
  \`OMP_WAIT_POLICY=PASSIVE\` rows show PyTorch with waiting threads that sleep instead.
- wasm in Node runs single-threaded (tfjs disables wasm threads under Node), with SIMD: 2 cores
  means 2 workers.
`;
}

async function main(): Promise<void> {
  const settings = parseSettings();
  const started = new Date();
  const loadStart = os.loadavg();
  const random = new Random(SGD.seed);
  const ladder = buildLadder('paper', { width: settings.width, inputShape: [...INPUT_SHAPE], classes: CLASSES });
  const skipped: string[] = [];

  const nodeProblem = await nodeUnavailable();
  const backends: ('node' | 'wasm')[] = ['wasm'];
  if (nodeProblem === undefined) backends.unshift('node');
  else skipped.push(`tensorflow (tfjs-node): ${nodeProblem}.`);

  const jobCount = Math.max(...WORKER_COUNTS) * JOBS_PER_WORKER;
  const shards = Array.from({ length: jobCount }, () => randomShard(settings.imagesPerJob, random));
  const warmClient = shards.length;
  const setup: ClientSetup = { ladder, shards: [...shards, randomShard(BATCH, random)], normalization: NORMALIZATION };
  const evalSet = randomShard(settings.evalImages, random);
  const warmEvalSet = randomShard(BATCH, random);

  const parameters = new Map<string, number>();
  const train: TrainRow[] = [];
  const evaluations: EvalRow[] = [];
  for (const backend of backends) {
    const name = await selectBackend(backend);
    for (const [gear, arch] of ladder.entries()) {
      const weights = initialWeights(arch);
      parameters.set(arch.name, weights.length);
      for (const workers of WORKER_COUNTS) {
        progress(`training ${arch.name} on ${name}, ${workers} worker(s)`);
        const clients = Array.from({ length: workers * JOBS_PER_WORKER }, (_, k) => k);
        train.push(await trainSpeed({ setup, gear, weights, backend, workers, jobClients: clients, warmClient }));
      }
      if (backend === 'wasm') {
        for (const workers of ROUND_WORKERS) {
          progress(`a round of ${ROUND_CLIENTS.length} clients, ${arch.name} on ${name}, ${workers} workers`);
          train.push(await trainSpeed({ setup, gear, weights, backend, workers, jobClients: ROUND_CLIENTS, warmClient }));
        }
      }
      progress(`evaluating ${arch.name} on ${name}`);
      evaluations.push(await evalSpeed(arch, name, evalSet, warmEvalSet));
    }
  }

  const small = ladder[0]!;
  progress(`training ${small.name} on cpu (${CPU_IMAGES} images)`);
  // The cpu backend's warm-up is two images: a batch of 32 costs from half a minute to minutes.
  const cpuSetup: ClientSetup = { ladder: [small], shards: [randomShard(CPU_IMAGES, random), randomShard(2, random)], normalization: NORMALIZATION };
  train.push(
    await trainSpeed({
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
  evaluations.push(await evalSpeed(small, 'cpu', randomShard(CPU_IMAGES, random), randomShard(2, random)));
  skipped.push(
    `cpu (pure JS) for the ${ladder.slice(1).map((arch) => arch.name).join(', ')} gear and with 2 workers: it trains below an image per second, ` +
      `so only one batch (${CPU_IMAGES} images) of the ${small.name} gear is trained, with a ${CPU_LIMIT_SECONDS} s limit, to show the order of magnitude.`,
  );

  const found = findTorch();
  const torch: TorchRow[] = [];
  if ('missing' in found) {
    skipped.push(`PyTorch: ${found.missing}; install Debian's python3-torch to get the yardstick rows.`);
  } else {
    progress('PyTorch, 1 and 2 threads');
    torch.push(...torchSpeed(ladder, WORKER_COUNTS, settings));
    progress('PyTorch, 2 threads, OMP_WAIT_POLICY=PASSIVE');
    torch.push(...torchSpeed(ladder, [2], settings, 'PASSIVE'));
  }

  const results: Results = {
    settings,
    ladder,
    parameters,
    train,
    evaluations,
    torch,
    torchVersion: 'version' in found ? found.version : undefined,
    skipped,
    autogroup: autogroupEnabled(),
    loadStart,
    loadEnd: os.loadavg(),
    started,
    minutes: (Date.now() - started.getTime()) / 60000,
  };
  const markdown = report(results);
  writeFileSync(DOC, markdown);
  console.log(markdown);
  for (const row of torch) {
    const ours = parameters.get(row.gear);
    if (row.parameters !== ours) {
      throw new Error(`PyTorch's ${row.gear} parameter count must equal fedgear's ${ours}, but got ${row.parameters}.`);
    }
  }
}

await main();
