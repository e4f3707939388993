/**
 * `zksim alerts study|tune --out DIR`: the JSON document and its chart (report/charts/alerts.ts)
 * as .vl.json, .svg and .png, written all or nothing (write.ts), as render/plan.ts does.
 */
import type { AlertStudy } from '../../montecarlo/alert-study-stats.js';
import type { TuneResult } from '../../montecarlo/alert-study-tune.js';
import { studyChart, tuneChart } from '../../report/charts/alerts.js';
import { specJson } from '../../report/export/index.js';
import { svgRenderer } from './index.js';
import { fontsAvailable, pngTooLarge, svgToPng } from './png.js';
import { writeFilesAtomic, type OutputFile } from './write.js';

export type AlertDocument = { readonly kind: 'study'; readonly doc: AlertStudy & { readonly version: string } } | { readonly kind: 'tune'; readonly doc: TuneResult & { readonly version: string } };

/** Write the document and its chart into `dir`; returns warnings (no fonts, a PNG too large). */
export async function writeAlertCharts(what: AlertDocument, dir: string): Promise<string[]> {
  const warnings: string[] = [];
  if (!fontsAvailable()) warnings.push('no fonts found: PNG charts have no text (install Debian fonts-dejavu-core); the SVG is unaffected');
  const chart = what.kind === 'study' ? studyChart(what.doc) : tuneChart(what.doc);
  const files: OutputFile[] = [{ name: `${chart.name}.json`, data: `${JSON.stringify(what.doc, null, 2)}\n` }, { name: `${chart.name}.vl.json`, data: specJson(chart.spec) }];
  const svg = await (await svgRenderer())(chart.spec, chart.name);
  files.push({ name: `${chart.name}.svg`, data: svg });
  const tooLarge = pngTooLarge(svg);
  if (tooLarge !== null) warnings.push(`${chart.name}.png not written: ${tooLarge}`);
  else files.push({ name: `${chart.name}.png`, data: svgToPng(svg) });
  writeFilesAtomic(dir, files);
  return warnings;
}
