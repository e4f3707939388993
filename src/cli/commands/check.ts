import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import fc from 'fast-check';
import { formatFault } from '../../config/faults.js';
import { formatDurationUs } from '../../model/duration.js';
import { isSimulationLimitError } from '../../core/limits.js';
import { describeCase, livenessProperty, type CrashRecord, runCase, safetyProperty, type ExploreCase, type ExploreSettings, type TopologyChoice } from '../../scenario/explore.js';
import { formatScenario } from '../../scenario/scenario-file.js';
import { QUORUM_RULES, UNSAFE_VARIANTS, type QuorumRule, type UnsafeVariant } from '../../zk/index.js';
import { UserError } from '../errors.js';
import { escapeControl, loadTopology, checkDirectory, print, writeFileAtomic } from '../io.js';
import { collect, seedOption } from '../options.js';

interface CheckOptions {
  runs: string;
  seed: string;
  topology?: string[];
  quorumRule: string;
  unsafe?: string[];
  out?: string;
  liveness?: boolean;
}

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('explore random fault schedules (fast-check) and report any safety violation with a shrunk, replayable scenario')
    .option('--runs <n>', 'random schedules to try', '100')
    .option('--seed <seed>', 'root seed: the same seed explores the same schedules and prints the same output', '1')
    .option('--topology <file>', 'explore this topology (repeatable); default: every shipped topology', collect)
    .option('--quorum-rule <rule>', `how servers count a quorum: ${QUORUM_RULES.join(' | ')} (naive is deliberately unsafe)`, 'majority')
    .option('--unsafe <variant>', `a deliberately unsafe protocol variant (repeatable): ${UNSAFE_VARIANTS.join(', ')}`, collect)
    .option('--liveness', 'check liveness instead: after the last repair a leader is established within the recovery bound')
    .option('--out <dir>', 'write counterexample.yaml into DIR (default: the current directory)')
    .addHelpText(
      'after',
      '\nExit status: 0 nothing violated, 1 a violation was found (see counterexample.yaml), 2 bad input.\n\nExamples:\n  zksim check --runs 500 --seed 1\n  zksim check --topology topologies/n4-2az.yaml --quorum-rule naive\n  zksim run topologies/n4-2az.yaml --scenario counterexample.yaml\n',
    )
    .action((opts: CheckOptions) => checkCommand(opts));
}

/** Shipped topologies, fewest servers first, so shrinking moves toward the smallest ensemble. */
function shippedTopologies(): TopologyChoice[] {
  const dir = fileURLToPath(new URL('../../../topologies/', import.meta.url));
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  const choices = files.map((f) => {
    const path = join(dir, f);
    return { topology: loadTopology(path), file: displayPath(path) };
  });
  return choices.sort((a, b) => a.topology.servers.length - b.topology.servers.length || (a.file < b.file ? -1 : 1));
}

function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}

/** fast-check wants a 32-bit integer seed: numbers are used as they are, words hashed (FNV-1a). */
function numericSeed(seed: string): number {
  if (/^\d{1,9}$/.test(seed)) return Number(seed);
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193) >>> 0;
  return h | 0;
}

function checkCommand(opts: CheckOptions): void {
  const runs = Number(opts.runs);
  if (!/^\d+$/.test(opts.runs) || runs < 1 || runs > 1e7) throw new UserError(`--runs ${JSON.stringify(opts.runs)}: expected a whole number of runs, at least 1`);
  const seed = seedOption(opts.seed);
  const quorumRule = QUORUM_RULES.find((r) => r === opts.quorumRule);
  if (quorumRule === undefined) throw new UserError(`--quorum-rule ${JSON.stringify(opts.quorumRule)}: expected one of ${QUORUM_RULES.join(', ')}`);
  const unsafe: UnsafeVariant[] = [];
  for (const u of opts.unsafe ?? []) {
    const v = UNSAFE_VARIANTS.find((x) => x === u);
    if (v === undefined) throw new UserError(`--unsafe ${JSON.stringify(u)}: expected one of ${UNSAFE_VARIANTS.join(', ')}`);
    if (!unsafe.includes(v)) unsafe.push(v);
  }
  // Checked before exploring, not after a find; created only when a counterexample is written.
  if (opts.out !== undefined) checkDirectory(opts.out, '--out');
  const topologies = opts.topology ? opts.topology.map((f) => ({ topology: loadTopology(f), file: f })) : shippedTopologies();
  const settings: ExploreSettings = { topologies, quorumRule: quorumRule as QuorumRule, unsafe };
  const what = opts.liveness ? 'liveness' : 'safety';
  const rules = [quorumRule === 'majority' ? 'majority quorums' : `quorum rule ${quorumRule} (UNSAFE)`, ...unsafe.map((u) => `${u} (UNSAFE)`)].join(', ');
  print(`zksim check: ${what} over ${runs} random fault schedules on ${topologies.length} topolog${topologies.length === 1 ? 'y' : 'ies'} (seed ${seed}; ${rules})\n`);

  const progress = process.stderr.isTTY ? (text: string) => void process.stderr.write(`\r\x1b[K${escapeControl(text)}`) : null;
  let executed = 0;
  let failedAt: number | null = null;
  const onRun = (failed: boolean): void => {
    executed++;
    if (failed && failedAt === null) failedAt = executed;
    if (failedAt === null) progress?.(`  schedule ${executed}/${runs}`);
    else progress?.(`  violation in schedule ${failedAt}; shrinking (${executed - failedAt} tries)`);
  };
  const record: CrashRecord = { crash: null };
  const property = opts.liveness ? livenessProperty(settings, onRun, record) : safetyProperty(settings, onRun, record);
  const details = fc.check(property, { seed: numericSeed(seed), numRuns: runs });
  progress?.('');

  // An engine crash is not a violation: never exit 1 for it, never write a counterexample.
  if (!details.failed && record.crash !== null) {
    const { error, run, c } = record.crash;
    if (!isSimulationLimitError(error)) throw error; // a bug: keep its stack
    throw new UserError(`schedule ${run} on ${describeCase(c)} (seed ${c.scenario.seed}) could not be simulated: ${(error as Error).message}`);
  }
  if (!details.failed) {
    print(`no violation in ${details.numRuns} schedules\n`);
    return;
  }
  if (details.counterexample === null) throw details.errorInstance;
  report(details.counterexample[0], details.numRuns, details.numShrinks, String((details.errorInstance as Error | undefined)?.message ?? ''), opts, seed);
  process.exitCode = 1;
}

function report(c: ExploreCase, foundAt: number, shrinks: number, message: string, opts: CheckOptions, seed: string): void {
  const outcome = runCase(c);
  const file = join(opts.out ?? '.', 'counterexample.yaml');
  const topologyFile = c.base.file ?? c.base.topology.name;
  const replay = `zksim run ${topologyFile} --scenario ${file}`;
  const first = outcome.violations[0];
  const headline = first ? `${first.invariant} violated at ${(first.atUs / 1e6).toFixed(6)} s: ${first.detail}` : message;
  const invariants = [...new Set(outcome.violations.map((v) => v.invariant))];
  const faults = c.scenario.faults;
  const comments = [
    `zksim check --seed ${seed}${opts.quorumRule !== 'majority' ? ` --quorum-rule ${opts.quorumRule}` : ''}${(opts.unsafe ?? []).map((u) => ` --unsafe ${u}`).join('')}${opts.liveness ? ' --liveness' : ''} found:`,
    `  ${headline}`,
    `topology: ${describeCase(c)}`,
    `replay: ${replay}`,
    '',
  ];
  writeFileAtomic(file, formatScenario(c.scenario, comments), '--out');
  const lines = [
    `VIOLATION in schedule ${foundAt}, shrunk in ${shrinks} steps: ${invariants.length > 0 ? invariants.join(', ') : headline.split(':')[0]}`,
    `  ${headline}`,
    ...outcome.violations.slice(1, 4).map((v) => `  ${v.invariant} at ${(v.atUs / 1e6).toFixed(6)} s: ${v.detail}`),
    ...(outcome.violations.length > 4 ? [`  ... ${outcome.violations.length - 4} more`] : []),
    `Minimal schedule on ${describeCase(c)}, ${faults.length} fault${faults.length === 1 ? '' : 's'}, seed ${c.scenario.seed}, ${formatDurationUs(c.scenario.durationUs)}:`,
    ...(faults.length === 0 ? ['  (no faults)'] : faults.map((f) => `  ${formatFault(f)}`)),
    ...(c.scenario.workload ? [`  workload: ${c.scenario.workload.writesPerSec} writes/s, ${c.scenario.workload.readsPerSec} reads/s`] : []),
    ...c.scenario.overrides.map(([p, v]) => `  ${p} = ${v}`),
    `Saved as ${file}. Replay it with:`,
    `  ${replay}`,
  ];
  print(`${lines.join('\n')}\n`);
}
