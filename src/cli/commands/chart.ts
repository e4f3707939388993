import { dirname, isAbsolute, relative } from 'node:path';
import type { Command } from 'commander';
import { FORMATS, parseFormats } from '../../report/export/index.js';
import { UserError } from '../errors.js';
import { readText } from '../io.js';
import { detectDocument, writeReport } from '../render/index.js';

interface ChartOptions {
  format: string;
  out?: string;
}

export function registerChart(program: Command): void {
  program
    .command('chart')
    .description('re-render the charts (and report.html) of a saved run.json or availability.json')
    .argument('<file>', 'JSON written by `zksim run --json`/`--out` or `zksim availability --json`/`--out`')
    .option('--format <list>', `comma-separated: ${FORMATS.join(', ')} (a .vl.json spec is always written)`, FORMATS.join(','))
    .option('--out <dir>', 'directory for the chart files (default: the JSON file\'s directory)')
    .addHelpText('after', '\nExamples:\n  zksim chart out/availability.json --format svg,png,html --out out/\n  zksim chart out/timeline/run.json --format png\n')
    .action((file: string, opts: ChartOptions) => chartCommand(file, opts));
}

async function chartCommand(file: string, opts: ChartOptions): Promise<void> {
  const { formats, unknown } = parseFormats(opts.format);
  if (unknown.length > 0) throw new UserError(`--format: unknown format${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `'${u}'`).join(', ')} (choose from ${FORMATS.join(', ')})`);
  const text = readText(file, 'result');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UserError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const result = detectDocument(value);
  if (!result) throw new UserError(`${file}: not a zksim result: expected a run document (seed, durationMs, elections, timeline) or an availability document (seed, results[])`);
  const dir = opts.out ?? dirname(file);
  const { files, warnings } = await writeReport(result, { dir, formats });
  for (const w of warnings) process.stderr.write(`zksim: warning: ${w}\n`);
  process.stdout.write(`${result.kind} charts written:\n${files.map((f) => `  ${shortPath(f)}\n`).join('')}`);
}

/** A path relative to the working directory when it lies below it, else as given. */
function shortPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}
