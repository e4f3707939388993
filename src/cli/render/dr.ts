/**
 * `zksim dr --out DIR`: dr.json and the drill's charts (report/charts/dr.ts, the run timeline, or
 * the RTO/RPO CDFs), each as .vl.json, .svg and .png, written all or nothing (write.ts).
 */
import type { Chart } from '../../report/charts/index.js';
import type { DrDocument } from '../../report/dr-json.js';
import { specJson } from '../../report/export/index.js';
import { svgRenderer } from './index.js';
import { fontsAvailable, pngTooLarge, svgToPng } from './png.js';
import { writeFilesAtomic, type OutputFile } from './write.js';

/** Write the document and the charts into `dir`; returns warnings (no fonts, a PNG too large). */
export async function writeDrFiles(doc: DrDocument, charts: readonly Chart[], dir: string): Promise<string[]> {
  const warnings: string[] = [];
  if (!fontsAvailable()) warnings.push('no fonts found: PNG charts have no text (install Debian fonts-dejavu-core); the SVG is unaffected');
  const files: OutputFile[] = [{ name: 'dr.json', data: `${JSON.stringify(doc, null, 2)}\n` }];
  const render = await svgRenderer();
  for (const chart of charts) {
    const svg = await render(chart.spec, chart.name);
    files.push({ name: `${chart.name}.vl.json`, data: specJson(chart.spec) }, { name: `${chart.name}.svg`, data: svg });
    const tooLarge = pngTooLarge(svg);
    if (tooLarge !== null) warnings.push(`${chart.name}.png not written: ${tooLarge}`);
    else files.push({ name: `${chart.name}.png`, data: svgToPng(svg) });
  }
  writeFilesAtomic(dir, files);
  return warnings;
}
