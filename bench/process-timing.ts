/**
 * Timing a stretch of work on a shared machine: wall and CPU time of this process, and how busy
 * the rest of the machine was meanwhile, so that a table can tell a slow engine from a busy machine.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

/** Wall and CPU time of one timed stretch; CPU time is the whole process's, all threads. */
export interface Timing {
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

/**
 * Runs `run` and times it: wall, this process's CPU, the machine's other CPU use and this
 * process's wait for a core.
 *
 * @example
 * const timing = await timed(640, () => executor.run(jobs));
 */
export async function timed(images: number, run: () => unknown): Promise<Timing> {
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

/**
 * A progress line on stderr, so that stdout stays the report.
 *
 * @example
 * progress('training small on wasm, 1 worker(s)');
 */
export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
