/**
 * A demo's files: the charts and report.html of each of its runs and studies, its own charts, the
 * narration (demo.txt), the numbers (demo.json) and one report.html holding all of them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DemoOutput } from '../../demos/index.js';
import { playerReplay } from '../../demos/common.js';
import { playerFile } from './player.js';
import { availabilityCharts, runCharts, subtitle, type Chart } from '../../report/charts/index.js';
import { assertInert, specJson } from '../../report/export/index.js';
import { escapeHtml, reportHtml, type ReportChart } from '../../report/html/index.js';
import type { DemoDocument } from '../documents.js';
import { svgRenderer, writeReport } from './index.js';
import { fontsAvailable, svgToPng } from './png.js';
import { writeFilesAtomic, type OutputFile } from './write.js';

/** demo.json, and `zksim demo NAME --json`: the numbers behind the narration. */
export function demoDocument(demo: DemoOutput): DemoDocument {
  return { demo: demo.name, seed: demo.seed, version: demo.version, facts: demo.facts };
}

/**
 * The demo's files: each run and study in a subdirectory of its own through writeReport (its JSON,
 * charts and report.html), then the demo's own charts, demo.txt (the narration), demo.json (the
 * numbers) and one report.html that holds the narration, every chart and every table.
 */
export async function writeDemo(demo: DemoOutput, dir: string): Promise<string[]> {
  const formats = ['svg', 'png', 'html'] as const;
  const warnings = new Set<string>();
  const inReport: ReportChart[] = [];
  const tables = [...demo.tables];
  const sub = async (name: string, charts: Chart[], written: Promise<{ warnings: string[] }>): Promise<void> => {
    const r = await written;
    for (const w of r.warnings) warnings.add(w);
    for (const c of charts) {
      const svg = readFileSync(join(dir, name, `${c.name}.svg`), 'utf8');
      const files = [`${name}/${c.name}.svg`, `${name}/${c.name}.png`, `${name}/${c.name}.vl.json`, `${name}/report.html`];
      inReport.push({ name: `${name}-${c.name}`, title: `${c.title}`, svg, files });
    }
  };
  for (const s of demo.studies) {
    const json = `${JSON.stringify(s.doc, null, 2)}\n`;
    const charts = availabilityCharts(s.doc);
    await sub(s.name, charts, writeReport({ kind: 'availability', doc: s.doc }, { dir: join(dir, s.name), formats, extra: [{ name: 'availability.json', data: json }] }));
  }
  for (const r of demo.runs) {
    const json = `${JSON.stringify(r.doc, null, 2)}\n`;
    const charts = runCharts(r.doc);
    // player.html beside the run's report, for the runs demoRun made (it kept their messages)
    const replay = playerReplay(r.doc);
    const player = replay ? [playerFile({ doc: r.doc, ...replay })] : [];
    await sub(r.name, charts, writeReport({ kind: 'run', doc: r.doc }, { dir: join(dir, r.name), formats, extra: [{ name: 'run.json', data: json }, ...player] }));
  }
  const files: OutputFile[] = [];
  const own: ReportChart[] = [];
  if (!fontsAvailable()) warnings.add('no fonts found: PNG charts have no text (install Debian fonts-dejavu-core); the SVG and HTML are unaffected');
  for (const c of demo.charts) {
    const svg = await (await svgRenderer())(c.spec, c.name);
    files.push({ name: `${c.name}.vl.json`, data: specJson(c.spec) });
    files.push({ name: `${c.name}.svg`, data: svg });
    files.push({ name: `${c.name}.png`, data: svgToPng(svg) });
    own.push({ name: c.name, title: c.title, svg, files: [`${c.name}.svg`, `${c.name}.png`, `${c.name}.vl.json`] });
  }
  const html = reportHtml({
    title: demo.title,
    subtitle: subtitle({ seed: demo.seed, version: demo.version, details: [`zksim demo ${demo.name}`] }),
    charts: [...own, ...inReport],
    tables,
  }).replace('</header>', `</header>\n<section id="narration"><h2>What it shows</h2><pre style="white-space: pre-wrap">${escapeHtml(demo.text)}</pre></section>`);
  assertInert(html, 'report.html');
  files.push({ name: 'report.html', data: html });
  files.push({ name: 'demo.txt', data: demo.text });
  files.push({ name: 'demo.json', data: `${JSON.stringify(demoDocument(demo), null, 2)}\n` });
  writeFilesAtomic(dir, files);
  return [...warnings];
}
