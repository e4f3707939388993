import type { Command } from 'commander';
import { deriveSeed } from '../../core/index.js';
import { formatDurationUs } from '../../model/duration.js';
import type { Topology } from '../../model/index.js';
import { cdf, durationCdf } from '../../report/charts/cdf.js';
import { drActivity, drSitesChart } from '../../report/charts/dr.js';
import { runCharts, type Chart } from '../../report/charts/index.js';
import { drDrillJson, drDrillText, drSummary, drSummaryText, type DrDocument } from '../../report/dr-json.js';
import { runJson } from '../../report/run-json.js';
import { runDrDrill } from '../../scenario/dr.js';
import type { PromoteStep } from '../../scenario/dr-steps.js';
import { DEFAULT_SESSION_TIMEOUT_US } from '../../scenario/index.js';
import { PLAN_STEP_KINDS } from '../../scenario/plan-kinds.js';
import { UserError } from '../errors.js';
import { checkDirectory, escapeControl, loadTopology, packageVersion, print, printError } from '../io.js';
import { collect, durationOption, faultOptions, keptRunsOption, rateOption, seedOption } from '../options.js';
import { writeDrFiles } from '../render/dr.js';
import { loadPlanFile } from '../plan-file.js';
import { faultHelpText } from '../../config/faults.js';

interface DrOptions {
  topology?: string;
  fault?: string[];
  seed: string;
  runs: string;
  writes: string;
  duration?: string;
  json?: boolean;
  out?: string;
  progress?: boolean;
}

/** Long enough for the shipped runbooks' slowest draws (detection + decision + switch) in most runs. */
const DEFAULT_AFTER_START_US = 3_600_000_000;
const RUNBOOK_KINDS = PLAN_STEP_KINDS.filter((k) => ['detectLoss', 'promote', 'switchClients'].includes(k.kind));

export function registerDr(program: Command): void {
  program
    .command('dr')
    .description('a DR drill: a runbook plan (detect the primary lost, decide, promote the DR site, switch clients) under a fault, with a workload; reports RTO, RPO (acknowledged writes lost, counted exactly) and split brain')
    .argument('<runbook>', 'a runbook plan file, e.g. experiments/plans/dr-failover.yaml')
    .option('--topology <file>', 'topology YAML file (required): DR observers (topologies/n5-3az-dr.yaml) or a dr: standby (topologies/n5-3az-dr-async.yaml)')
    .option('--fault <spec>', 'the fault the drill recovers from (required, repeatable), e.g. region-down:region1@60s or partition:az1,az2,az3|dr1@60s+5m', collect)
    .option('--seed <seed>', 'root seed: the same seed prints the same output, byte for byte', '1')
    .option('--runs <n>', 'drills: 1 prints the runbook timeline and the drill; more, the spread of RTO and RPO (run i is seeded SEED|trial:i)', '1')
    .option('--writes <rate>', 'client writes per second over the whole ensemble (Poisson): what RPO counts', '20')
    .option('--duration <dur>', "each drill's simulated time (default: the runbook's start + 1h)")
    .option('--json', 'print the result as one JSON document instead of text')
    .option('--no-progress', 'never draw the progress line (it is drawn only when stderr is a terminal and runs > 1)')
    .option('--out <dir>', 'also write dr.json and the charts (both sites over time and the servers\' timeline for one run; RTO and RPO CDFs for several) into DIR')
    .addHelpText('after', faultHelpText())
    .addHelpText('after', `\nRunbook step kinds (with every kind of zksim plan --help):\n${RUNBOOK_KINDS.map((k) => `  ${k.help}`).join('\n')}\n`)
    .addHelpText(
      'after',
      '\nRTO: from the first fault to the first write the DR site acknowledges after the clients switched (the switch is an instant:\n' +
        'the simulated clients are not moved; writes failing after it elsewhere are counted apart). RPO: writes acknowledged\n' +
        'before the promotion that the promoted history lacks. Split brain: both sites acknowledge writes after the promotion.\n' +
        'Exit status: 0 done (whatever the drill found); 2 bad input, or an --out that cannot be written.\n' +
        '\nExamples:\n  zksim dr experiments/plans/dr-failover.yaml --topology topologies/n5-3az-dr.yaml --fault region-down:region1@60s --duration 15m\n' +
        '  zksim dr experiments/plans/dr-failover-async.yaml --topology topologies/n5-3az-dr-async.yaml --fault region-down:region1@60s --runs 20\n' +
        '  zksim dr experiments/plans/dr-promote-unsafe.yaml --topology topologies/n5-3az-dr.yaml --fault "partition:az1,az2,az3|dr1@60s+2m" --duration 4m\n',
    )
    .action((file: string, opts: DrOptions) => drCommand(file, opts));
}

/** A standby promotion needs the topology's dr: section; say so before running anything. */
function checkStandby(file: string, steps: readonly { kind: string }[], topology: Topology): void {
  const i = steps.findIndex((s) => s.kind === 'promote' && (s as PromoteStep).site.kind === 'standby');
  if (i >= 0 && topology.dr === undefined) throw new UserError(`${file}: steps[${i}].promote: "standby" needs a topology with a dr: section (a standby ensemble), and ${topology.name} has none, e.g. use topologies/n5-3az-dr-async.yaml`);
}

async function drCommand(file: string, opts: DrOptions): Promise<void> {
  if (opts.topology === undefined) throw new UserError('dr: --topology <file> is required, e.g. --topology topologies/n5-3az-dr.yaml');
  const topology = loadTopology(opts.topology);
  const plan = loadPlanFile(file, topology);
  checkStandby(file, plan.steps, topology);
  if (opts.fault === undefined || opts.fault.length === 0) throw new UserError('dr: --fault <spec> is required: a drill recovers from a fault, e.g. --fault region-down:region1@60s (with no fault there is nothing to recover from)');
  const seed = seedOption(opts.seed);
  const runs = keptRunsOption('dr', opts.runs);
  const durationUs = opts.duration === undefined ? plan.startUs + DEFAULT_AFTER_START_US : durationOption('--duration', opts.duration);
  if (durationUs <= plan.startUs) throw new UserError(`--duration ${opts.duration}: not longer than the runbook's start (${formatDurationUs(plan.startUs)}): it would never begin`);
  const faults = faultOptions(opts.fault ?? [], topology, durationUs);
  const writesPerSec = rateOption('--writes', opts.writes);
  if (opts.out !== undefined) checkDirectory(opts.out, '--out');
  const workload = { writesPerSec, readsPerSec: 0, sessionTimeoutUs: DEFAULT_SESSION_TIMEOUT_US };
  const version = packageVersion();
  const drills = [];
  let charts: Chart[] = [];
  const showProgress = opts.progress !== false && process.stderr.isTTY && runs > 1;
  for (let i = 0; i < runs; i++) {
    if (showProgress) process.stderr.write(`\r${escapeControl(plan.name)}: drill ${i + 1}/${runs}\x1b[K`);
    const s = runs === 1 ? seed : deriveSeed(seed, i);
    const d = runDrDrill({ topology, seed: s, durationUs, faults, workload, plan: { plan, kinds: PLAN_STEP_KINDS } });
    drills.push(drDrillJson(s, d.outcome, d.result.plan as NonNullable<typeof d.result.plan>));
    if (runs === 1 && opts.out !== undefined) {
      const meta = { seed, version, topology: topology.name, details: [...(opts.fault ?? [])] };
      const sites = drActivity(d.events, d.outcome.site, d.outcome.promotedUs, Math.max(1_000_000, Math.round(durationUs / 120 / 1e6) * 1e6), durationUs);
      const marks = [
        ...(d.outcome.lossUs === null ? [] : [{ atS: d.outcome.lossUs / 1e6, label: 'fault' }]),
        ...(d.outcome.promotedUs === null ? [] : [{ atS: d.outcome.promotedUs / 1e6, label: 'DR promoted' }]),
        ...(d.outcome.switchedUs === null ? [] : [{ atS: d.outcome.switchedUs / 1e6, label: 'clients switched' }]),
      ];
      charts = [{ name: 'dr-sites', title: 'Both sites over the drill', spec: drSitesChart(sites, marks, `DR drill ${plan.name} on ${topology.name}: writes at both sites`, meta) }, ...runCharts(runJson(d.result, topology, version))];
    }
  }
  if (showProgress) process.stderr.write('\r\x1b[K');
  const doc: DrDocument = { kind: 'zksim-dr', version, seed, topology: topology.name, plan: plan.name, faults: [...(opts.fault ?? [])], writesPerSec, durationMs: durationUs / 1000, drills, summary: drSummary(drills) };
  if (runs > 1 && opts.out !== undefined) charts = spreadCharts(doc);
  if (opts.json) print(`${JSON.stringify(doc, null, 2)}\n`);
  else print(runs === 1 ? drDrillText(drills[0] as DrDocument['drills'][number], doc) : drSummaryText(doc));
  if (opts.out !== undefined) {
    for (const w of await writeDrFiles(doc, charts, opts.out)) printError(`zksim: warning: ${w}\n`);
    if (!opts.json) print(`\nCharts and dr.json written to ${opts.out}\n`);
  }
}

function spreadCharts(doc: DrDocument): Chart[] {
  const meta = { seed: doc.seed, version: doc.version, topology: doc.topology, details: [`${doc.drills.length} drills`, ...doc.faults] };
  const rto = doc.drills.flatMap((d) => (d.rtoMs === null ? [] : [d.rtoMs]));
  const rpo = doc.drills.flatMap((d) => (d.rpoWrites === null ? [] : [d.rpoWrites]));
  return [
    { name: 'dr-rto-cdf', title: 'RTO over the drills', spec: durationCdf(rto, `RTO of ${doc.plan}: loss → writes again`, meta, 'RTO') },
    { name: 'dr-rpo-cdf', title: 'RPO over the drills', spec: cdf(rpo, `RPO of ${doc.plan}: acknowledged writes lost`, 'writes', meta, 'RPO') },
  ];
}
