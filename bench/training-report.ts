/**
 * The training section of docs/benchmarks.md, from the rows bench/training-speed.ts measured:
 * the ratios against PyTorch and between worker counts first, then every row.
 */
import * as tf from '../src/vendor/tfjs.js';
import os from 'node:os';
import { countWeightLayers, type Architecture } from '../src/models/architecture.js';
import { machineLines, rerunCommand } from './benchmarks-doc.js';
import { fixed, table } from './markdown-table.js';
import type { Timing } from './process-timing.js';
import { BATCH, CLASSES, EVAL_BATCH, INPUT_SHAPE, JOBS_PER_WORKER, ROUND_CLIENTS, ROUND_WORKERS, SGD, TARGET_PER_CORE, TARGET_SPEED_UP } from './training-setup.js';
import { PYTHON, type TorchRow, type TorchTiming } from './torch-yardstick.js';

export interface TrainRow {
  readonly width: number;
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

export interface EvalRow {
  readonly width: number;
  readonly gear: string;
  readonly backend: string;
  readonly timing: Timing;
}

export interface Settings {
  readonly widths: readonly number[];
  readonly imagesPerJob: number;
  readonly evalImages: number;
  readonly quick: boolean;
}

const speed = (timing: TorchTiming): number => timing.images / timing.seconds;
/** Images per CPU-second of the process: throughput with the machine's sharing factored out. */
const perCpuSecond = (timing: TorchTiming): number => timing.images / timing.cpuSeconds;
const cores = (timing: TorchTiming): number => timing.cpuSeconds / timing.seconds;
const othersCores = (timing: Timing): number => timing.othersCpuSeconds / timing.seconds;
const waitingCores = (timing: Timing): string => (timing.waitingSeconds === undefined ? 'n/a' : fixed(timing.waitingSeconds / timing.seconds, 2));

/** A PyTorch row, at the width of the ladder it trained. */
export type WidthTorchRow = TorchRow & { readonly width: number };

export interface Results {
  readonly settings: Settings;
  /** Every gear measured, at every width, in order. */
  readonly gears: readonly { readonly width: number; readonly arch: Architecture }[];
  /** fedgear's parameter count per `${width}/${gear}`. */
  readonly parameters: ReadonlyMap<string, number>;
  readonly train: readonly TrainRow[];
  readonly evaluations: readonly EvalRow[];
  readonly torch: readonly WidthTorchRow[];
  readonly torchVersion: string | undefined;
  readonly skipped: readonly string[];
  readonly autogroup: boolean | undefined;
  readonly loadStart: readonly number[];
  readonly started: Date;
}

function fedgearRow(results: Results, width: number, gear: string, workers: number, jobs = workers * JOBS_PER_WORKER): TrainRow | undefined {
  return results.train.find((row) => row.width === width && row.gear === gear && row.backend === 'wasm' && row.workers === workers && row.jobs === jobs);
}

function ratioRows(results: Results): string[][] {
  const rows: string[][] = [];
  const add = (what: string, numerator: number | undefined, denominator: number | undefined, target = '') => {
    if (numerator === undefined || denominator === undefined) return;
    const ratio = numerator / denominator;
    const verdict = target === '' ? '' : target.startsWith('>=') ? (ratio >= Number(target.slice(3, -1)) ? ' (met)' : ' (**not met**)') : '';
    rows.push([what, fixed(numerator), fixed(denominator), `**${fixed(ratio, 2)}x**`, `${target}${verdict}`]);
  };
  for (const { width, arch } of results.gears) {
    const torch = (threads: number, waitPolicy = 'default') =>
      results.torch.find((row) => row.width === width && row.gear === arch.name && row.threads === threads && row.waitPolicy === waitPolicy);
    const [one, two] = [fedgearRow(results, width, arch.name, 1), fedgearRow(results, width, arch.name, 2)];
    const measure = <T,>(row: T | undefined, value: (row: T) => number) => (row === undefined ? undefined : value(row));
    const torchTrain = (threads: number, waitPolicy?: string) => measure(torch(threads, waitPolicy), (row) => speed(row.train));
    const evaluation = results.evaluations.find((row) => row.width === width && row.gear === arch.name && row.backend === 'wasm');
    const name = `${arch.name} (width ${width})`;
    add(`${name}: fedgear wasm 1 worker / torch 1 thread, images/s`, measure(one, (r) => speed(r.timing)), torchTrain(1), `>= ${TARGET_PER_CORE}x`);
    add(`${name}: fedgear wasm 1 worker / torch 1 thread, images per CPU-second`, measure(one, (r) => perCpuSecond(r.timing)), measure(torch(1), (row) => perCpuSecond(row.train)));
    add(`${name}: fedgear 2 workers / 1 worker, images/s`, measure(two, (r) => speed(r.timing)), measure(one, (r) => speed(r.timing)), `>= ${TARGET_SPEED_UP}x`);
    add(`${name}: fedgear 2 workers / 1 worker, images per CPU-second`, measure(two, (r) => perCpuSecond(r.timing)), measure(one, (r) => perCpuSecond(r.timing)), '1x: no overhead');
    add(
      `${name}: a round of ${ROUND_CLIENTS.length} clients, ${ROUND_WORKERS[1]} workers / ${ROUND_WORKERS[0]} workers, images/s`,
      measure(fedgearRow(results, width, arch.name, ROUND_WORKERS[1], ROUND_CLIENTS.length), (r) => speed(r.timing)),
      measure(fedgearRow(results, width, arch.name, ROUND_WORKERS[0], ROUND_CLIENTS.length), (r) => speed(r.timing)),
      '<= 1.33x: 1.5 job-times instead of 2',
    );
    add(`${name}: fedgear wasm 2 workers / torch 2 threads, images/s`, measure(two, (r) => speed(r.timing)), torchTrain(2));
    add(`${name}: fedgear wasm 2 workers / torch 2 threads (OMP_WAIT_POLICY=PASSIVE), images/s`, measure(two, (r) => speed(r.timing)), torchTrain(2, 'PASSIVE'));
    add(`${name}: fedgear wasm evaluation / torch 1 thread evaluation, images/s`, measure(evaluation, (r) => speed(r.timing)), measure(torch(1), (row) => speed(row.evaluate)));
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
  for (const { width, arch } of results.gears) {
    const [one, two] = [fedgearRow(results, width, arch.name, 1), fedgearRow(results, width, arch.name, 2)];
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
      `- **${arch.name}, width ${width}: ${fixed(speedUp, 2)}x.** Workers were inside a job ${fixed(100 * busy(two), 0)}% of the wall time ` +
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

/**
 * The training section, markdown.
 *
 * @example
 * writeSection('training', report(results));
 */
export function report(results: Results): string {
  const { settings } = results;
  const trainRows = results.train.map((row) => [
    row.width,
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
    row.width,
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
    row.width,
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
    fixed(row.train.load, 2),
  ]);
  const parameterRows = results.gears.map(({ width, arch }) => {
    const torch = results.torch.find((row) => row.width === width && row.gear === arch.name)?.parameters;
    const ours = results.parameters.get(`${width}/${arch.name}`)!;
    return [width, arch.name, countWeightLayers(arch), ours.toLocaleString('en-US'), torch?.toLocaleString('en-US') ?? 'not run', torch === undefined ? '' : torch === ours ? 'yes' : '**no**'];
  });
  const findings = speedUpFindings(results);
  return `## Training and evaluation speed

Generated by \`${rerunCommand('dist/bench/training-speed.js')}\` (\`bench/training-speed.ts\`, with \`bench/torch-speed.py\` for PyTorch).${settings.quick ? '\n\n**This is a `--quick` run: a smoke test with few images, not a measurement.**' : ''}

${machineLines({ started: results.started, loadStart: results.loadStart, versions: `Node ${process.versions.node}, @tensorflow/tfjs-core ${tf.version_core}, @tensorflow/tfjs-backend-wasm ${tf.version_wasm}, PyTorch ${results.torchVersion ?? 'not available'} (${PYTHON})` })}

A load average near or above the core count means other processes competed for the cores;
"images per CPU-second" factors out how much CPU the benchmark got, which images/s does not.

### Setup

The paper ladder at width${settings.widths.length > 1 ? 's' : ''} ${settings.widths.join(' and ')} (the presets' widths: \`medium\` 16, \`small\` 8), ${INPUT_SHAPE.join('x')} inputs, ${CLASSES} classes.
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

${table(['width', 'gear', 'weight layers', 'fedgear parameters', 'PyTorch parameters', 'match'], parameterRows)}

### Ratios (same run)

${table(['ratio', 'numerator', 'denominator', 'ratio', 'target'], ratioRows(results))}

${findings.length === 0 ? `The 2-worker speed-up meets the ${TARGET_SPEED_UP}x target for every gear in this run.` : `#### Why the 2-worker speed-up is below ${TARGET_SPEED_UP}x\n\n${findings.join('\n')}`}

Where a training step spends its time, op by op, is in the profile section below.

### fedgear training

"CPU-s" is a CPU-second of the benchmark process (all its threads); "cores used" is its CPU time
over wall time; "waiting for a core" is the time its threads were runnable but not running (Linux
run-queue delay), over wall time; "others used" is the CPU time of every other process on the
machine meanwhile (the competition), over wall time; "load before" is the one-minute load average
just before; "job s" is the mean time a job spent inside its worker. With every worker busy,
"cores used" plus "waiting for a core" is about the number of workers: anything missing is time
the threads were blocked.

${table(['width', 'gear', 'backend', 'workers', 'jobs x images', 'images/s', 'images/CPU-s', 'wall s', 'job s', 'cores used', 'waiting for a core', 'others used', 'load before'], trainRows)}

### fedgear evaluation (main thread)

${table(['width', 'gear', 'backend', 'images', 'images/s', 'images/CPU-s', 'wall s', 'cores used', 'others used', 'load before'], evalRows)}

### PyTorch on the same architectures

${
  results.torch.length === 0
    ? `Not measured: ${results.skipped.find((line) => line.startsWith('PyTorch')) ?? 'PyTorch is not available'}.`
    : table(['width', 'gear', 'threads', 'OMP_WAIT_POLICY', 'train images', 'train images/s', 'train images/CPU-s', 'train cores used', 'eval images', 'eval images/s', 'eval cores used', 'load before'], torchRows)
}

### Not measured

${results.skipped.map((line) => `- ${line}`).join('\n')}

### Notes

- fedgear's worker threads are independent (one client each, no synchronisation within a job), so
  a thread that loses its core to another process delays only itself. PyTorch's 2 threads split
  every operation and meet at a barrier after each one: when another process holds one core, every
  operation waits for the slower thread. With OpenMP's default wait policy the waiting thread also
  spins, which on a loaded machine can make 2 threads far slower than 1. The
  \`OMP_WAIT_POLICY=PASSIVE\` rows show PyTorch with waiting threads that sleep instead.
- wasm in Node runs single-threaded (tfjs disables wasm threads under Node), with SIMD: 2 cores
  means 2 workers.`;
}
