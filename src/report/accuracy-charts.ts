import { totalBytes, type RoundRecord } from '../metrics/round-record.js';
import type { LineChart } from './line-chart.js';
import { switchRounds, type ReportRow } from './report-row.js';

/**
 * What the x axis of an accuracy chart counts: rounds, cumulative wall seconds, or cumulative
 * megabytes moved in both directions (10^6 bytes).
 *
 * @example
 * const axis: AccuracyAxis = 'megabytes';
 */
export type AccuracyAxis = 'round' | 'seconds' | 'megabytes';

/**
 * The chart axes in the order `fedgear report` writes them, with their file names.
 *
 * @example
 * ACCURACY_AXES.map((axis) => axis.file); // ["accuracy-by-round", "accuracy-by-seconds", "accuracy-by-mb"]
 */
export const ACCURACY_AXES: readonly { readonly axis: AccuracyAxis; readonly file: string }[] = [
  { axis: 'round', file: 'accuracy-by-round' },
  { axis: 'seconds', file: 'accuracy-by-seconds' },
  { axis: 'megabytes', file: 'accuracy-by-mb' },
];

const AXES: Record<AccuracyAxis, { title: string; label: string; x: (record: RoundRecord) => number; format: (x: number) => string }> = {
  round: { title: 'by round', label: 'round', x: (record) => record.round, format: String },
  seconds: { title: 'by training time', label: 'cumulative wall time (s)', x: (record) => record.seconds.total, format: compact },
  megabytes: { title: 'by communication', label: 'cumulative traffic, sent + received (MB)', x: (record) => totalBytes(record) / 1e6, format: compact },
};

/**
 * Test accuracy of each row against the axis, one line per row (replayed policies dashed), each
 * switch of a staged run marked at the last round before it and labelled with that round.
 *
 * @example
 * writeFileSync('accuracy-by-mb.svg', lineChartSvg(accuracyChart(rows, 'megabytes')));
 */
export function accuracyChart(rows: readonly ReportRow[], axis: AccuracyAxis): LineChart {
  const { title, label, x, format } = AXES[axis];
  const series = rows.map((row) => {
    if (row.rounds.length === 0) throw new Error(`a chart row must have at least one round, but "${row.label}" has none.`);
    const at = new Map(row.rounds.map((record) => [record.round, record]));
    return {
      label: row.label,
      dashed: row.replayed === true,
      points: row.rounds.map((record) => ({ x: x(record), y: record.test.accuracy })),
      markers: switchRounds(row.rounds).map((round) => {
        const record = at.get(round)!;
        return { x: x(record), y: record.test.accuracy, label: String(round) };
      }),
    };
  });
  const staged = series.some((s) => s.markers.length > 0);
  return {
    title: `Test accuracy ${title}`,
    xLabel: label,
    yLabel: 'test accuracy',
    series,
    xInteger: axis === 'round',
    formatX: format,
    formatY: (y) => `${Number((y * 100).toFixed(1))}%`,
    ...(staged ? { markerLegend: 'switch after round n' } : {}),
  };
}

/** 1500 -> "1,500", 25000 -> "25k": tick labels stay short on long runs. */
function compact(value: number): string {
  if (Math.abs(value) >= 10_000) return `${Number((value / 1000).toFixed(1))}k`;
  return Number(value.toPrecision(6)).toLocaleString('en-US');
}
