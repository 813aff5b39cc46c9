import { existsSync } from 'node:fs';
import { Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';

/**
 * Where Linux distributions put DejaVu Sans (Debian/Ubuntu, Fedora, Arch). fedgear's machines
 * and CI (Debian images with fonts-dejavu-core) have the first; giving resvg these files instead
 * of scanning every system font makes the PNG the same on every such machine, and fast.
 */
const DEJAVU_DIRECTORIES = ['/usr/share/fonts/truetype/dejavu', '/usr/share/fonts/dejavu', '/usr/share/fonts/TTF'];
const DEJAVU_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'];

/**
 * The fonts a chart's text is drawn with: DejaVu Sans where the system has it in a known place,
 * otherwise whatever fonts the system has (macOS, Windows), which the SVG's font stack names too.
 *
 * @example
 * chartFonts(); // { loadSystemFonts: false, fontFiles: ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', …], defaultFontFamily: 'DejaVu Sans' }
 */
export function chartFonts(): NonNullable<ResvgRenderOptions['font']> {
  for (const directory of DEJAVU_DIRECTORIES) {
    const files = DEJAVU_FILES.map((file) => `${directory}/${file}`).filter((file) => existsSync(file));
    if (files.length > 0) return { loadSystemFonts: false, fontFiles: files, defaultFontFamily: 'DejaVu Sans' };
  }
  return { loadSystemFonts: true };
}

/**
 * Renders an SVG document to PNG at its own size (or scaled to `width` pixels), on white.
 * Refuses to produce a picture whose text would silently be missing because no font was found.
 *
 * @example
 * writeFileSync('chart.png', svgToPng(lineChartSvg(chart)));
 */
export function svgToPng(svg: string, options: { width?: number; font?: ResvgRenderOptions['font'] } = {}): Buffer {
  const font = options.font ?? chartFonts();
  // resvg drops text it has no glyphs for: a text-only document then has no bounding box.
  const probe = new Resvg('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><text x="0" y="15">Ag</text></svg>', { font });
  if (probe.getBBox() === undefined) {
    throw new Error('a font for chart text must be installed (DejaVu Sans, e.g. Debian package fonts-dejavu-core), but resvg found none.');
  }
  const fitTo: ResvgRenderOptions['fitTo'] = options.width === undefined ? { mode: 'original' } : { mode: 'width', value: options.width };
  return new Resvg(svg, { font, fitTo, background: '#ffffff', logLevel: 'off' }).render().asPng();
}
