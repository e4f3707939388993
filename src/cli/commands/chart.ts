import { dirname, isAbsolute, relative } from 'node:path';
import type { Command } from 'commander';
import { FORMATS } from '../../report/export/index.js';
import { UserError } from '../errors.js';
import { print, printError, readText } from '../io.js';
import { choiceOption, formatsOption } from '../options.js';
import { detectDocument, writeReport } from '../render/index.js';
import { availabilityForChart, isRecord, parseJsonFile, requireShape, runForChart } from '../shape.js';

interface ChartOptions {
  format: string;
  out?: string;
}

export function registerChart(program: Command): void {
  program
    .command('chart')
    .description('re-render the charts (and report.html) of a saved run.json or availability.json')
    .argument('<file>', 'JSON written by `zksim run --json`/`--out` or `zksim availability --json`/`--out`')
    .addOption(choiceOption('--format <list>', 'comma-separated, of the choices (a .vl.json spec is always written)', FORMATS).default(FORMATS.join(',')))
    .option('--out <dir>', 'directory for the chart files (default: the JSON file\'s directory)')
    .addHelpText('after', '\nExamples:\n  zksim chart out/availability.json --format svg,png,html --out out/\n  zksim chart out/timeline/run.json --format png\n')
    .action((file: string, opts: ChartOptions) => chartCommand(file, opts));
}

async function chartCommand(file: string, opts: ChartOptions): Promise<void> {
  const formats = formatsOption(opts.format);
  const value = parseJsonFile(readText(file, 'result'), file);
  if (isRecord(value) && (value.kind === 'zksim-dr' || value.kind === 'zksim-plan')) {
    const word = String(value.kind).slice('zksim-'.length);
    throw new UserError(`${file}: a ${word} document (kind ${value.kind}): its charts are written by zksim ${word} --out DIR, not by zksim chart`);
  }
  // Told apart by their keys, then checked field by field: a partial document is refused naming
  // the field, before the charts would fail on it deep inside.
  const isRun = isRecord(value) && ('timeline' in value || 'elections' in value || 'durationMs' in value);
  const isAvailability = isRecord(value) && ('results' in value || value.kind === 'zksim-availability');
  if (!isRun && !isAvailability) {
    throw new UserError(`${file}: not a zksim result: expected a run document (seed, durationMs, elections, timeline) or an availability document (seed, results[])`);
  }
  if (isRun && isRecord(value) && 'timeline' in value && !('eventLog' in value)) {
    // Run documents before the typed event stream held only prose, which charts no longer parse.
    throw new UserError(`${file}: a run document from an older zksim (no eventLog, the typed events the timeline chart reads): run it again with \`zksim run … --out DIR\` to chart it`);
  }
  requireShape(value, isRun ? runForChart : availabilityForChart, file, 'a zksim result');
  const result = detectDocument(value);
  if (!result) throw new UserError(`${file}: not a zksim result: expected a run document (seed, durationMs, elections, timeline) or an availability document (seed, results[])`);
  const dir = opts.out ?? dirname(file);
  let written;
  try {
    written = await writeReport(result, { dir, formats });
  } catch (e) {
    // The shape check covers the fields the charts read; a value it let through that still
    // cannot be drawn is the file's fault, not a bug to show a stack trace for.
    if (e instanceof UserError || !(e instanceof TypeError || e instanceof RangeError)) throw e;
    throw new UserError(`${file}: cannot chart this result (${e.message}); re-create it with zksim run/availability --json`);
  }
  const { files, warnings } = written;
  for (const w of warnings) printError(`zksim: warning: ${w}\n`);
  print(`${result.kind} charts written:\n${files.map((f) => `  ${shortPath(f)}\n`).join('')}`);
}

/** A path relative to the working directory when it lies below it, else as given. */
function shortPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}
