import { describe, expect, it } from 'vitest';
import { accuracyChart } from '../../src/report/accuracy-charts.js';
import { madeUpRounds, PER_ROUND } from './made-up-runs.js';

const small = madeUpRounds([0.2, 0.3, 0.4, 0.45].map((accuracy) => ({ accuracy, gear: 0 })));
const staged = madeUpRounds([0.2, 0.3, 0.5, 0.6].map((accuracy, i) => ({ accuracy, gear: i < 2 ? 0 : 1 })));
const rows = [
  { label: '12-6', rounds: small },
  { label: 'Gear 2', rounds: staged },
];

describe('accuracyChart', () => {
  it('plots test accuracy against the round, with a marker at the last round before each switch', () => {
    const chart = accuracyChart(rows, 'round');
    expect(chart.series.map((s) => s.label)).toEqual(['12-6', 'Gear 2']);
    expect(chart.series[1]!.points).toEqual([0.2, 0.3, 0.5, 0.6].map((y, i) => ({ x: i + 1, y })));
    expect(chart.series[0]!.markers).toEqual([]);
    expect(chart.series[1]!.markers).toEqual([{ x: 2, y: 0.3, label: '2' }]);
    expect(chart.xInteger).toBe(true);
    expect(chart.markerLegend).toBe('switch after round n');
  });

  it('plots against cumulative seconds and megabytes, marking the same rounds', () => {
    const [smallCost, largeCost] = PER_ROUND;
    const seconds = accuracyChart(rows, 'seconds').series[1]!;
    expect(seconds.points.map((p) => p.x)).toEqual([1, 2, 3, 4].map((r) => Math.min(r, 2) * smallCost.seconds + Math.max(0, r - 2) * largeCost.seconds));
    expect(seconds.markers[0]).toMatchObject({ x: 2 * smallCost.seconds, label: '2' });
    const megabytes = accuracyChart(rows, 'megabytes').series[1]!;
    expect(megabytes.points[3]!.x).toBeCloseTo((2 * 2 * smallCost.bytes + 2 * 2 * largeCost.bytes) / 1e6, 9);
    expect(megabytes.markers[0]!.x).toBeCloseTo((2 * 2 * smallCost.bytes) / 1e6, 9);
  });

  it('prints accuracy ticks as percentages and large x ticks compactly', () => {
    const chart = accuracyChart(rows, 'megabytes');
    expect(chart.formatY!(0.625)).toBe('62.5%');
    expect(chart.formatX!(2500)).toBe('2,500');
    expect(chart.formatX!(25_000)).toBe('25k');
  });

  it('explains no marker when no row switches', () => {
    expect(accuracyChart([rows[0]!], 'round').markerLegend).toBeUndefined();
  });

  it('refuses a row without rounds', () => {
    expect(() => accuracyChart([{ label: 'empty', rounds: [] }], 'round')).toThrow('a chart row must have at least one round, but "empty" has none.');
  });
});
