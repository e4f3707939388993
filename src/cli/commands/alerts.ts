/**
 * `zksim alerts show | study | tune` (issue 15 §1): alert rules files (config/alerts.ts) printed
 * as PromQL, evaluated over a Monte Carlo study's simulated years (montecarlo/alert-study*.ts),
 * and one rule's threshold or `for:` swept into a detection-time vs false-pages curve.
 */
import type { Command } from 'commander';
import { formatDurationUs } from '../../model/duration.js';
import { isInitialVoter } from '../../model/topology.js';
import type { Topology } from '../../model/index.js';
import { runAlertStudy } from '../../montecarlo/alert-study-stats.js';
import { runAlertTune, type TuneKnob } from '../../montecarlo/alert-study-tune.js';
import { quietUpdateLatencyMs, type AlertStudyInput } from '../../montecarlo/alert-study.js';
import { MAX_STUDY_WRITES_PER_SEC, STUDY_SETTLE_US, STUDY_WRITES_PER_SEC, studyWorkload } from '../../montecarlo/alert-study-workload.js';
import { parsePromDurationUs, promDurationExpected } from '../../config/alerts.js';
import { alertStudyText, rulesText, tuneText } from '../../report/alerts-text.js';
import { loadAlertRules, shippedRules } from '../alerts-file.js';
import { UserError } from '../errors.js';
import { checkDirectory, escapeControl, loadExperiment, loadTopology, packageVersion, print, printError, shippedFile } from '../io.js';
import { durationOption, keptRunsOption, seedOption } from '../options.js';
import { writeAlertCharts } from '../render/alerts.js';

interface AlertsOptions {
  rules?: string;
  topology?: string;
  experiment?: string;
  runs: string;
  horizon: string;
  seed: string;
  grace: string;
  rule?: string;
  thresholds?: string;
  for?: string;
  json?: boolean;
  out?: string;
  progress?: boolean;
  workload?: boolean;
  workloadRate?: string;
}

const DEFINITIONS =
  '\nDefinitions: a write outage is an interval without a write-available leader (after the cold start); a page catches it when a\n' +
  '  page-severity alert starts firing between its start and --grace after its end (a page already firing when it starts does not);\n' +
  '  time to detect = that firing − the start. Every other page episode is a false page (one firing before an outage and through it\n' +
  '  too); "paging for nothing" is the share of time a false page fires. A quorum-loss page (no leader, or voters down) is checked\n' +
  "  against its bound: scrape + for: + the leader's step-down, (syncLimit + 1) × tickTime, for a no-leader rule. Without --workload\n" +
  '  trials run no workload: zk_p99_updatelatency is held at the p99 of a quiet minute. Trials run inline, in index order (no worker\n' +
  '  pool): same seed, same bytes.\n';

export function registerAlerts(program: Command): void {
  const alerts = program.command('alerts').description('alert rules over the signals a deployment exports (mntr names): print them as PromQL, count how often they fire per year, tune a threshold');
  alerts
    .command('show')
    .description('validate a rules file and print each rule as the PromQL to paste into Prometheus')
    .argument('[rules]', 'rules YAML file (default: the packaged alerts/production.yaml)')
    .option('--topology <file>', 'print `quorum` thresholds as this topology\'s majority')
    .addHelpText('after', '\nExit status: 0 the rules are valid (warnings go to stderr); 2 bad input.\n\nExamples:\n  zksim alerts show alerts/production.yaml --topology topologies/n5-3az.yaml\n')
    .action((file: string | undefined, opts: AlertsOptions) => {
      const topology = opts.topology === undefined ? null : loadTopology(opts.topology);
      const n = topology === null ? null : voters(topology);
      print(rulesText(loadAlertRules(file ?? shippedRules(), n, topology?.quorum === 'hierarchical'), n));
    });
  studyOptions(alerts.command('study').description('Monte Carlo: alerts per year by rule and severity, time to detect each write outage, outages no page caught, false pages'))
    .addHelpText('after', `${DEFINITIONS}\nExamples:\n  zksim alerts study topologies/n5-3az.yaml --rules alerts/production.yaml --runs 20\n  zksim alerts study topologies/n3-1az.yaml --runs 50 --json\n`)
    .action((file: string, opts: AlertsOptions) => studyCommand(file, opts));
  studyOptions(alerts.command('tune').description("sweep one rule's threshold (or for:) over the same trials: detection time vs false pages per year, as a table and a curve (--out)"))
    .requiredOption('--rule <name>', 'the rule (its `alert:` name) to sweep')
    .option('--thresholds <list>', 'threshold values, comma-separated, e.g. 1,2,3,5')
    .option('--for <list>', '`for:` durations, comma-separated, e.g. 0s,30s,1m,5m')
    .addHelpText('after', `${DEFINITIONS}\nExamples:\n  zksim alerts tune topologies/n3-1az.yaml --rule ZooKeeperFrequentElections --thresholds 0,1,2,3,5 --runs 20 --out out/tune\n`)
    .action((file: string, opts: AlertsOptions) => tuneCommand(file, opts));
}

function studyOptions(cmd: Command): Command {
  return cmd
    .argument('<topology>', 'topology YAML file, e.g. topologies/n5-3az.yaml')
    .option('--rules <file>', 'alert rules YAML file (default: the packaged alerts/production.yaml)')
    .option('--experiment <file>', 'failure-model YAML (default: the packaged experiments/production.yaml)')
    .option('--runs <n>', 'trials (cluster-years with the default horizon)', '20')
    .option('--horizon <dur>', 'simulated time per trial', '1y')
    .option('--seed <seed>', 'root seed; trial i uses a seed derived from (seed, i), as zksim availability', '1')
    .option('--grace <dur>', 'a page that starts firing up to this long after an outage ends still catches it', '5m')
    .option('--json', 'print the result as one JSON document instead of text')
    .option('--out <dir>', 'also write the JSON document and the charts (.vl.json, .svg, .png) into DIR')
    .option('--no-progress', 'never draw the progress line (drawn only when stderr is a terminal)')
    .option('--workload', `run a lazy workload in the trials, so latency and outstanding-request rules see what writes meet: writes while writes are down and for ${STUDY_SETTLE_US / 1e6} s after each change of the ensemble (fault, role, sync, restart), each server's p99 held in between; about 2-3x slower`)
    .option('--workload-rate <n>', `the workload's writes per second over the ensemble (0 < n <= ${MAX_STUDY_WRITES_PER_SEC}; cost grows with it)`, String(STUDY_WRITES_PER_SEC))
    .addHelpText('after', '\nExit status: 0 done; 2 bad input, or an --out that cannot be written (checked before simulating).\n');
}

function voters(t: Topology): number {
  return t.servers.filter(isInitialVoter).length;
}

/** Everything a study or tune needs, validated before simulating; `tuned`: the rule tune sweeps (its name checked). */
function studyInput(file: string, opts: AlertsOptions, tuned: string | null = null): AlertStudyInput {
  const topology = loadTopology(file);
  const rules = loadAlertRules(opts.rules ?? shippedRules(), voters(topology), topology.quorum === 'hierarchical');
  if (tuned !== null && !rules.rules.some((r) => r.alert === tuned)) throw new UserError(`--rule ${JSON.stringify(tuned)}: expected one of the rules' names (${rules.rules.map((r) => r.alert).join(', ')})`);
  // the quiet minute is simulated only when a rule reads the latency, the workload only when one reads a signal it moves (the tuned rule alone, for tune)
  const reads = (signals: readonly string[]): boolean => rules.rules.some((r) => (tuned === null || r.alert === tuned) && signals.includes(r.expr.signal));
  const readsLatency = reads(['zk_p99_updatelatency']);
  const rate = workloadRate(opts.workloadRate);
  const experiment = loadExperiment(opts.experiment ?? shippedFile('experiments', 'production'));
  const runs = keptRunsOption('alerts', opts.runs);
  const horizonUs = horizonOption(opts.horizon, rules.evaluationIntervalUs);
  const graceUs = durationOption('--grace', opts.grace);
  if (opts.out !== undefined) checkDirectory(opts.out, '--out');
  const showProgress = opts.progress !== false && process.stderr.isTTY === true && runs > 1;
  return {
    topology, experiment, rules, runs, horizonUs, graceUs, seed: seedOption(opts.seed), steadyLatencyMs: readsLatency ? quietUpdateLatencyMs(topology) : null,
    workload: opts.workload === true && reads(WORKLOAD_SIGNALS) ? studyWorkload(rate) : null,
    ...(showProgress ? { onProgress: (done: number, total: number) => process.stderr.write(`\r${escapeControl(topology.name)}: ${done}/${total} runs${done === total ? '\r\x1b[K' : '\x1b[K'}`) } : {}),
  };
}

async function studyCommand(file: string, opts: AlertsOptions): Promise<void> {
  const input = studyInput(file, opts);
  const study = { ...runAlertStudy(input), version: packageVersion() };
  print(opts.json ? `${JSON.stringify(study, null, 2)}\n` : alertStudyText(study));
  if (opts.out !== undefined) await writeOut(opts.out, { kind: 'study', doc: study }, opts);
}

async function tuneCommand(file: string, opts: AlertsOptions): Promise<void> {
  if ((opts.thresholds === undefined) === (opts.for === undefined)) throw new UserError('alerts tune: give exactly one of --thresholds LIST or --for LIST');
  const knob: TuneKnob = opts.thresholds !== undefined ? 'threshold' : 'for';
  const values = knob === 'threshold' ? listOption('--thresholds', opts.thresholds ?? '', numberValue) : listOption('--for', opts.for ?? '', forValue);
  const input = studyInput(file, opts, opts.rule ?? '');
  const tune = { ...runAlertTune(input, opts.rule ?? '', knob, values), version: packageVersion() };
  print(opts.json ? `${JSON.stringify(tune, null, 2)}\n` : tuneText(tune));
  if (opts.out !== undefined) await writeOut(opts.out, { kind: 'tune', doc: tune }, opts);
}

/** Below this horizon a study counts little but the cold start (as zksim availability warns: montecarlo/estimate.ts). */
const SHORT_HORIZON_US = 3_600_000_000;

/**
 * --horizon: refused when no evaluation would fall in it (nothing to count); a warning on stderr
 * when shorter than an hour, since the per-year rates then rest on minutes of simulated time and
 * their intervals (Poisson, from the counts) are too wide to mean anything.
 */
function horizonOption(text: string, evaluationUs: number): number {
  const horizonUs = durationOption('--horizon', text);
  if (horizonUs < evaluationUs) {
    throw new UserError(`--horizon ${text}: expected at least the rules' evaluation_interval (${formatDurationUs(evaluationUs)}): a shorter trial evaluates no rule; a study wants months to years (default 1y)`);
  }
  if (horizonUs < SHORT_HORIZON_US) {
    printError(`zksim: warning: --horizon ${formatDurationUs(horizonUs)} is shorter than one hour: each trial sees little beyond the cold-start election, and the per-year rates and their 95% intervals cannot be trusted; use a horizon of months to years\n`);
  }
  return horizonUs;
}

/** The signals only a workload moves: without one they hold still (the latency at the quiet minute's p99). */
const WORKLOAD_SIGNALS = ['zk_p99_updatelatency', 'zk_outstanding_requests', 'zk_approximate_data_size'];

function workloadRate(text: string | undefined): number {
  const v = Number(text ?? STUDY_WRITES_PER_SEC);
  if (text?.trim() === '' || !(v > 0 && v <= MAX_STUDY_WRITES_PER_SEC)) throw new UserError(`--workload-rate ${JSON.stringify(text)}: expected writes per second, a number in (0, ${MAX_STUDY_WRITES_PER_SEC}]`);
  return v;
}

function numberValue(flag: string, text: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v)) throw new UserError(`${flag}: expected numbers separated by commas, found ${JSON.stringify(text)}`);
  return v;
}

/** One `--for` value: a Prometheus duration, 0s allowed (config/alerts.ts parsePromDurationUs). */
function forValue(flag: string, text: string): number {
  const us = parsePromDurationUs(text);
  if (us !== null) return us;
  throw new UserError(`${flag} ${JSON.stringify(text)}: ${promDurationExpected(true)}${text.includes('.') ? ' (Prometheus rejects fractions: write 1.5m as 1m30s)' : ''}`);
}

function listOption(flag: string, text: string, parse: (flag: string, item: string) => number): number[] {
  const items = text.split(',').map((s) => s.trim());
  if (items.length === 0 || items.some((s) => s === '')) throw new UserError(`${flag} ${JSON.stringify(text)}: expected values separated by commas, e.g. 1,2,3`);
  return items.map((s) => parse(flag, s));
}

async function writeOut(dir: string, what: Parameters<typeof writeAlertCharts>[0], opts: AlertsOptions): Promise<void> {
  const warnings = await writeAlertCharts(what, dir);
  for (const w of warnings) printError(`zksim: warning: ${w}\n`);
  if (!opts.json) print(`\nCharts and ${what.kind === 'study' ? 'alert-study' : 'alert-tune'}.json written to ${dir}\n`);
}
