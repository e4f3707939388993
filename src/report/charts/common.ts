import type { TopLevelSpec } from 'vega-lite';

/** A chart ready to export: `name` is the file stem (`name.vl.json`, `name.svg`, `name.png`). */
export interface Chart {
  readonly name: string;
  readonly title: string;
  readonly spec: TopLevelSpec;
}

/** What every chart states about where its numbers came from (the subtitle). */
export interface ChartMeta {
  readonly seed: string;
  readonly version: string;
  readonly experiment?: string | undefined;
  readonly topology?: string | undefined;
  /** extra facts for the subtitle, e.g. "2000 runs × 1 y" */
  readonly details?: readonly string[] | undefined;
}

/** One subtitle line: seed, experiment or topology, extra details, version. */
export function subtitle(meta: ChartMeta): string {
  const parts = [`seed ${meta.seed}`];
  if (meta.experiment !== undefined && meta.experiment !== '') parts.push(`experiment ${meta.experiment}`);
  if (meta.topology !== undefined && meta.topology !== '') parts.push(`topology ${meta.topology}`);
  parts.push(...(meta.details ?? []));
  parts.push(`zksim ${meta.version}`);
  return parts.join(' · ');
}

/** The units a duration axis can read in, smallest first (ms per unit). */
const AXIS_UNITS: readonly (readonly [string, number])[] = [
  ['ms', 1],
  ['s', 1_000],
  ['min', 60_000],
  ['h', 3_600_000],
  ['d', 86_400_000],
];

/**
 * The unit a duration axis reads in, from the largest value it shows (ms): the largest unit of
 * which the value is at least two, so the axis numbers stay short and whole (1.5 s → ms, 0–1500;
 * 61 s → s; 3 min → min; 26 h → h). Returns the unit's name and its size in ms. 0, negative or
 * non-finite → ms.
 */
export function durationAxisUnit(maxMs: number): { readonly name: string; readonly ms: number } {
  let unit = AXIS_UNITS[0] as readonly [string, number];
  for (const u of AXIS_UNITS) if (Number.isFinite(maxMs) && maxMs >= 2 * u[1]) unit = u;
  return { name: unit[0], ms: unit[1] };
}

/** Smallest text any chart draws, in CSS px at 100% zoom (test/e2e/charts-browser.test.ts measures it). */
export const MIN_FONT_PX = 12;

/**
 * Width of a chart's plot area in px: with the axis and its title (~70 px) and the padding, a chart
 * is ~790 px, which fits report.html's column (max 1200 px) unscaled, so 12 px text stays 12 px.
 */
export const PLOT_WIDTH = 700;

/**
 * Shared look. Fonts name DejaVu Sans first because the PNG rasteriser has no browser font
 * fallback; browsers fall through to their own sans-serif. Legends go under the plot: beside it
 * they took a third of the width from the data.
 */
export const CHART_CONFIG = {
  font: 'DejaVu Sans, Helvetica, Arial, sans-serif',
  background: 'white',
  padding: 12,
  title: { fontSize: 17, subtitleFontSize: MIN_FONT_PX + 1, subtitleColor: '#444', anchor: 'start', offset: 12 },
  axis: { labelFontSize: MIN_FONT_PX + 1, titleFontSize: 14, labelLimit: 260, labelSeparation: 6 },
  legend: { labelFontSize: MIN_FONT_PX + 1, titleFontSize: 14, labelLimit: 330, orient: 'bottom', direction: 'horizontal', columns: 2, columnPadding: 24, symbolSize: 140 },
  header: { labelFontSize: 14, titleFontSize: 14 },
  text: { fontSize: MIN_FONT_PX + 1 },
  view: { stroke: null },
} as const;

/** Largest nines shown: unavailability below 1e-9 (or exactly 0) is drawn as 9 nines. */
export const MAX_NINES = 9;

/** Nines of an availability: −log10(1 − a), capped at MAX_NINES (no downtime seen ⇒ the cap). */
export function nines(availability: number): number {
  if (!Number.isFinite(availability)) return 0;
  const unavailability = 1 - availability;
  if (unavailability <= 10 ** -MAX_NINES) return MAX_NINES;
  return Math.max(0, -Math.log10(unavailability));
}

/** An availability as a percentage with enough digits to tell 99.9% from 99.99%. */
export function percent(availability: number): string {
  if (!Number.isFinite(availability)) return 'n/a';
  if (availability >= 1) return '100%';
  const digits = Math.min(7, Math.max(1, Math.ceil(nines(availability)) - 1));
  const text = `${(availability * 100).toFixed(digits)}%`;
  // "100.0000000%" would claim no downtime: say how much there is instead.
  return text.startsWith('100') ? `1 − ${(1 - availability).toExponential(1)}` : text;
}

/** Round for chart data: keeps JSON small and deterministic without losing what a chart can show. */
export function round(v: number, digits = 6): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
