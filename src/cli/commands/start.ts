import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { loadTopology, print, shippedFile } from '../io.js';
import { loadBase, METHOD_HELP, runAndReport } from '../study.js';
import { REQUESTED_METHODS } from '../../montecarlo/index.js';
import { choiceOption } from '../options.js';

/**
 * Trials per layout in the main job. Failure-biased trials cost several naive ones (the rare
 * quorum losses they force are simulated message by message); 200 resolve the rare losses of
 * n3-3az, n5-3az and n6-3az to 15–25% and the naive columns (losses several times a year) to
 * ~10%. n7-3az's losses (a three-voter zone's outage overlapping a rack outage, lognormal
 * durations) need more: its column says so and is marked untrusted.
 */
export const START_RUNS = 200;

/** The layouts users compare first: one zone, three zones, and why 2+2 and 3+2 disappoint. */
export const MAIN_TOPOLOGIES = ['n3-1az', 'n3-3az', 'n4-2az', 'n5-2az', 'n5-3az', 'n6-3az', 'n7-3az'] as const;

/** The list of files `zksim start` wrote into its directory: the only files a later start removes there. */
export const START_MANIFEST = '.zksim-start-manifest.json';

/** Without --out, start writes into the first of ./zksim-out-1, ./zksim-out-2, … that does not exist. */
export const FRESH_PREFIX = 'zksim-out-';

/** What start writes into (names it would overwrite): a user's file of such a name makes it refuse. */
const OUTPUT_NAME = /^(availability\.(json|csv)|report\.html|.+\.(vl\.json|svg|png))$/;

/** Where start writes, what it says about it (its first line), and the files of an earlier start there (replaced or removed once the new ones are written). */
export interface StartOutput {
  readonly dir: string;
  readonly firstLine: string;
  readonly previous: readonly string[];
}

/**
 * Where `zksim start` writes: without --out a fresh ./zksim-out-N; with --out DIR, DIR when it does
 * not exist or is empty, or when an earlier start left its manifest there — then only the files
 * listed in it are replaced (or removed, once the new files are written). Anything else is refused before simulating (UserError, exit 2): a
 * directory with files start did not write, or one whose own files bear start's output names.
 * `cwd`: where ./zksim-out-N is looked for (the process's; tests pass theirs).
 */
export function startOutput(out: string | undefined, cwd = '.'): StartOutput {
  if (out === undefined) {
    let n = 1;
    while (existsSync(join(cwd, `${FRESH_PREFIX}${n}`))) n += 1;
    const dir = `${FRESH_PREFIX}${n}`;
    return { dir, firstLine: `zksim start: writing into ./${dir}/, a fresh directory (--out DIR to choose)`, previous: [] };
  }
  if (!existsSync(out)) return { dir: out, firstLine: `zksim start: writing into ${out}/, a fresh directory`, previous: [] };
  if (!statSync(out).isDirectory()) throw new UserError(`--out ${out}: exists and is not a directory`);
  const entries = readdirSync(out);
  if (entries.length === 0) return { dir: out, firstLine: `zksim start: writing into ${out}/, an empty directory`, previous: [] };
  if (!entries.includes(START_MANIFEST)) {
    throw new UserError(
      `--out ${out}: the directory has files zksim start did not write (no ${START_MANIFEST}); give a new or empty directory, or leave out --out for a fresh ./${FRESH_PREFIX}N`,
    );
  }
  const previous = readManifest(out);
  const foreign = entries.filter((e) => e !== START_MANIFEST && !previous.includes(e) && OUTPUT_NAME.test(e));
  if (foreign.length > 0) throw new UserError(`--out ${out}: ${foreign.join(', ')} would be overwritten and zksim start did not write them (${START_MANIFEST}); move them or give another directory`);
  const present = previous.filter((f) => entries.includes(f));
  const kept = entries.length - present.length - 1;
  return {
    dir: out,
    firstLine: `zksim start: writing into ${out}/, replacing only the ${present.length} ${present.length === 1 ? 'file' : 'files'} an earlier zksim start wrote there (${START_MANIFEST})${kept > 0 ? `; ${kept} other ${kept === 1 ? 'entry' : 'entries'} left alone` : ''}`,
    previous: present,
  };
}

/** The manifest's names: plain file names only (never a path that leaves the directory). */
function readManifest(dir: string): string[] {
  const path = join(dir, START_MANIFEST);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UserError(`${path}: not a zksim start manifest (${(e as Error).message}); delete it to let start use the directory`);
  }
  const files = (value as { files?: unknown }).files;
  if (!Array.isArray(files) || !files.every((f) => typeof f === 'string' && f !== '' && basename(f) === f && f !== '.' && f !== '..')) {
    throw new UserError(`${path}: files: expected a list of plain file names; delete it to let start use the directory`);
  }
  return files as string[];
}

export function registerStart(program: Command): void {
  program
    .command('start')
    .description(
      'the main job (`npm start`): availability of the built-in topologies under the production failure model, ' +
        'the table on screen, charts and report.html in a fresh ./zksim-out-N/ (or --out DIR)',
    )
    .option('--out <dir>', `where the charts and report.html go: a new or empty directory, or one an earlier start wrote (only its files, listed in ${START_MANIFEST}, are replaced) (default: a fresh ./${FRESH_PREFIX}N)`)
    .option('--runs <n>', 'trials per topology (failure biasing resolves the layouts whose quorum losses are rare, naive Monte Carlo the others)', String(START_RUNS))
    .option('--workers <n>', 'worker threads (default: all cores)')
    .addOption(choiceOption('--method <m>', METHOD_HELP, REQUESTED_METHODS).default('auto'))
    .action(async (opts: { out?: string; runs: string; workers?: string; method: string }) => {
      const base = loadBase({ runs: opts.runs, ...(opts.workers ? { workers: opts.workers } : {}), method: opts.method });
      const target = startOutput(opts.out);
      print(`${target.firstLine}\n\n`);
      const configs = MAIN_TOPOLOGIES.map((name) => ({ topology: loadTopology(shippedFile('topologies', name)), experiment: base.experiment, variant: null }));
      // The earlier start's files go once the new ones are written: a failed run leaves them be.
      await runAndReport(configs, base, { out: target.dir }, (files) => {
        const names = files.map((f) => basename(f)).sort();
        for (const f of target.previous) if (!names.includes(f)) rmSync(join(target.dir, f), { force: true });
        writeFileSync(join(target.dir, START_MANIFEST), `${JSON.stringify({ files: names }, null, 2)}\n`);
      });
    });
}
