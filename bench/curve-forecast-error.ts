/**
 * How well `forecast`'s learning-curve fit predicts where a curve ends, measured on the suite's
 * bundles: for each 12-6 and 12-12 run and every round r from 3 to the last but 3, the curve
 * `fitSaturatingCurve` fits to validation accuracy up to round r (as `forecast` fits it, the rate
 * at least 1 / planned rounds) is asked for the last round's accuracy, and compared with the mean
 * of the run's last three validation accuracies. Writes Markdown for docs/reproduction.md.
 */
import type { Bundle } from '../src/replay/bundle.js';
import { fitSaturatingCurve, predict } from '../src/policy/saturating-curve.js';
import { table } from './markdown-table.js';

/** Mean absolute error and mean signed error (negative: the fit expected too little), in accuracy. */
interface ForecastError {
  readonly absolute: number;
  readonly bias: number;
}

/**
 * The fit's error on one run's validation curve, over every cut from round 3 to the last but 3;
 * undefined when the run is shorter than 7 rounds.
 *
 * @example
 * forecastError([0.3, 0.4, 0.45, 0.48, 0.5, 0.51, 0.52, 0.52]); // { absolute: ..., bias: ... }
 */
export function forecastError(accuracies: readonly number[]): ForecastError | undefined {
  const rounds = accuracies.length;
  if (rounds < 7) return undefined;
  const end = (accuracies[rounds - 1]! + accuracies[rounds - 2]! + accuracies[rounds - 3]!) / 3;
  const errors: number[] = [];
  for (let cut = 3; cut <= rounds - 3; cut++) {
    const curve = fitSaturatingCurve(
      accuracies.slice(0, cut).map((accuracy, index): [number, number] => [index + 1, accuracy]),
      { minRate: 1 / rounds },
    );
    if (curve !== undefined) errors.push(predict(curve, rounds) - end);
  }
  if (errors.length === 0) return undefined;
  return {
    absolute: errors.reduce((sum, error) => sum + Math.abs(error), 0) / errors.length,
    bias: errors.reduce((sum, error) => sum + error, 0) / errors.length,
  };
}

/**
 * A table of the fit's error on every scenario's 12-6 and 12-12 validation curves, in points.
 *
 * @example
 * forecastErrorTable([{ name: 'synthetic-iid', bundle }]);
 */
export function forecastErrorTable(scenarios: readonly { readonly name: string; readonly bundle: Bundle }[]): string {
  const cell = (error: ForecastError | undefined) =>
    error === undefined ? '–' : `${(error.absolute * 100).toFixed(1)} (${error.bias >= 0 ? '+' : ''}${(error.bias * 100).toFixed(1)})`;
  const rows = scenarios.map(({ name, bundle }) => [
    name,
    cell(forecastError(bundle.small.rounds.map((record) => record.validation.accuracy))),
    cell(forecastError(bundle.large.rounds.map((record) => record.validation.accuracy))),
  ]);
  return table(['scenario', '12-6: mean error (bias), points', '12-12: mean error (bias), points'], rows);
}
