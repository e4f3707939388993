/**
 * The last pass over every chart spec before it is written or drawn (report/export specJson and
 * compileChart): whatever built the spec (report/charts, a demo), the chart uses the width it is
 * given and no text is smaller than MIN_FONT_PX. Pure: returns a new spec, the input is untouched.
 */
import type { TopLevelSpec } from 'vega-lite';
import { MIN_FONT_PX, PLOT_WIDTH } from './common.js';

const FONT_KEYS = new Set(['fontSize', 'labelFontSize', 'titleFontSize', 'subtitleFontSize']);
/** Room the y axis, its title and the padding take beside the plot (px). */
const AXIS_ROOM = 90;
/** Average advance of a DejaVu Sans character as a fraction of the font size (measured: ~0.55 for text, ~0.62 bold). */
const CHAR_EM = 0.58;

/** `text` broken at spaces into lines of at most `max` characters (a longer word keeps its own line). */
export function wrapLine(text: string, max: number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const word of text.split(' ')) {
    if (cur !== '' && cur.length + 1 + word.length > max) {
      lines.push(cur);
      cur = word;
    } else cur = cur === '' ? word : `${cur} ${word}`;
  }
  if (cur !== '') lines.push(cur);
  return lines;
}

/** Every font size below MIN_FONT_PX raised to it, anywhere in the spec (marks, axes, legends, config). */
function floorFonts(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(floorFonts);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = FONT_KEYS.has(k) && typeof v === 'number' && v < MIN_FONT_PX ? MIN_FONT_PX : floorFonts(v);
  return out;
}

function wrapTitle(title: unknown, chartWidth: number): unknown {
  if (title === null || typeof title !== 'object' || Array.isArray(title)) return title;
  const t = title as { text?: unknown; subtitle?: unknown };
  const lines = (v: unknown, px: number): unknown => {
    const max = Math.floor(chartWidth / (px * CHAR_EM));
    if (typeof v === 'string') return v.length > max ? wrapLine(v, max) : v;
    if (Array.isArray(v)) return v.flatMap((l) => (typeof l === 'string' ? wrapLine(l, max) : [l]));
    return v;
  };
  // The title is bold and larger (17 px); subtitles are 13 px.
  return { ...t, text: lines(t.text, 17 * 1.08), ...(t.subtitle === undefined ? {} : { subtitle: lines(t.subtitle, MIN_FONT_PX + 1) }) };
}

/**
 * A single view narrower than PLOT_WIDTH is widened to it; title and subtitle lines are wrapped to
 * the chart's width (a long subtitle used to widen the SVG to 1300 px around a 320 px plot); every
 * font size is at least MIN_FONT_PX.
 */
export function fitSpec(spec: TopLevelSpec): TopLevelSpec {
  const s = floorFonts(spec) as Record<string, unknown>;
  const single = !('facet' in s) && !('hconcat' in s) && !('vconcat' in s) && !('concat' in s) && !('repeat' in s);
  if (single && typeof s.width === 'number' && s.width < PLOT_WIDTH) s.width = PLOT_WIDTH;
  const plot = typeof s.width === 'number' ? s.width : PLOT_WIDTH;
  if ('title' in s) s.title = wrapTitle(s.title, plot + AXIS_ROOM);
  return s as unknown as TopLevelSpec;
}
