/**
 * What `availability`, `sweep` and `start` share: the study options (flags, the experiment they
 * resolve to, --set overrides, runs/horizon/seed/precision/shard/workers), and running the studies
 * with progress, Ctrl-C and checkpoints before printing the table or the availability document.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Option, type Command } from 'commander';
import { produce } from 'immer';
import { validateTopology } from '../config/index.js';
import { validateExperiment } from '../config/experiment.js';
import { applySet } from '../config/overrides.js';
import { independentCrashRepair } from '../faults/index.js';
import type { Experiment } from '../model/experiment.js';
import type { TopologyOverride } from '../model/topology.js';
import { formatDurationUs } from '../model/duration.js';
import type { Topology } from '../model/index.js';
import {
  availabilityDocument,
  CheckpointMismatch,
  DEFAULT_CHUNK_SIZE,
  parseCheckpoint,
  REQUESTED_METHODS,
  regenerationProblem,
  runStudies,
  type AvailabilityDocument,
  type RequestedMethod,
  type Checkpoint,
  type Progress,
  type StudyConfig,
  type StudyOptions,
} from '../montecarlo/index.js';
import { availabilityTable } from '../report/table.js';
import { availabilityCsv } from '../report/csv.js';
import { formatDuration } from '../stats/format.js';
import { FORMAT_HELP, OUTPUT_FORMATS, outputFormat, terminalWidth } from './output-format.js';
import { EXIT, ExitError, UserError } from './errors.js';
import { checkDirectory, checkWritable, escapeControl, exitNow, packageVersion, print, printError, loadExperiment, readText, setInterruptHandler, shippedFile, writeFileAtomic } from './io.js';
import { choiceOption, collect, durationOption, positiveInt, precisionOption, seedOption, shardOption, workerCount } from './options.js';
import { writeReport } from './render/index.js';
import { checkpointShape, parseJsonFile, requireShape } from './shape.js';
import { shownModelText, type ShownModel } from './show-model.js';

/** The exit codes of availability and sweep, in their --help. */
export const STUDY_EXIT_STATUS =
  '\nExit status: 0 done; 2 bad input, or an output that cannot be written (--out, --checkpoint: checked before simulating;\n' +
  '  if a save still fails later, the result is printed and the failure said); 130 interrupted by Ctrl-C (partial result printed).\n';

/** Options shared by `availability` and `sweep`. */
export interface StudyCliOptions {
  experiment?: string;
  runs?: string;
  horizon?: string;
  seed?: string;
  nodeMttf?: string;
  nodeMttr?: string;
  set?: string[];
  precision?: string;
  method?: string;
  workers?: string;
  checkpoint?: string;
  shard?: string;
  json?: boolean;
  format?: string;
  out?: string;
  progress?: boolean;
  showModel?: boolean;
}

/** `--method`'s help: what each estimator is and when `auto` picks which. */
export const METHOD_HELP =
  'estimator: naive (plain Monte Carlo), failure-biasing (importance sampling of overlapping failures, weighted by likelihood ratios), ' +
  'or auto: failure-biasing where losing the quorum takes overlapping failures, naive where a single failure event can take it';

/** `--method m`: one of REQUESTED_METHODS. */
export function methodOption(text: string): RequestedMethod {
  const m = REQUESTED_METHODS.find((x) => x === text);
  if (m === undefined) throw new UserError(`--method ${JSON.stringify(text)}: expected one of ${REQUESTED_METHODS.join(', ')}`);
  return m;
}

/** experiments/NAME.yaml beside the package, not the cwd. */
export function builtinExperiment(name: string): string {
  return shippedFile('experiments', name);
}

export function addStudyOptions(cmd: Command): Command {
  return cmd
    .option('--experiment <file>', 'failure-model YAML (default: the packaged experiments/production.yaml)')
    .option('--runs <n>', "trials per topology (default: the experiment's runs)")
    .option('--horizon <dur>', "simulated time per trial, e.g. 30d, 1y (default: the experiment's horizon)")
    .option('--seed <seed>', "root seed; trial i uses a seed derived from (seed, i) (default: the experiment's seed)")
    .option('--node-mttf <dur>', 'replace the failure model with independent exponential host crash/repair: mean time to failure (with --node-mttr)')
    .option('--node-mttr <dur>', 'mean time to repair for --node-mttf')
    .option('--set <path=value>', 'override an experiment or topology field (repeatable), e.g. failures.hostFailures.mttr.median=4h, zookeeper.tickTime=1000', collect)
    .option('--precision <r>', 'stop early once the 95% CI half-width of write unavailability is within r × the estimate (and ≥10 outages were seen); --runs is the cap')
    .addOption(choiceOption('--method <m>', METHOD_HELP, REQUESTED_METHODS).default('auto'))
    .option('--workers <n>', `worker threads (default: all cores, ${availableParallelism()} here; capped at the cores and the trials, said on stderr); results do not depend on it`)
    .option('--checkpoint <file>', 'save progress to FILE periodically and resume from it if it exists (same inputs required)')
    .option('--shard <k/n>', 'run only trials i ≡ k−1 (mod n), for batch systems; combine the outputs with `zksim merge`')
    .option('--show-model', 'print the resolved failure model (after --experiment, --node-mttf/--node-mttr, --set), runs, horizon, seed and placement defaults, then exit without simulating')
    .option('--json', 'print the result as JSON, the stable contract (schemas/availability.schema.json; sweep: sweep.schema.json; with --show-model: show-model.schema.json), instead of a table')
    .addOption(choiceOption('--format <f>', `${FORMAT_HELP} (--json is --format json)`, OUTPUT_FORMATS))
    .option('--out <dir>', 'also write availability.json, availability.csv, the charts (.vl.json, .svg, .png) and report.html into DIR')
    .addOption(new Option('--no-progress', 'never draw the progress bar (it is drawn only when stderr is a terminal)'));
}

/** --show-model's output: the readable text, or the JSON document with --json (it has no CSV: it is no result). */
export function printShownModel(m: ShownModel, opts: { json?: boolean; format?: string }): void {
  const format = outputFormat(opts);
  if (format === 'csv') throw new UserError('--format csv: --show-model prints the model, not results; use --format table or --json');
  print(format === 'json' ? `${JSON.stringify(m, null, 2)}\n` : shownModelText(m));
}

export interface BaseSetup {
  readonly experiment: Experiment;
  readonly studyOptions: StudyOptions;
  readonly workers: number;
}

/** Experiment file + --node-mttf/--node-mttr + experiment --set paths + runs/horizon/seed/precision/shard. */
export function loadBase(opts: StudyCliOptions): BaseSetup {
  let experiment = loadExperiment(opts.experiment ?? builtinExperiment('production'));
  if ((opts.nodeMttf === undefined) !== (opts.nodeMttr === undefined)) throw new UserError('--node-mttf and --node-mttr go together: give both');
  if (opts.nodeMttf !== undefined && opts.nodeMttr !== undefined) {
    experiment = withNodeModel(experiment, durationOption('--node-mttf', opts.nodeMttf), durationOption('--node-mttr', opts.nodeMttr));
  }
  experiment = nameOverrides(applyExperimentSets(experiment, opts.set ?? []), experimentSets(opts.set ?? []), '--set');
  const runs = opts.runs === undefined ? experiment.runs : positiveInt('--runs', opts.runs);
  const horizonUs = opts.horizon === undefined ? experiment.horizonUs : durationOption('--horizon', opts.horizon);
  const seed = opts.seed === undefined ? String(experiment.seed) : seedOption(opts.seed);
  const precision = opts.precision === undefined ? null : precisionOption(opts.precision);
  const shard = opts.shard === undefined ? null : shardOption(opts.shard);
  if (shard && precision !== null) throw new UserError('--precision cannot be combined with --shard: each shard would stop on its own evidence; run shards with --runs');
  const trials = shard ? Math.ceil(runs / shard.count) : runs;
  const workers = workerCount(opts.workers === undefined ? null : positiveInt('--workers', opts.workers), trials);
  const method = methodOption(opts.method ?? 'auto');
  return { experiment, studyOptions: { seed, runs, horizonUs, precision, shard, chunkSize: DEFAULT_CHUNK_SIZE, method }, workers };
}

/** `independent crash/repair (node MTTF 30d, MTTR 2h, exponential)`; either mean may be a word ("varied"). */
export function nodeModelName(mttf: string, mttr: string): string {
  return `independent crash/repair (node MTTF ${mttf}, MTTR ${mttr}, exponential)`;
}

/**
 * The experiment with its failures replaced by independent exponential host crash/repair, and
 * renamed after that model: headers, JSON and charts must not keep saying "experiment production"
 * for a model that is no longer production's.
 */
export function withNodeModel(base: Experiment, mttfUs: number, mttrUs: number, naming?: { name: string; by: string }): Experiment {
  const failures = independentCrashRepair(mttfUs, mttrUs);
  const by = naming?.by ?? `--node-mttf ${formatDurationUs(mttfUs)} --node-mttr ${formatDurationUs(mttrUs)}`;
  return produce(base, (d) => {
    d.failures = failures as typeof d.failures;
    d.name = naming?.name ?? nodeModelName(formatDurationUs(mttfUs), formatDurationUs(mttrUs));
    d.description = `${by} replaced the failures of experiment ${base.name}`;
    d.provenance = { failuresReplacedBy: by, failuresOf: base.name };
  });
}

/** The `--set` texts that change the experiment (not the topology). */
export function experimentSets(sets: readonly string[]): string[] {
  return sets.filter((text) => setTarget(splitSet(text).path).target === 'experiment');
}

/** `production + overrides`, the overrides listed in the description and in `provenance.overrides`; unchanged without any. */
export function nameOverrides(experiment: Experiment, sets: readonly string[], flag: string): Experiment {
  if (sets.length === 0) return experiment;
  return produce(experiment, (d) => {
    d.name = `${experiment.name} + overrides`;
    const texts = sets.map((x) => `${flag} ${x}`);
    const list = texts.join(' ');
    d.description = experiment.description === '' ? `overridden by ${list}` : `${experiment.description}; overridden by ${list}`;
    d.provenance = { ...experiment.provenance, overrides: [...(experiment.provenance?.overrides ?? []), ...texts] };
  });
}

const EXPERIMENT_ROOTS = new Set(['name', 'description', 'runs', 'horizon', 'seed', 'failures', 'workload']);

/** `--set` paths go to the experiment when they start with an experiment key (or `experiment.`). */
function setTarget(path: string): { target: 'experiment' | 'topology'; path: string } {
  if (path.startsWith('experiment.')) return { target: 'experiment', path: path.slice('experiment.'.length) };
  if (path.startsWith('topology.')) return { target: 'topology', path: path.slice('topology.'.length) };
  const root = path.split(/[.[]/)[0] ?? '';
  return { target: EXPERIMENT_ROOTS.has(root) && root !== 'name' && root !== 'description' ? 'experiment' : 'topology', path };
}

function splitSet(text: string): { path: string; value: string } {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UserError(`--set ${JSON.stringify(text)}: expected PATH=VALUE, e.g. failures.hostFailures.mttr.median=4h`);
  return { path: text.slice(0, eq).trim(), value: text.slice(eq + 1).trim() };
}

export function applyExperimentSets(experiment: Experiment, sets: readonly string[], flag = '--set'): Experiment {
  let e = experiment;
  for (const text of sets) {
    const { path, value } = splitSet(text);
    const t = setTarget(path);
    if (t.target !== 'experiment') continue;
    const r = applySet(e, t.path, value);
    if (!r.ok) throw new UserError(`${flag} ${text}: ${r.error}`);
    e = r.value;
  }
  const issues = validateExperiment(e);
  if (issues.length > 0) throw new UserError(issues.map((i) => `${flag}: experiment ${i.path}: ${i.message}`).join('\n'));
  return e;
}

export function applyTopologySets(topology: Topology, sets: readonly string[], file: string, flag = '--set'): Topology {
  let t = topology;
  const applied: string[] = [];
  const overrides: TopologyOverride[] = [];
  for (const text of sets) {
    const { path, value } = splitSet(text);
    const target = setTarget(path);
    if (target.target !== 'topology') continue;
    const r = applySet(t, target.path, value);
    if (!r.ok) throw new UserError(`${flag} ${text}: ${r.error}`);
    t = r.value;
    applied.push(`${flag} ${text}`);
    overrides.push({ flag, path: target.path, value });
  }
  // Recorded so the table, JSON and report.html can say which settings the file did not set:
  // in words in the description, and as data in `overrides` (what report/table.ts reads).
  if (applied.length > 0) {
    t = produce(t, (d) => {
      d.description = `${t.description === '' ? '' : `${t.description}; `}overridden by ${applied.join(' ')}`;
      d.overrides = [...(t.overrides ?? []), ...overrides];
    });
  }
  const issues = validateTopology(t);
  if (issues.length > 0) throw new UserError(issues.map((i) => `${flag}: ${file}: ${i.path}: ${i.message}`).join('\n'));
  return t;
}

/**
 * Runs the studies with progress, Ctrl-C and checkpoints, then prints the table, CSV or JSON;
 * `onWritten` hears the paths written into --out (also for an interrupted, partial result).
 */
export async function runAndReport(
  configs: readonly StudyConfig[],
  base: BaseSetup,
  opts: StudyCliOptions,
  onWritten?: (files: readonly string[]) => void,
): Promise<AvailabilityDocument> {
  const version = packageVersion();
  outputFormat(opts); // a bad --format is said before simulating
  if (base.studyOptions.method === 'failure-biasing') {
    for (const c of configs) {
      const why = regenerationProblem(c.experiment.failures);
      if (why !== null) throw new UserError(`--method failure-biasing: experiment ${c.experiment.name}: ${why}; its estimates would be biased. Use --method naive or auto`);
    }
  }
  const checkpointFile = opts.checkpoint;
  const resume = checkpointFile === undefined ? null : loadCheckpoint(checkpointFile);
  // Before simulating: an unwritable checkpoint used to fail only after the whole run.
  if (checkpointFile !== undefined) checkWritable(checkpointFile, '--checkpoint');
  if (opts.out !== undefined) checkDirectory(opts.out, '--out'); // created when written: a failed or interrupted run leaves none
  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) exitNow(130); // second Ctrl-C: give up at once
    controller.abort();
    printError('\nzksim: interrupted — finishing the trials in flight, then printing the partial result (Ctrl-C again to quit now)\n');
  };
  setInterruptHandler(onSigint);
  const bar = opts.progress !== false && process.stderr.isTTY ? progressBar() : null;
  const saver = checkpointFile === undefined ? null : checkpointSaver(checkpointFile);
  let outcome;
  try {
    outcome = await runStudies(configs, base.studyOptions, version, {
      workers: base.workers,
      signal: controller.signal,
      resume,
      ...(bar ? { onProgress: bar.update } : {}),
      ...(saver ? { onCheckpoint: saver.save } : {}),
    });
  } catch (e) {
    if (e instanceof CheckpointMismatch) throw new UserError(`--checkpoint ${checkpointFile ?? ''}: ${e.message}; delete the file or run with the same inputs`);
    throw e;
  } finally {
    setInterruptHandler(null);
    bar?.done();
  }
  const notes: string[] = [];
  if (outcome.interrupted) {
    const missing = configs.length - outcome.studies.length;
    notes.push(
      `interrupted (Ctrl-C): partial result over the trials finished in order` +
        (missing > 0 ? `; ${missing} configuration${missing > 1 ? 's' : ''} not run` : '') +
        (checkpointFile !== undefined ? `; rerun with --checkpoint ${checkpointFile} to continue` : ''),
    );
  }
  const doc = availabilityDocument(base.studyOptions, outcome.studies, version, notes);
  const written = await emitDocument(doc, opts);
  onWritten?.(written);
  const saveFailure = saver?.failure() ?? null;
  if (saveFailure !== null) throw new UserError(`${saveFailure}; the result is printed above, but progress was not saved`);
  if (outcome.interrupted) throw new ExitError(EXIT.interrupted);
  return doc;
}

/**
 * Saves checkpoints at most every 2 s (and the final one). A save that fails after the preflight
 * (disk full, directory removed) must not throw the simulation away: saving stops, the failure is
 * kept for `failure()`, and the caller prints the result, then the failure, and exits 2.
 */
export function checkpointSaver(file: string): { save: (cp: Checkpoint, final: boolean) => void; failure: () => string | null } {
  let lastSaveMs = Number.NEGATIVE_INFINITY;
  let failure: string | null = null;
  return {
    save: (cp, final) => {
      const now = performance.now();
      if (failure !== null || (!final && now - lastSaveMs < 2000)) return;
      lastSaveMs = now;
      try {
        writeFileAtomic(file, `${JSON.stringify(cp)}\n`, '--checkpoint');
      } catch (e) {
        failure = (e as Error).message;
      }
    },
    failure: () => failure,
  };
}

/** A --checkpoint file to resume from, or null when there is none yet; a malformed one is refused. */
function loadCheckpoint(file: string): Checkpoint | null {
  if (!existsSync(file)) return null;
  const value = parseJsonFile(readText(file, 'checkpoint'), `--checkpoint ${file}`);
  requireShape(value, checkpointShape, `--checkpoint ${file}`, 'a zksim checkpoint');
  try {
    return parseCheckpoint(JSON.stringify(value));
  } catch (e) {
    throw new UserError(`--checkpoint ${file}: ${(e as Error).message}; delete the file to start afresh`);
  }
}

/**
 * The table (fitted to the terminal), CSV or JSON on stdout; with --out, availability.json,
 * availability.csv, every chart and report.html in DIR.
 */
export async function emitDocument(doc: AvailabilityDocument, opts: { json?: boolean; format?: string; out?: string }): Promise<string[]> {
  const format = outputFormat(opts);
  const json = `${JSON.stringify(doc, null, 2)}\n`;
  print(format === 'json' ? json : format === 'csv' ? availabilityCsv(doc) : availabilityTable(doc, { width: terminalWidth() }));
  if (opts.out === undefined) return [];
  const extra = [
    { name: 'availability.json', data: json },
    { name: 'availability.csv', data: availabilityCsv(doc) },
  ];
  const { files, warnings } = await writeReport({ kind: 'availability', doc }, { dir: opts.out, formats: ['svg', 'png', 'html'], extra });
  for (const w of warnings) printError(`zksim: warning: ${w}\n`);
  if (format === 'table') print(`\nCharts and report.html written to ${opts.out}\n`);
  return files;
}

function progressBar(): { update: (p: Progress) => void; done: () => void } {
  let last = 0;
  let drawn = false;
  return {
    update: (p) => {
      const now = performance.now();
      if (now - last < 100 && p.done < p.total) return;
      last = now;
      const width = 30;
      const filled = p.total > 0 ? Math.round((width * p.done) / p.total) : width;
      const eta = p.etaSec === null ? '?' : formatDuration(Math.round(p.etaSec) * 1_000_000);
      const line = `${p.topology} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.done}/${p.total} trials, ${p.trialsPerSec.toFixed(1)}/s, ETA ${eta}`;
      process.stderr.write(`\r${escapeControl(line)}\x1b[K`);
      drawn = true;
    },
    done: () => {
      if (drawn) process.stderr.write('\r\x1b[K');
    },
  };
}
