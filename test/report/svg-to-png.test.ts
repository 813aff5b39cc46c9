import { describe, expect, it } from 'vitest';
import { lineChartSvg } from '../../src/report/line-chart.js';
import { chartFonts, svgToPng } from '../../src/report/svg-to-png.js';

const svg = lineChartSvg({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ label: 'a', points: [{ x: 0, y: 0 }, { x: 1, y: 1 }], markers: [] }] }, { width: 600, height: 300 });

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): [number, number] {
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
}

describe('svgToPng', () => {
  it('renders a PNG at the SVG’s own size', () => {
    const png = svgToPng(svg);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(pngSize(png)).toEqual([600, 300]);
  });

  it('scales to a requested width, keeping the aspect ratio', () => {
    expect(pngSize(svgToPng(svg, { width: 1200 }))).toEqual([1200, 600]);
  });

  it('refuses to render when no font can draw the text', () => {
    expect(() => svgToPng(svg, { font: { loadSystemFonts: false, fontFiles: [] } })).toThrow(
      'a font for chart text must be installed (DejaVu Sans, e.g. Debian package fonts-dejavu-core), but resvg found none.',
    );
  });

  it('draws text with DejaVu Sans on machines of fedgear’s image', () => {
    expect(chartFonts()).toMatchObject({ loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' });
  });
});
