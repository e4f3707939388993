import type { Command } from 'commander';
import { formatDurationUs } from '../../model/duration.js';
import type { Experiment, Topology } from '../../model/index.js';
import { runPlanStudy, type PlanStudy } from '../../montecarlo/plan-study.js';
import { planStudyJson, type PlanDocument } from '../../report/plan-json.js';
import { planRunText, planStudiesText } from '../../report/plan-text.js';
import { DEFAULT_SESSION_TIMEOUT_US } from '../../scenario/index.js';
import { PLAN_STEP_KINDS } from '../../scenario/plan-kinds.js';
import { UserError } from '../errors.js';
import { loadPlanFile } from '../plan-file.js';
import { checkDirectory, escapeControl, loadExperiment, loadTopology, packageVersion, print, printError } from '../io.js';
import { collect, durationOption, faultOptions, keptRunsOption, rateOption, seedOption } from '../options.js';
import { writePlanCharts } from '../render/plan.js';
import { faultHelpText } from '../../config/faults.js';

interface PlanOptions {
  topology?: string;
  seed: string;
  runs: string;
  failures?: string;
  fault?: string[];
  writes: string;
  duration?: string;
  json?: boolean;
  out?: string;
  progress?: boolean;
}

/** The trial runs this long past the plan's start unless --duration says: long enough for any shipped plan to end. */
const DEFAULT_AFTER_START_US = 3_600_000_000;

export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description('run an operations plan (rolling upgrade, migration, big-bang cut-over) step by step inside a simulated ensemble; with --runs, Monte Carlo over failures striking during it; several plans side by side')
    .argument('<plan...>', 'plan YAML files, e.g. experiments/plans/rolling-upgrade.yaml')
    .option('--topology <file>', 'topology YAML file the plan runs on (required), e.g. topologies/n5-3az.yaml')
    .option('--seed <seed>', 'root seed: the same seed prints the same output, byte for byte', '1')
    .option('--runs <n>', 'runs per plan: 1 prints the step-by-step timeline, more a Monte Carlo study', '1')
    .option('--failures <file>', 'an experiment file whose failure processes strike during the plan (each run samples its own)')
    .option('--fault <spec>', 'a scripted fault every run gets (repeatable), KIND:TARGET@T[+DUR] as zksim run takes it', collect)
    .option('--writes <rate>', 'client writes per second over the whole ensemble (Poisson): counts the writes that failed', '0')
    .option('--duration <dur>', "each trial's simulated time (default: the plan's start + 1h); a plan not done by then is reported unfinished")
    .option('--json', 'print the result as one JSON document instead of text')
    .option('--out <dir>', 'also write plan.json and the charts (timeline of the steps with an availability strip; comparison bars) into DIR')
    .option('--no-progress', 'never draw the progress line (it is drawn only when stderr is a terminal and runs > 1)')
    .addHelpText('after', faultHelpText())
    .addHelpText('after', `\nStep kinds (the first key of each step in a plan file):\n${PLAN_STEP_KINDS.map((k) => `  ${k.help}`).join('\n')}\n`)
    .addHelpText(
      'after',
      '\nTargets: a server id, a list of ids, leader, followers (leader-last: every voter but whoever leads when its turn comes),\n' +
        '  observers, voters (by id, or order: random), all (observers, followers, then the leader).\n' +
        'Exit status: 0 done (whatever the plan\'s outcome); 2 bad input, or an --out that cannot be written.\n' +
        '\nExamples:\n  zksim plan experiments/plans/rolling-upgrade.yaml --topology topologies/n5-3az.yaml\n' +
        '  zksim plan experiments/plans/rolling-upgrade.yaml experiments/plans/rolling-upgrade-any-order.yaml --topology topologies/n5-3az.yaml --runs 20\n' +
        '  zksim plan experiments/plans/big-bang.yaml --topology topologies/n5-3az.yaml --writes 20 --out out/big-bang\n',
    )
    .action((files: string[], opts: PlanOptions) => planCommand(files, opts));
}

/**
 * Read and validate a plan file against the step-kind table; with a topology, the servers its
 * steps name must be the topology's. Every problem is reported (positioned) before exiting with 2.
 */
async function planCommand(files: string[], opts: PlanOptions): Promise<void> {
  if (opts.topology === undefined) throw new UserError('plan: --topology <file> is required (the ensemble the plan runs on), e.g. --topology topologies/n5-3az.yaml');
  const topology = loadTopology(opts.topology);
  const plans = files.map((f) => loadPlanFile(f, topology));
  const seed = seedOption(opts.seed);
  const runs = keptRunsOption('plan', opts.runs);
  const experiment: Experiment | null = opts.failures === undefined ? null : loadExperiment(opts.failures);
  const latestStart = Math.max(...plans.map((p) => p.startUs));
  const durationUs = opts.duration === undefined ? latestStart + DEFAULT_AFTER_START_US : durationOption('--duration', opts.duration);
  if (durationUs <= latestStart) throw new UserError(`--duration ${opts.duration}: shorter than the plan's start (${formatDurationUs(latestStart)}): the plan would never begin`);
  const faults = faultOptions(opts.fault ?? [], topology, durationUs);
  const writesPerSec = rateOption('--writes', opts.writes);
  const workload = writesPerSec > 0 ? { writesPerSec, readsPerSec: 0, sessionTimeoutUs: DEFAULT_SESSION_TIMEOUT_US } : null;
  if (opts.out !== undefined) checkDirectory(opts.out, '--out');
  const showProgress = opts.progress !== false && process.stderr.isTTY && runs > 1;
  const studies: PlanStudy[] = plans.map((plan) =>
    runPlanStudy({
      topology, plan, kinds: PLAN_STEP_KINDS, experiment, faults, workload, runs, seed, durationUs,
      ...(showProgress ? { onProgress: (done: number, total: number) => process.stderr.write(`\r${escapeControl(plan.name)}: ${done}/${total} runs\x1b[K`) } : {}),
    }),
  );
  if (showProgress) process.stderr.write('\r\x1b[K');
  const doc = planDocument(studies, topology, seed, experiment, opts);
  if (opts.json) print(`${JSON.stringify(doc, null, 2)}\n`);
  else if (runs === 1 && doc.plans.length === 1) print(planRunText((doc.plans[0] as PlanDocument['plans'][number]).first, topology.name, seed, workload !== null));
  else print(planStudiesText(doc));
  if (opts.out !== undefined) {
    const warnings = await writePlanCharts(doc, opts.out);
    for (const w of warnings) printError(`zksim: warning: ${w}\n`);
    if (!opts.json) print(`\nCharts and plan.json written to ${opts.out}\n`);
  }
}

function planDocument(studies: readonly PlanStudy[], topology: Topology, seed: string, experiment: Experiment | null, opts: PlanOptions): PlanDocument {
  return {
    kind: 'zksim-plan',
    version: packageVersion(),
    topology: topology.name,
    seed,
    runs: studies[0]?.runs ?? 0,
    failures: experiment?.name ?? null,
    faults: [...(opts.fault ?? [])],
    writesPerSec: Number(opts.writes),
    plans: studies.map(planStudyJson),
  };
}
