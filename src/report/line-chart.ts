/**
 * A line chart with labelled point markers, written as SVG by hand.
 *
 * Why not a chart library: what fedgear draws is a handful of polylines, triangles and text, and
 * the hard part is layout (a legend that never covers data, marker labels that never overlap).
 * vega + vega-lite do render SVG in Node, but bring 27 vega modules and their d3 dependencies,
 * only estimate text widths unless the native `canvas` package is installed, and keep labels
 * apart only through vega's `label` transform, which vega-lite does not expose. A couple of
 * hundred lines here give a deterministic file with one `<path class="series">` per line and one
 * `<path class="marker">` per marker, that tests can count and resvg can turn into PNG.
 */
import { niceTicks, type NiceScale } from './nice-ticks.js';

/**
 * What a line chart shows: series of points, the axes' words and how their ticks print.
 *
 * @example
 * const chart: LineChart = {
 *   title: 'Test accuracy by round', xLabel: 'round', yLabel: 'test accuracy', xInteger: true,
 *   formatY: (y) => `${Math.round(y * 100)}%`,
 *   series: [{ label: 'Gear 2', points: [{ x: 1, y: 0.3 }, { x: 2, y: 0.4 }, { x: 3, y: 0.6 }], markers: [{ x: 2, y: 0.4, label: '2' }] }],
 *   markerLegend: 'switch, after round n',
 * };
 */
export interface LineChart {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly LineSeries[];
  /** Whole-number ticks on x (rounds). */
  readonly xInteger?: boolean;
  readonly formatX?: (x: number) => string;
  readonly formatY?: (y: number) => string;
  /** The legend's words for the triangle marker; no legend entry when absent. */
  readonly markerLegend?: string;
}

/**
 * One line of a chart. Solid series are drawn first to last with earlier ones on top, then the
 * dashed ones over them.
 *
 * @example
 * const series: LineSeries = { label: '12-6', points: [{ x: 1, y: 0.31 }], markers: [] };
 */
export interface LineSeries {
  readonly label: string;
  readonly points: readonly ChartPoint[];
  /** Points to mark with a triangle and a short label, e.g. where a staged run switched. */
  readonly markers: readonly ChartMarker[];
  /** Drawn dashed and on top: a line that repeats another (a replayed policy) stays visible. */
  readonly dashed?: boolean;
}

/**
 * A point in data units.
 *
 * @example
 * const point: ChartPoint = { x: 40, y: 0.62 };
 */
export interface ChartPoint {
  readonly x: number;
  readonly y: number;
}

/**
 * A marked point and its label.
 *
 * @example
 * const marker: ChartMarker = { x: 40, y: 0.62, label: '40' };
 */
export interface ChartMarker extends ChartPoint {
  readonly label: string;
}

/**
 * Tableau 10: ten hues that stay apart on white and for most colour-blind readers. Past ten
 * series the hues repeat with a dotted line.
 *
 * @example
 * SERIES_COLOURS[0]; // "#4e79a7"
 */
export const SERIES_COLOURS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

/** The font stack: DejaVu Sans is what the PNG renderer is given (see svg-to-png.ts). */
const FONT = 'DejaVu Sans, Verdana, Arial, Helvetica, sans-serif';
const FONT_SIZE = 12;
const TITLE_SIZE = 16;
const MARKER_LABEL_SIZE = 11;
/** DejaVu Sans glyphs average about 0.6 em; layout only needs an upper estimate. */
const CHAR_WIDTH = 0.62;

/**
 * The chart as a standalone SVG document of the given size in pixels. The legend stands right of
 * the plot, so it never hides a line; marker labels go above their marker, moved up or below
 * when they would overlap another label.
 *
 * @example
 * writeFileSync('chart.svg', lineChartSvg(chart, { width: 900, height: 500 }));
 */
export function lineChartSvg(chart: LineChart, size: { width: number; height: number } = { width: 900, height: 500 }): string {
  const { width, height } = size;
  if (!(Number.isInteger(width) && width >= 300 && Number.isInteger(height) && height >= 200)) {
    throw new Error(`the chart size must be whole pixels of at least 300x200, but got ${width}x${height}.`);
  }
  const points = chart.series.flatMap((series) => series.points);
  if (points.length === 0) throw new Error(`a chart must have at least one point, but "${chart.title}" has none.`);
  const formatX = chart.formatX ?? String;
  const formatY = chart.formatY ?? String;

  const legendLabels = chart.series.map((series) => series.label);
  if (chart.markerLegend !== undefined) legendLabels.push(chart.markerLegend);
  const legendWidth = Math.min(width * 0.35, 40 + Math.max(...legendLabels.map((label) => textWidth(label, FONT_SIZE))));

  const top = 48;
  const bottom = height - 52;
  const yScale = niceTicks(Math.min(...points.map((p) => p.y)), Math.max(...points.map((p) => p.y)), Math.max(2, Math.round((bottom - top) / 60)));
  const left = 28 + Math.max(...yScale.ticks.map((tick) => textWidth(formatY(tick), FONT_SIZE))) + 10;
  const right = width - legendWidth - 24;
  const xScale = niceTicks(Math.min(0, ...points.map((p) => p.x)), Math.max(...points.map((p) => p.x)), Math.max(2, Math.round((right - left) / 90)), {
    integer: chart.xInteger === true,
  });
  const px = (x: number) => left + ((x - xScale.min) / (xScale.max - xScale.min)) * (right - left);
  const py = (y: number) => bottom - ((y - yScale.min) / (yScale.max - yScale.min)) * (bottom - top);

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" font-size="${FONT_SIZE}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${left}" y="28" font-size="${TITLE_SIZE}" font-weight="bold" fill="#222">${escapeXml(chart.title)}</text>`,
    ...axes(xScale, yScale, { left, right, top, bottom, px, py, formatX, formatY }),
    `<text x="${n((left + right) / 2)}" y="${height - 12}" text-anchor="middle" fill="#333">${escapeXml(chart.xLabel)}</text>`,
    `<text transform="translate(16 ${n((top + bottom) / 2)}) rotate(-90)" text-anchor="middle" fill="#333">${escapeXml(chart.yLabel)}</text>`,
  ];

  // Solid lines backwards, so that the first lie on top: a staged run shares its first rounds
  // with the small-only run listed before it, and should show only where it leaves that line.
  const order = [...chart.series.entries()].reverse().sort(([, a], [, b]) => Number(a.dashed === true) - Number(b.dashed === true));
  for (const [index, series] of order) {
    const d = series.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${n(px(p.x))} ${n(py(p.y))}`).join('');
    out.push(`<path class="series" data-label="${escapeXml(series.label)}" d="${d}" fill="none" ${stroke(index, series.dashed === true)} stroke-width="2" stroke-linejoin="round"/>`);
  }

  const placed: Box[] = [];
  chart.series.forEach((series, index) => {
    for (const marker of series.markers) {
      const x = px(marker.x);
      const y = py(marker.y);
      out.push(`<path class="marker" d="${triangle(x, y, 6)}" fill="${colour(index)}" stroke="#ffffff" stroke-width="1.5"/>`);
      const box = placeLabel(marker.label, x, y, placed, { left, right, top, bottom });
      placed.push(box);
      out.push(
        `<text x="${n(box.x + box.width / 2)}" y="${n(box.y + box.height - 2)}" text-anchor="middle" font-size="${MARKER_LABEL_SIZE}" font-weight="bold" fill="${darken(colour(index))}" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">${escapeXml(marker.label)}</text>`,
      );
    }
  });

  const legendX = right + 24;
  chart.series.forEach((series, index) => {
    const y = top + 8 + index * 20;
    out.push(`<line x1="${n(legendX)}" y1="${y}" x2="${n(legendX + 24)}" y2="${y}" ${stroke(index, series.dashed === true)} stroke-width="2.5"/>`);
    out.push(`<text x="${n(legendX + 32)}" y="${y + 4}" fill="#222">${escapeXml(fit(series.label, legendWidth - 40))}</text>`);
  });
  if (chart.markerLegend !== undefined) {
    const y = top + 8 + chart.series.length * 20 + 8;
    out.push(`<path d="${triangle(legendX + 12, y, 6)}" fill="#555555"/>`);
    out.push(`<text x="${n(legendX + 32)}" y="${y + 4}" fill="#222">${escapeXml(fit(chart.markerLegend, legendWidth - 40))}</text>`);
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

interface Frame {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

function axes(
  xScale: NiceScale,
  yScale: NiceScale,
  frame: Frame & { px: (x: number) => number; py: (y: number) => number; formatX: (x: number) => string; formatY: (y: number) => string },
): string[] {
  const { left, right, top, bottom, px, py } = frame;
  const lines: string[] = [];
  for (const tick of yScale.ticks) {
    const y = n(py(tick));
    lines.push(`<line x1="${n(left)}" y1="${y}" x2="${n(right)}" y2="${y}" stroke="#e4e4e4"/>`);
    lines.push(`<text x="${n(left - 8)}" y="${n(py(tick) + 4)}" text-anchor="end" fill="#444">${escapeXml(frame.formatY(tick))}</text>`);
  }
  for (const tick of xScale.ticks) {
    const x = n(px(tick));
    lines.push(`<line x1="${x}" y1="${n(bottom)}" x2="${x}" y2="${n(bottom + 5)}" stroke="#444"/>`);
    lines.push(`<text x="${x}" y="${n(bottom + 19)}" text-anchor="middle" fill="#444">${escapeXml(frame.formatX(tick))}</text>`);
  }
  lines.push(`<path d="M${n(left)} ${n(top)}V${n(bottom)}H${n(right)}" fill="none" stroke="#444"/>`);
  return lines;
}

/**
 * Above the marker if free, else further up, else below, else the first spot: a greedy search
 * that is enough for the few switch labels of a comparison.
 */
function placeLabel(label: string, x: number, y: number, placed: readonly Box[], frame: Frame): Box {
  const width = textWidth(label, MARKER_LABEL_SIZE) + 4;
  const height = MARKER_LABEL_SIZE + 3;
  const offsets = [-10 - height, -10 - 2 * height, -10 - 3 * height, 10, 10 + height, 10 + 2 * height];
  const boxes = offsets.map((offset) => ({
    x: clamp(x - width / 2, frame.left + 2, frame.right - width - 2),
    y: clamp(y + offset, frame.top, frame.bottom - height),
    width,
    height,
  }));
  return boxes.find((box) => !placed.some((other) => overlaps(box, other))) ?? boxes[0]!;
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}

function textWidth(text: string, fontSize: number): number {
  return text.length * fontSize * CHAR_WIDTH;
}

/** The text, cut with an ellipsis where it would pass `room` pixels. */
function fit(text: string, room: number): string {
  const chars = Math.floor(room / (FONT_SIZE * CHAR_WIDTH));
  return text.length <= chars ? text : `${text.slice(0, Math.max(1, chars - 1))}…`;
}

function triangle(x: number, y: number, r: number): string {
  return `M${n(x)} ${n(y - r)}L${n(x + r * 0.9)} ${n(y + r * 0.6)}L${n(x - r * 0.9)} ${n(y + r * 0.6)}Z`;
}

function colour(index: number): string {
  return SERIES_COLOURS[index % SERIES_COLOURS.length]!;
}

/** Two thirds of each channel: light hues (the yellow) stay legible as text on white. */
function darken(hex: string): string {
  const channels = [1, 3, 5].map((at) => Math.round((parseInt(hex.slice(at, at + 2), 16) * 2) / 3));
  return `#${channels.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

function stroke(index: number, dashed: boolean): string {
  const dash = dashed ? ' stroke-dasharray="7 4"' : index >= SERIES_COLOURS.length ? ' stroke-dasharray="2 3"' : '';
  return `stroke="${colour(index)}"${dash}`;
}

/** One decimal is below a pixel and keeps the file small. */
function n(value: number): string {
  return String(Math.round(value * 10) / 10);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
