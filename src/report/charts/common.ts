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

/**
 * Shared look. Fonts name DejaVu Sans first because the PNG rasteriser has no browser font
 * fallback; browsers fall through to their own sans-serif.
 */
export const CHART_CONFIG = {
  font: 'DejaVu Sans, Helvetica, Arial, sans-serif',
  background: 'white',
  padding: 12,
  title: { fontSize: 15, subtitleFontSize: 11, subtitleColor: '#555', anchor: 'start', offset: 12 },
  axis: { labelFontSize: 11, titleFontSize: 12, labelLimit: 220 },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 320 },
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
