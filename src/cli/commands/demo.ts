import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { formatConfigError } from '../../config/index.js';
import { parseExperiment } from '../../config/experiment.js';
import type { Experiment } from '../../model/experiment.js';
import type { Topology } from '../../model/index.js';
import { availabilityDocument, runStudies, type AvailabilityDocument } from '../../montecarlo/index.js';
import { availabilityCharts, runCharts, subtitle, type Chart } from '../../report/charts/index.js';
import { DEMOS, findDemo, type DemoInputs, type DemoOutput } from '../../demos/index.js';
import { assertInert, specJson } from '../../report/export/index.js';
import { escapeHtml, reportHtml, type ReportChart } from '../../report/html/index.js';
import { UserError } from '../errors.js';
import { loadTopology, makeDirectory, packageVersion, print, printError, readText } from '../io.js';
import { workerCount } from './availability.js';
import { seedOption } from '../options.js';
import { writeReport } from '../render/index.js';
import { fontsAvailable, svgToPng } from '../render/png.js';
import { renderSvg } from '../render/svg.js';
import { writeFilesAtomic, type OutputFile } from '../render/write.js';

interface DemoOptions {
  out?: string;
  seed: string;
  workers?: string;
}

/** A file shipped beside the package (dist/cli/commands → ../../..), not looked up in the cwd. */
function shipped(dir: 'topologies' | 'experiments', name: string): string {
  return fileURLToPath(new URL(`../../../${dir}/${name}.yaml`, import.meta.url));
}

function loadExperiment(name: string): Experiment {
  const file = shipped('experiments', name);
  const parsed = parseExperiment(readText(file, 'experiment'), file);
  if (!parsed.ok) throw new UserError(parsed.errors.map(formatConfigError).join('\n'));
  return parsed.experiment;
}

export function demoList(): string {
  const width = Math.max(...DEMOS.map((d) => d.name.length));
  return [
    'Interview demos: each narrates one question with the numbers behind every claim, and writes',
    'its charts and report.html to --out (default ./out/demo-NAME/).',
    '',
    ...DEMOS.map((d) => `  ${d.name.padEnd(width)}  ${d.summary}`),
    '',
    'Run one: zksim demo NAME [--out DIR] [--seed S]',
    '',
  ].join('\n');
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('narrated interview demos with charts: even-nodes, two-zones, split-brain, rolling-restart (no name: list them)')
    .argument('[name]', `one of: ${DEMOS.map((d) => d.name).join(', ')}`)
    .option('--out <dir>', 'where the charts, report.html, demo.txt and demo.json go (default ./out/demo-NAME/)')
    .option('--seed <seed>', 'root seed: the same seed prints the same output, byte for byte', '1')
    .option('--workers <n>', 'worker threads for the Monte Carlo parts (default: all cores); results do not depend on it')
    .addHelpText('after', '\nExamples:\n  zksim demo\n  zksim demo even-nodes\n  zksim demo two-zones --out /tmp/two-zones\n')
    .action((name: string | undefined, opts: DemoOptions) => demoCommand(name, opts));
}

async function demoCommand(name: string | undefined, opts: DemoOptions): Promise<void> {
  if (name === undefined) {
    print(demoList());
    return;
  }
  const demo = findDemo(name);
  if (!demo) throw new UserError(`demo ${JSON.stringify(name)}: no such demo; choose one of ${DEMOS.map((d) => d.name).join(', ')} (zksim demo lists them)`);
  const seed = seedOption(opts.seed);
  // A demo's studies run hundreds of trials or more: the cores are the cap that matters.
  const workers = workerCount(opts.workers === undefined ? null : workersOption(opts.workers), Number.MAX_SAFE_INTEGER);
  const dir = opts.out ?? join('out', `demo-${demo.name}`);
  makeDirectory(dir, '--out'); // before the studies, not after them
  const version = packageVersion();
  const topologies = new Map<string, Topology>();
  const inputs: DemoInputs = {
    seed,
    version,
    topology: (t) => {
      const cached = topologies.get(t) ?? loadTopology(shipped('topologies', t));
      topologies.set(t, cached);
      return cached;
    },
    experiment: loadExperiment,
  };
  const docs = new Map<string, AvailabilityDocument>();
  for (const req of demo.studies(inputs)) {
    const outcome = await runStudies(req.configs, req.options, version, { workers });
    docs.set(req.name, availabilityDocument(req.options, outcome.studies, version));
  }
  const result = demo.build(inputs, docs);
  print(result.text);
  const warnings = await writeDemo(result, dir);
  for (const w of warnings) printError(`zksim: warning: ${w}\n`);
  print(`\nCharts, demo.txt, demo.json and report.html written to ${dir}\n`);
}

function workersOption(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UserError(`--workers ${JSON.stringify(text)}: expected a positive whole number`);
  return Number(text);
}

/**
 * The demo's files: each run and study in a subdirectory of its own through writeReport (its JSON,
 * charts and report.html), then the demo's own charts, demo.txt (the narration), demo.json (the
 * numbers) and one report.html that holds the narration, every chart and every table.
 */
async function writeDemo(demo: DemoOutput, dir: string): Promise<string[]> {
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
    await sub(r.name, charts, writeReport({ kind: 'run', doc: r.doc }, { dir: join(dir, r.name), formats, extra: [{ name: 'run.json', data: json }] }));
  }
  const files: OutputFile[] = [];
  const own: ReportChart[] = [];
  if (!fontsAvailable()) warnings.add('no fonts found: PNG charts have no text (install Debian fonts-dejavu-core); the SVG and HTML are unaffected');
  for (const c of demo.charts) {
    const svg = await renderSvg(c.spec, c.name);
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
  files.push({ name: 'demo.json', data: `${JSON.stringify({ demo: demo.name, seed: demo.seed, version: demo.version, facts: demo.facts }, null, 2)}\n` });
  writeFilesAtomic(dir, files);
  return [...warnings];
}
