/**
 * `zksim plan --out DIR`: plan.json and the plan charts (report/charts/plan.ts), each as
 * .vl.json, .svg and .png, written all or nothing (write.ts).
 */
import { planCharts } from '../../report/charts/plan.js';
import { specJson } from '../../report/export/index.js';
import type { PlanDocument } from '../../report/plan-json.js';
import { svgRenderer } from './index.js';
import { fontsAvailable, pngTooLarge, svgToPng } from './png.js';
import { writeFilesAtomic, type OutputFile } from './write.js';

/** Write the document and its charts into `dir`; returns warnings (no fonts, a PNG too large). */
export async function writePlanCharts(doc: PlanDocument, dir: string): Promise<string[]> {
  const warnings: string[] = [];
  if (!fontsAvailable()) warnings.push('no fonts found: PNG charts have no text (install Debian fonts-dejavu-core); the SVG is unaffected');
  const files: OutputFile[] = [{ name: 'plan.json', data: `${JSON.stringify(doc, null, 2)}\n` }];
  const render = await svgRenderer();
  for (const chart of planCharts(doc)) {
    files.push({ name: `${chart.name}.vl.json`, data: specJson(chart.spec) });
    const svg = await render(chart.spec, chart.name);
    files.push({ name: `${chart.name}.svg`, data: svg });
    const tooLarge = pngTooLarge(svg);
    if (tooLarge !== null) warnings.push(`${chart.name}.png not written: ${tooLarge}`);
    else files.push({ name: `${chart.name}.png`, data: svgToPng(svg) });
  }
  writeFilesAtomic(dir, files);
  return warnings;
}
