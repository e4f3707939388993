/**
 * Every command-line option validator, and the options more than one command shares (study
 * options: src/cli/study.ts). Each validator returns the value in the simulator's units (µs for
 * durations) or throws a UserError (exit 2) that names the flag, quotes what was given and says
 * what was expected, e.g. `--runs "0": expected a positive whole number`.
 */
import { availableParallelism } from 'node:os';
import { Argument, Option } from 'commander';
import { parseFault } from '../config/index.js';
import { durationHint } from '../config/yaml-reader.js';
import { seedProblem } from '../config/limits.js';
import { parseDurationUs } from '../model/duration.js';
import type { FaultSpec, Topology } from '../model/index.js';
import type { Shard } from '../montecarlo/index.js';
import { FORMATS, parseFormats, type Format } from '../report/export/index.js';
import { QUORUM_RULES, UNSAFE_VARIANTS, type QuorumRule, type UnsafeVariant } from '../zk/index.js';
import { UserError } from './errors.js';
import { printError } from './io.js';

/**
 * An option whose value is one of `choices` (for a comma-separated list: made of them). --help
 * lists them ("choices: …") and the completion scripts complete them (cli/completion.ts reads
 * Option.argChoices). `parse` replaces commander's own check (identity by default; `collect` for a
 * repeatable option), so the command's validator still refuses a bad value with its UserError:
 * the flag, what was given, the choices; exit 2.
 */
export function choiceOption<T = string>(flags: string, description: string, choices: readonly string[], parse: (value: string, previous: T) => T = (v) => v as T): Option {
  return new Option(flags, description).choices(choices).argParser(parse);
}

/** A positional argument whose value is one of `choices`, as choiceOption (the command checks it). */
export function choiceArgument(name: string, description: string, choices: readonly string[]): Argument {
  return new Argument(name, description).choices(choices).argParser((v: string) => v);
}

/** Commander collector for repeatable options (`--fault a --fault b`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** A positive duration with a unit (`500ms`, `60s`, `2h`, `1y`) → µs. */
export function durationOption(flag: string, text: string): number {
  const us = parseDurationUs(text);
  if (us === null || us <= 0) throw new UserError(`${flag} ${JSON.stringify(text)}: expected a positive duration with a unit, e.g. 500ms, 60s, 5m, 2h, 1y${durationHint(text)}`);
  return us;
}

/** A root seed: a number or a short word, kept as text (the JSON documents print it as a string). */
export function seedOption(text: string): string {
  const problem = seedProblem(text);
  if (problem !== null) throw new UserError(`--seed ${JSON.stringify(text)}: ${problem}`);
  return text;
}

/** `--fault` texts parsed against the topology; each must fire before the run ends (`durationUs`). */
export function faultOptions(texts: readonly string[], topology: Topology, durationUs: number): FaultSpec[] {
  return texts.map((text) => {
    const parsed = parseFault(text, topology);
    if (!parsed.ok) throw new UserError(`--fault: ${parsed.error}`);
    if (parsed.fault.atUs >= durationUs) {
      throw new UserError(`--fault ${JSON.stringify(text)}: fires at or after the end of the run (--duration); lengthen the run or fire it earlier`);
    }
    return parsed.fault;
  });
}

/** A Poisson rate per second in [0, 10⁶]. */
export function rateOption(flag: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1e6) {
    throw new UserError(`${flag} ${JSON.stringify(text)}: expected a rate per second between 0 and 1000000`);
  }
  return n;
}

/** A positive whole number (a safe integer): `--runs`, `--workers`. */
export function positiveInt(flag: string, text: string): number {
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text)) || Number(text) < 1) {
    throw new UserError(`${flag} ${JSON.stringify(text)}: expected a positive whole number`);
  }
  return Number(text);
}

/**
 * Most runs `plan` and `dr` take: each run is a message-level trial of the whole plan or drill, and
 * every run's result is kept for the percentiles (10,000 runs of an hour-long plan take hours already).
 */
export const MAX_KEPT_RUNS = 10_000;

/** `--runs n` for a command that keeps every run's result in memory: 1 ≤ n ≤ MAX_KEPT_RUNS. */
export function keptRunsOption(command: string, text: string): number {
  const n = positiveInt('--runs', text);
  if (n > MAX_KEPT_RUNS) throw new UserError(`--runs ${n}: ${command} keeps every run's result, at most ${MAX_KEPT_RUNS.toLocaleString('en-US')} runs`);
  return n;
}

/** `--precision r`: the relative 95% CI half-width to stop at, 0 < r < 1. */
export function precisionOption(text: string): number {
  const r = Number(text);
  if (!/^\d*\.?\d+$/.test(text) || !(r > 0 && r < 1)) throw new UserError(`--precision ${JSON.stringify(text)}: expected a fraction between 0 and 1, e.g. 0.1 for ±10%`);
  return r;
}

/** `--shard K/N` with 1 ≤ K ≤ N. */
export function shardOption(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!(count >= 1 && index >= 1 && index <= count)) throw new UserError(`--shard ${JSON.stringify(text)}: expected K/N with 1 ≤ K ≤ N, e.g. 3/8`);
  return { index, count };
}

/**
 * Worker threads: the request (default: every core), capped at the trials and the cores. More
 * threads than trials would idle, and more than cores only cost memory (each holds a whole
 * simulator): 999 workers for 4 trials used to start hundreds of threads. A capped request is
 * said on stderr; results never depend on the count.
 */
export function workerCount(requested: number | null, trials: number): number {
  const cores = availableParallelism();
  const workers = Math.max(1, Math.min(requested ?? cores, cores, trials));
  if (requested !== null && workers < requested) {
    printError(`zksim: --workers ${requested}: using ${workers} (at most one per trial, ${trials} trial${trials === 1 ? '' : 's'}, and one per core, ${cores} here)\n`);
  }
  return workers;
}

/** `--quorum-rule`: one of QUORUM_RULES (`majority` is ZooKeeper's; the others are deliberately unsafe). */
export function quorumRuleOption(text: string): QuorumRule {
  const rule = QUORUM_RULES.find((r) => r === text);
  if (rule === undefined) throw new UserError(`--quorum-rule ${JSON.stringify(text)}: expected one of ${QUORUM_RULES.join(', ')}`);
  return rule;
}

/** Repeated `--unsafe` values added to `base` (a scenario's), each once, in order. */
export function unsafeOption(texts: readonly string[], base: readonly UnsafeVariant[] = []): UnsafeVariant[] {
  const unsafe = [...base];
  for (const u of texts) {
    const v = UNSAFE_VARIANTS.find((x) => x === u);
    if (v === undefined) throw new UserError(`--unsafe ${JSON.stringify(u)}: expected one of ${UNSAFE_VARIANTS.join(', ')}`);
    if (!unsafe.includes(v)) unsafe.push(v);
  }
  return unsafe;
}

/** `check --runs`: how many random fault schedules to try, 1 to 10⁷. */
export function scheduleCountOption(text: string): number {
  const runs = Number(text);
  if (!/^\d+$/.test(text) || runs < 1 || runs > 1e7) throw new UserError(`--runs ${JSON.stringify(text)}: expected a whole number of runs, at least 1`);
  return runs;
}

/** `chart --format a,b`: output formats, each one of FORMATS (case-insensitive). */
export function formatsOption(text: string): Format[] {
  const { formats, unknown } = parseFormats(text);
  if (unknown.length > 0) throw new UserError(`--format: unknown format${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `'${u}'`).join(', ')} (choose from ${FORMATS.join(', ')})`);
  return formats;
}

/** `sweep --vary KEY=V1,V2,...`: the setting and its values, none empty, none twice. */
export function varyOption(text: string): { key: string; values: string[] } {
  const eq = text.indexOf('=');
  const key = eq > 0 ? text.slice(0, eq).trim() : '';
  const values = eq > 0 ? text.slice(eq + 1).split(',').map((v) => v.trim()) : [];
  if (key === '' || values.length === 0 || values.some((v) => v === '')) {
    throw new UserError(`--vary ${JSON.stringify(text)}: expected KEY=V1,V2,..., e.g. node-mttr=15m,1h,4h`);
  }
  if (new Set(values).size !== values.length) throw new UserError(`--vary ${JSON.stringify(text)}: a value appears twice`);
  return { key, values };
}
