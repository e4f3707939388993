// report/export — pure pieces of exporting charts: compiling, format names, safety checks.
// compileChart (compile.ts) loads vega-lite; the CLI imports it only when it renders, so commands
// that draw nothing start without it. The async SVG rendering, PNG rasterising and file writes live in cli/render (tidy: no Promises here).
import type { TopLevelSpec } from 'vega-lite';
import { fitSpec } from '../charts/fit.js';

export const FORMATS = ['svg', 'png', 'html'] as const;
export type Format = (typeof FORMATS)[number];

/** `svg,png,html` → formats in canonical order; the unknown names are returned for an error message. */
export function parseFormats(text: string): { formats: Format[]; unknown: string[] } {
  const asked = text
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
  const unknown = asked.filter((s) => !(FORMATS as readonly string[]).includes(s));
  return { formats: FORMATS.filter((f) => asked.includes(f)), unknown };
}

/** The Vega-Lite file as written (after fitSpec, as drawn): stable key order from the builder, two-space indent. */
export function specJson(spec: TopLevelSpec): string {
  return `${JSON.stringify(fitSpec(spec), null, 2)}\n`;
}

/**
 * Defence in depth for inline SVG/HTML: data from topology files is escaped by vega and by the
 * HTML builder; if a raw <script> ever appeared, refuse to write the file.
 */
export function assertInert(markup: string, what: string): void {
  if (/<\s*script\b/i.test(markup)) throw new Error(`${what}: refusing to write markup containing <script>`);
}
