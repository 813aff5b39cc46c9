/**
 * PyTorch as the yardstick: runs bench/torch-speed.py under /usr/bin/python3 (Debian's
 * python3-torch) on fedgear's architectures and reads back its timings.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import type { Architecture } from '../src/models/architecture.js';
import { ROOT } from './benchmarks-doc.js';

/** The Python that has torch (Debian's python3-torch). */
export const PYTHON = '/usr/bin/python3';

const TORCH_SCRIPT = `${ROOT}bench/torch-speed.py`;

/** Wall and CPU seconds PyTorch measured inside its own process, and the load average before it. */
export interface TorchTiming {
  readonly images: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly load: number;
}

/** One architecture trained and evaluated by PyTorch with a number of threads. */
export interface TorchRow {
  readonly gear: string;
  readonly threads: number;
  /** `OMP_WAIT_POLICY` of the run, or 'default' when unset. */
  readonly waitPolicy: string;
  readonly parameters: number;
  readonly train: TorchTiming;
  readonly evaluate: TorchTiming;
}

/** What torch-speed.py trains and evaluates, as fedgear's clients and `evaluate` do. */
export interface TorchRequest {
  readonly architectures: readonly Architecture[];
  readonly threads: readonly number[];
  readonly trainImages: number;
  readonly evalImages: number;
  readonly batchSize: number;
  readonly evalBatchSize: number;
  readonly learningRate: number;
  readonly momentum: number;
  readonly weightDecay: number;
  readonly seed: number;
}

/**
 * torch's version under /usr/bin/python3, or why it cannot be used.
 *
 * @example
 * const found = findTorch(); if ('missing' in found) console.log(found.missing);
 */
export function findTorch(): { version: string } | { missing: string } {
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

/**
 * Runs torch-speed.py once (one process for every architecture and thread count) and returns
 * a row per architecture and thread count. `waitPolicy` sets `OMP_WAIT_POLICY` (unset when undefined).
 *
 * @example
 * const rows = torchSpeed({ architectures: ladder, threads: [1], trainImages: 640, … }, 'PASSIVE');
 */
export function torchSpeed(request: TorchRequest, waitPolicy?: string): TorchRow[] {
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
