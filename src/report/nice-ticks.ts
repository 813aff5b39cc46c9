/**
 * An axis scale rounded outward to "nice" numbers (1, 2, 2.5 or 5 times a power of ten), so that
 * tick labels read 0, 20, 40 rather than 3.7, 21.2, 38.7.
 */
export interface NiceScale {
  readonly min: number;
  readonly max: number;
  readonly step: number;
  /** Tick positions from min to max inclusive. */
  readonly ticks: readonly number[];
}

const STEPS = [1, 2, 2.5, 5, 10];

/**
 * A nice scale covering [low, high] with about `count` intervals (Heckbert's "nice numbers").
 * A degenerate range (low === high) is widened by one unit on each side, so a constant series
 * still gets an axis. With `integer`, steps are whole numbers (an axis of rounds has no 2.5).
 *
 * @example
 * niceTicks(0.13, 0.87, 5).ticks; // [0, 0.2, 0.4, 0.6, 0.8, 1]
 * niceTicks(1, 3, 8, { integer: true }).ticks; // [1, 2, 3]
 */
export function niceTicks(low: number, high: number, count = 5, options: { integer?: boolean } = {}): NiceScale {
  if (!Number.isFinite(low) || !Number.isFinite(high) || low > high) {
    throw new Error(`an axis range must be finite with low <= high, but got [${low}, ${high}].`);
  }
  if (!Number.isInteger(count) || count < 1) throw new Error(`the tick count must be a positive integer, but got ${count}.`);
  const [from, to] = low === high ? [low - 1, high + 1] : [low, high];
  const raw = (to - from) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = STEPS.map((m) => m * power)
    .filter((candidate) => options.integer !== true || (candidate >= 1 && Number.isInteger(candidate)))
    // Only an integer axis over a range below 1 finds nothing: one unit is then the finest step.
    .find((candidate) => candidate >= raw * (1 - 1e-9)) ?? 1;
  const min = Math.floor(from / step + 1e-9) * step;
  const max = Math.ceil(to / step - 1e-9) * step;
  const ticks = Array.from({ length: Math.round((max - min) / step) + 1 }, (_, i) => round(min + i * step, step));
  return { min: ticks[0]!, max: ticks.at(-1)!, step, ticks };
}

/** Cuts floating-point noise (0.30000000000000004) to the step's precision. */
function round(value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 2);
  return Number(value.toFixed(decimals));
}
