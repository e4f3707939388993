/**
 * How `availability`, `sweep` and `merge` print a result (--format table|csv|json, --json) and
 * the terminal width the table is fitted to (issue 16 §4).
 */
import { UserError } from './errors.js';

/**
 * The width tables are fitted to: COLUMNS when set to a positive integer (as ls and man read it),
 * else the terminal's when stdout is one, else Infinity (a pipe or file gets the whole table).
 */
export function terminalWidth(env: NodeJS.ProcessEnv = process.env, stdout: { isTTY?: boolean; columns?: number } = process.stdout): number {
  const columns = Number(env.COLUMNS);
  if (Number.isInteger(columns) && columns > 0) return columns;
  return stdout.isTTY && stdout.columns !== undefined && stdout.columns > 0 ? stdout.columns : Infinity;
}

/** What a result is printed as. */
export type OutputFormat = 'table' | 'csv' | 'json';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'csv', 'json'];

/** `--format`'s help, shared with merge. */
export const FORMAT_HELP = 'how the result is printed: table (default; fits the terminal width, COLUMNS), csv (one row per topology or sweep value, units in the headers, 95% CIs as _ci95_low/_ci95_high columns), or json';

/** `--format f` and `--json`, checked before anything runs: one of OUTPUT_FORMATS, and --json agrees with it. */
export function outputFormat(opts: { json?: boolean; format?: string }): OutputFormat {
  if (opts.format === undefined) return opts.json ? 'json' : 'table';
  const f = OUTPUT_FORMATS.find((x) => x === opts.format);
  if (f === undefined) throw new UserError(`--format ${JSON.stringify(opts.format)}: expected one of ${OUTPUT_FORMATS.join(', ')}`);
  if (opts.json && f !== 'json') throw new UserError(`--json and --format ${f} ask for two outputs: give one`);
  return f;
}
