/**
 * Text widths for laying charts out without a canvas. Vega in Node guesses 0.8 em for every
 * character (vega-scenegraph estimateWidth), about 1.4× DejaVu Sans' real widths: titles and
 * legends reserved 1300 px around a 320 px plot, and axis labels were cut at half their room.
 * These are DejaVu Sans' advance widths (font units / 2048, from DejaVuSans.ttf's hmtx table),
 * grouped; the rasteriser and report.html both draw in DejaVu Sans first (common.ts CHART_CONFIG).
 */

/** Advance width in em of characters that are not ~0.62 em. */
const EM: ReadonlyArray<readonly [string, number]> = [
  [' .,:;|!\'il', 0.3],
  ['fjtI()[]J-', 0.38],
  ['r"/\\', 0.42],
  ['*sz', 0.52],
  ['cLkvxy', 0.57],
  ['0123456789abdeghnopqu$#_?', 0.63],
  ['EFTYPSZ', 0.63],
  ['ABKRVXC', 0.69],
  ['GOQDUNH', 0.77],
  ['w', 0.82],
  ['=+×−≈≥≤<>~', 0.84],
  ['M', 0.86],
  ['%mW', 0.97],
  ['—', 1.0],
  ['–', 0.5],
];
const WIDTH = new Map<string, number>(EM.flatMap(([chars, em]) => [...chars].map((c) => [c, em] as const)));
/** Everything else (other letters, symbols): a lowercase letter's width, erring wide. */
const DEFAULT_EM = 0.65;
/** DejaVu Sans Bold is about 12% wider. */
const BOLD = 1.12;

/** Width in px of `text` at `fontSize` px; `bold` for DejaVu Sans Bold. */
export function textWidthPx(text: string, fontSize: number, bold = false): number {
  let em = 0;
  for (const c of text) em += WIDTH.get(c) ?? DEFAULT_EM;
  return em * fontSize * (bold ? BOLD : 1);
}

/** A vega text item's font size (vega's default 11) and weight. */
interface TextItem {
  readonly fontSize?: number | string;
  readonly fontWeight?: number | string;
  readonly limit?: number;
  readonly ellipsis?: string;
}

/**
 * `vega.textMetrics.width` for headless rendering (cli/render/svg.ts installs it): the signature
 * vega-scenegraph calls, (item, text) → px.
 */
export function vegaTextWidth(item: TextItem, text: unknown): number {
  const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
  const bold = item.fontWeight === 'bold' || Number(item.fontWeight) >= 600;
  const s = text == null ? '' : String(text).trim();
  const full = textWidthPx(s, size, bold);
  const limit = item.limit ?? 0;
  if (!(limit > 0) || full <= limit) return full;
  // Vega measures the drawn (truncated) text, as its own estimateWidth does through textValue.
  const ellipsis = item.ellipsis ?? '…';
  let chars = [...s];
  while (chars.length > 0 && textWidthPx(chars.join('') + ellipsis, size, bold) > limit) chars = chars.slice(0, -1);
  return textWidthPx(chars.join('') + ellipsis, size, bold);
}
