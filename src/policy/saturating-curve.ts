import { linearRegression } from '../vendor/simple-statistics.js';

/**
 * A saturating learning curve `value(n) = ceiling - gap * e^(-rate * n)`: accuracy approaching a
 * ceiling exponentially in the rounds `n` of a gear, the usual shape of a learning curve past its
 * first rounds.
 */
export interface SaturatingCurve {
  /** The value the curve approaches. */
  readonly ceiling: number;
  /** How far below the ceiling the curve is at n = 0. */
  readonly gap: number;
  /** Per round: the remaining distance to the ceiling shrinks by e^(-rate) each round. */
  readonly rate: number;
  /** Root mean square of the fit's residuals (the measurement noise, as the fit sees it). */
  readonly residual: number;
}

/** What a fit may assume. */
export interface CurveFitOptions {
  /** Smallest rate to try (slowest saturation); default 0.01 per round. */
  readonly minRate?: number;
  /** Largest rate to try; default 3 per round (saturated within a round or two). */
  readonly maxRate?: number;
  /** Highest ceiling the curve may have; default 1 (accuracy). */
  readonly maxCeiling?: number;
}

/** Rates tried per factor of e before the refinement. */
const RATES_PER_E_FOLD = 12;

/**
 * Fits `ceiling - gap * e^(-rate * n)` to points `[n, value]` by least squares: for each rate on
 * a geometric grid the model is linear in (ceiling, gap), solved by simple-statistics' linear
 * regression; the rate with the smallest squared error wins, refined by a golden-section search
 * between its neighbours on the grid. Only rising curves are fitted
 * (gap >= 0) and the ceiling is capped at `maxCeiling`; a curve that is flat or falling fits as
 * saturated at the mean of its values. Non-finite points are ignored; fewer than 3 finite points
 * give `undefined`.
 *
 * @example
 * const curve = fitSaturatingCurve([[1, 0.3], [2, 0.42], [3, 0.49], [4, 0.53], [5, 0.555]]);
 * predict(curve!, 10); // about 0.59
 */
export function fitSaturatingCurve(points: readonly (readonly [number, number])[], options: CurveFitOptions = {}): SaturatingCurve | undefined {
  const { minRate = 0.01, maxRate = 3, maxCeiling = 1 } = options;
  if (!(minRate > 0 && maxRate >= minRate)) throw new Error(`the rates must satisfy 0 < minRate <= maxRate, but got ${minRate} and ${maxRate}.`);
  const finite = points.filter(([n, value]) => Number.isFinite(n) && Number.isFinite(value));
  if (finite.length < 3) return undefined;
  let best: SaturatingCurve | undefined;
  let bestError = Infinity;
  const steps = Math.max(1, Math.ceil(Math.log(maxRate / minRate) * RATES_PER_E_FOLD));
  const rateAt = (step: number) => minRate * (maxRate / minRate) ** (step / steps);
  let bestStep = -1;
  for (let step = 0; step <= steps; step++) {
    const fit = fitAtRate(finite, rateAt(step), maxCeiling);
    if (fit !== undefined && fit.error < bestError) [best, bestError, bestStep] = [fit.curve, fit.error, step];
  }
  if (best !== undefined) {
    // Golden-section search on the log-rate between the best grid point's neighbours.
    let low = Math.log(rateAt(Math.max(0, bestStep - 1)));
    let high = Math.log(rateAt(Math.min(steps, bestStep + 1)));
    const ratio = (Math.sqrt(5) - 1) / 2;
    for (let iteration = 0; iteration < 30; iteration++) {
      const a = high - ratio * (high - low);
      const b = low + ratio * (high - low);
      const errorA = fitAtRate(finite, Math.exp(a), maxCeiling)?.error ?? Infinity;
      const errorB = fitAtRate(finite, Math.exp(b), maxCeiling)?.error ?? Infinity;
      if (errorA <= errorB) high = b;
      else low = a;
    }
    const refined = fitAtRate(finite, Math.exp((low + high) / 2), maxCeiling);
    if (refined !== undefined && refined.error < bestError) [best, bestError] = [refined.curve, refined.error];
  }
  if (best === undefined) {
    const level = finite.reduce((sum, [, value]) => sum + value, 0) / finite.length;
    best = { ceiling: Math.min(level, maxCeiling), gap: 0, rate: maxRate, residual: 0 };
    bestError = finite.reduce((sum, [, value]) => sum + (value - best!.ceiling) ** 2, 0);
  }
  return { ...best, residual: Math.sqrt(bestError / finite.length) };
}

/** The least-squares curve at a fixed rate, or undefined when it would not rise. */
function fitAtRate(points: readonly (readonly [number, number])[], rate: number, maxCeiling: number): { curve: SaturatingCurve; error: number } | undefined {
  const { m, b } = linearRegression(points.map(([n, value]) => [Math.exp(-rate * n), value]));
  // value = b + m * e^(-rate n): ceiling b, gap -m. A rising curve has m <= 0.
  if (!(m <= 0) || !Number.isFinite(b)) return undefined;
  // Above the cap, the cap is the ceiling and the gap its least-squares fit for that ceiling.
  const ceiling = Math.min(b, maxCeiling);
  const gap = ceiling === b ? -m : leastSquaresGap(points, rate, ceiling);
  const error = points.reduce((sum, [n, value]) => sum + (value - (ceiling - gap * Math.exp(-rate * n))) ** 2, 0);
  return { curve: { ceiling, gap, rate, residual: 0 }, error };
}

function leastSquaresGap(points: readonly (readonly [number, number])[], rate: number, ceiling: number): number {
  let along = 0;
  let norm = 0;
  for (const [n, value] of points) {
    const x = Math.exp(-rate * n);
    along += x * (ceiling - value);
    norm += x * x;
  }
  return Math.max(0, along / norm);
}

/**
 * The curve's value after `n` rounds.
 *
 * @example
 * predict({ ceiling: 0.6, gap: 0.3, rate: 0.5, residual: 0 }, 2); // 0.6 - 0.3 * e^-1 = 0.4896
 */
export function predict(curve: SaturatingCurve, n: number): number {
  return curve.ceiling - curve.gap * Math.exp(-curve.rate * n);
}
