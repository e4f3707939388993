import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Command } from 'commander';
import fc from 'fast-check';
import { formatFault } from '../../config/faults.js';
import { formatDurationUs, formatSecondsFixed } from '../../model/duration.js';
import { isSimulationLimitError } from '../../core/limits.js';
import { usToMs } from '../../core/time.js';
import { describeCase, livenessProperty, type CrashRecord, runCase, safetyProperty, type ExploreCase, type ExploreSettings, type TopologyChoice } from '../../scenario/explore.js';
import { formatScenario } from '../../scenario/scenario-file.js';
import type { WorkloadSpec } from '../../scenario/workload.js';
import { QUORUM_RULES, UNSAFE_VARIANTS } from '../../zk/index.js';
import type { CheckDocument, CheckViolation } from '../documents.js';
import { EXIT, ExitError, UserError } from '../errors.js';
import { escapeControl, loadTopology, checkDirectory, packageVersion, print, shippedDirectory, writeFileAtomic } from '../io.js';
import { choiceOption, collect, quorumRuleOption, scheduleCountOption, seedOption, unsafeOption } from '../options.js';

interface CheckOptions {
  runs: string;
  seed: string;
  topology?: string[];
  quorumRule: string;
  unsafe?: string[];
  out?: string;
  liveness?: boolean;
  json?: boolean;
}

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('explore random fault schedules (fast-check) and report any safety violation with a shrunk, replayable scenario')
    .option('--runs <n>', 'random schedules to try', '100')
    .option('--seed <seed>', 'root seed: the same seed explores the same schedules and prints the same output', '1')
    .option('--topology <file>', 'explore this topology (repeatable); default: every shipped topology', collect)
    .addOption(choiceOption('--quorum-rule <rule>', 'how servers count a quorum (naive is deliberately unsafe)', QUORUM_RULES).default('majority'))
    .addOption(choiceOption('--unsafe <variant>', 'a deliberately unsafe protocol variant (repeatable)', UNSAFE_VARIANTS, collect))
    .option('--liveness', 'check liveness instead: after the last repair a leader is established within the recovery bound')
    .option('--out <dir>', 'write counterexample.yaml into DIR (default: the current directory)')
    .option('--json', 'print the result as one JSON document (schemas/check.schema.json) instead of text')
    .addHelpText(
      'after',
      '\nExit status: 0 nothing violated, 1 a violation was found (see counterexample.yaml), 2 bad input.\n\nExamples:\n  zksim check --runs 500 --seed 1\n  zksim check --topology topologies/n4-2az.yaml --quorum-rule naive\n  zksim run topologies/n4-2az.yaml --scenario counterexample.yaml\n',
    )
    .action((opts: CheckOptions) => checkCommand(opts));
}

/** Shipped topologies, fewest servers first, so shrinking moves toward the smallest ensemble. */
function shippedTopologies(): TopologyChoice[] {
  const dir = shippedDirectory('topologies');
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
  const runs = scheduleCountOption(opts.runs);
  const seed = seedOption(opts.seed);
  const quorumRule = quorumRuleOption(opts.quorumRule);
  const unsafe = unsafeOption(opts.unsafe ?? []);
  // Checked before exploring, not after a find; created only when a counterexample is written.
  if (opts.out !== undefined) checkDirectory(opts.out, '--out');
  const topologies = opts.topology ? opts.topology.map((f) => ({ topology: loadTopology(f), file: f })) : shippedTopologies();
  const settings: ExploreSettings = { topologies, quorumRule, unsafe };
  const what = opts.liveness ? 'liveness' : 'safety';
  const rules = [quorumRule === 'majority' ? 'majority quorums' : `quorum rule ${quorumRule} (UNSAFE)`, ...unsafe.map((u) => `${u} (UNSAFE)`)].join(', ');
  if (!opts.json) print(`zksim check: ${what} over ${runs} random fault schedules on ${topologies.length} topolog${topologies.length === 1 ? 'y' : 'ies'} (seed ${seed}; ${rules})\n`);

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
  let found: { violation: CheckViolation; text: string } | null = null;
  if (details.failed) {
    if (details.counterexample === null) throw details.errorInstance;
    found = saveCounterexample(details.counterexample[0], details.numRuns, details.numShrinks, String((details.errorInstance as Error | undefined)?.message ?? ''), opts, seed);
  }
  if (opts.json) {
    const doc: CheckDocument = {
      kind: 'zksim-check',
      version: packageVersion(),
      seed,
      property: opts.liveness ? 'liveness' : 'safety',
      runs,
      schedulesRun: details.numRuns,
      quorumRule,
      unsafe,
      topologies: topologies.map((t) => t.file ?? t.topology.name),
      violation: found?.violation ?? null,
    };
    print(`${JSON.stringify(doc, null, 2)}\n`);
  } else {
    print(found === null ? `no violation in ${details.numRuns} schedules\n` : found.text);
  }
  // a violation is a result, reported on stdout (stderr stays empty: test/cli/check.test.ts)
  if (found !== null) throw new ExitError(EXIT.violation);
}

/** The workload as the JSON contract spells it: the session timeout in ms. */
function workloadJson(w: WorkloadSpec | null): CheckViolation['scenario']['workload'] {
  return w === null ? null : { writesPerSec: w.writesPerSec, readsPerSec: w.readsPerSec, sessionTimeoutMs: usToMs(w.sessionTimeoutUs) };
}

/**
 * Writes the shrunk schedule to counterexample.yaml (in --out) and returns it as the JSON
 * document's `violation` and as the text report.
 */
function saveCounterexample(c: ExploreCase, foundAt: number, shrinks: number, message: string, opts: CheckOptions, seed: string): { violation: CheckViolation; text: string } {
  const outcome = runCase(c);
  const file = join(opts.out ?? '.', 'counterexample.yaml');
  const topologyFile = c.base.file ?? c.base.topology.name;
  const replay = `zksim run ${topologyFile} --scenario ${file}`;
  const first = outcome.violations[0];
  const headline = first ? `${first.invariant} violated at ${formatSecondsFixed(first.atUs, 6)} s: ${first.detail}` : message;
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
    ...outcome.violations.slice(1, 4).map((v) => `  ${v.invariant} at ${formatSecondsFixed(v.atUs, 6)} s: ${v.detail}`),
    ...(outcome.violations.length > 4 ? [`  ... ${outcome.violations.length - 4} more`] : []),
    `Minimal schedule on ${describeCase(c)}, ${faults.length} fault${faults.length === 1 ? '' : 's'}, seed ${c.scenario.seed}, ${formatDurationUs(c.scenario.durationUs)}:`,
    ...(faults.length === 0 ? ['  (no faults)'] : faults.map((f) => `  ${formatFault(f)}`)),
    ...(c.scenario.workload ? [`  workload: ${c.scenario.workload.writesPerSec} writes/s, ${c.scenario.workload.readsPerSec} reads/s`] : []),
    ...c.scenario.overrides.map(([p, v]) => `  ${p} = ${v}`),
    `Saved as ${file}. Replay it with:`,
    `  ${replay}`,
  ];
  const violation: CheckViolation = {
    foundAtSchedule: foundAt,
    shrinkSteps: shrinks,
    headline,
    invariants,
    violations: outcome.violations.map((v) => ({ atMs: usToMs(v.atUs), invariant: v.invariant, detail: v.detail })),
    topology: describeCase(c),
    scenario: {
      seed: c.scenario.seed,
      durationMs: usToMs(c.scenario.durationUs),
      faults: faults.map((f) => formatFault(f)),
      workload: workloadJson(c.scenario.workload),
      overrides: c.scenario.overrides.map(([path, value]) => ({ path, value })),
    },
    counterexampleFile: file,
    replay,
  };
  return { violation, text: `${lines.join('\n')}\n` };
}
