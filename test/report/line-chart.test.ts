import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { lineChartSvg, SERIES_COLOURS, type LineChart } from '../../src/report/line-chart.js';

const chart: LineChart = {
  title: 'Accuracy <by> round & more',
  xLabel: 'round',
  yLabel: 'test accuracy',
  xInteger: true,
  formatY: (y) => `${Math.round(y * 100)}%`,
  series: [
    { label: '12-12', points: [{ x: 1, y: 0.2 }, { x: 2, y: 0.4 }, { x: 3, y: 0.7 }], markers: [] },
    { label: 'Gear 1', points: [{ x: 1, y: 0.3 }, { x: 2, y: 0.5 }, { x: 3, y: 0.6 }], markers: [{ x: 1, y: 0.3, label: '1' }] },
    { label: 'Gear 2', points: [{ x: 1, y: 0.3 }, { x: 2, y: 0.45 }, { x: 3, y: 0.65 }], markers: [{ x: 2, y: 0.45, label: '2' }] },
  ],
  markerLegend: 'switch after round n',
};

const count = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].length;

describe('lineChartSvg', () => {
  const svg = lineChartSvg(chart, { width: 900, height: 500 });

  it('writes a well-formed SVG document of the asked size', () => {
    expect(() => new Resvg(svg)).not.toThrow();
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="900" height="500" viewBox="0 0 900 500"/);
  });

  it('draws one line per series, each with a point per data point, in its own colour', () => {
    const paths = [...svg.matchAll(/<path class="series" data-label="([^"]*)" d="([^"]*)"[^>]* stroke="(#[0-9a-f]{6})"/g)];
    expect(paths.map((path) => path[1]).sort()).toEqual(['12-12', 'Gear 1', 'Gear 2']);
    for (const path of paths) expect(count(path[2]!, /[ML]/g)).toBe(3);
    expect(new Set(paths.map((path) => path[3])).size).toBe(3);
  });

  it('draws a marker and its label for each marked point, and says what markers mean in the legend', () => {
    expect(count(svg, /<path class="marker"/g)).toBe(2);
    expect(svg).toMatch(/>1<\/text>/);
    expect(svg).toMatch(/>2<\/text>/);
    expect(svg).toContain('>switch after round n</text>');
  });

  it('labels the axes, the title and every series, escaping XML characters', () => {
    expect(svg).toContain('>Accuracy &lt;by&gt; round &amp; more</text>');
    expect(svg).toContain('>round</text>');
    expect(svg).toContain('>test accuracy</text>');
    for (const label of ['12-12', 'Gear 1', 'Gear 2']) expect(svg).toContain(`>${label}</text>`);
    expect(svg).toContain('>70%</text>');
  });

  it('puts ticks on whole rounds only', () => {
    const ticks = [...svg.matchAll(/text-anchor="middle" fill="#444">([^<]*)</g)].map((match) => match[1]);
    expect(ticks.length).toBeGreaterThan(1);
    for (const tick of ticks) expect(tick).toMatch(/^\d+$/);
  });

  it('keeps marker labels apart when their points are close', () => {
    const close: LineChart = {
      ...chart,
      series: chart.series.map((series, i) => ({ ...series, markers: [{ x: 2, y: 0.5 + i * 0.001, label: `label ${i}` }] })),
    };
    const boxes = [...lineChartSvg(close).matchAll(/<text x="([\d.]+)" y="([\d.]+)"[^>]*font-size="11"[^>]*>label/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(boxes).toHaveLength(3);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) expect(Math.abs(boxes[i]![1]! - boxes[j]![1]!)).toBeGreaterThanOrEqual(14);
    }
  });

  it('repeats the palette with dashed lines past ten series', () => {
    const many: LineChart = { ...chart, series: Array.from({ length: SERIES_COLOURS.length + 1 }, (_, i) => ({ label: `run ${i}`, points: [{ x: 1, y: i / 20 }], markers: [] })) };
    expect(count(lineChartSvg(many), /stroke-dasharray/g)).toBe(2);
  });

  it('refuses a chart without points and a size too small to lay out', () => {
    expect(() => lineChartSvg({ ...chart, title: 'empty', series: [] })).toThrow('a chart must have at least one point, but "empty" has none.');
    expect(() => lineChartSvg(chart, { width: 200, height: 500 })).toThrow('the chart size must be whole pixels of at least 300x200, but got 200x500.');
  });
});
