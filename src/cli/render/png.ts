import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';

/** Debian's fonts-dejavu-core: the font the charts name first (see report/charts/common.ts). */
const DEJAVU = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
const FONT_DIRS = ['/usr/share/fonts', '/usr/local/share/fonts'];

function anyFontIn(dir: string, depth = 0): boolean {
  if (depth > 4 || !existsSync(dir)) return false;
  try {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isFile() && /\.(ttf|otf|ttc)$/i.test(entry.name)) return true;
      if (entry.isDirectory() && anyFontIn(join(dir, entry.name), depth + 1)) return true;
    }
  } catch {
    return false;
  }
  return false;
}

/** Whether PNGs will have their text: resvg draws no glyphs without a font. */
export function fontsAvailable(): boolean {
  return existsSync(DEJAVU) || FONT_DIRS.some((d) => anyFontIn(d));
}

/** SVG → PNG at twice the SVG's size (sharp on high-density screens and in slides), white background. */
/** Pixels a PNG may have (at 2× zoom): a chart is ~2000×1000; a hand-edited document with
 * times far outside its run once made a 12-million-pixel-wide SVG that took minutes to raster. */
export const PNG_MAX_PIXELS = 50_000_000;

/** Why `svg` is too large to rasterise, or null when it is not. */
export function pngTooLarge(svg: string): string | null {
  const size = /<svg\b[^>]*\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"/.exec(svg);
  const pixels = size ? Number(size[1]) * Number(size[2]) * 4 : 0;
  return pixels > PNG_MAX_PIXELS ? `the chart is ${size?.[1]}×${size?.[2]} px, too large to rasterise (over ${PNG_MAX_PIXELS / 1e6} M pixels at 2×)` : null;
}

export function svgToPng(svg: string): Uint8Array {
  const tooLarge = pngTooLarge(svg);
  if (tooLarge !== null) throw new Error(tooLarge);
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: 2 },
    font: {
      loadSystemFonts: true,
      ...(existsSync(DEJAVU) ? { fontFiles: [DEJAVU] } : {}),
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
  });
  return resvg.render().asPng();
}
