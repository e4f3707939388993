import { closeSync, createReadStream, openSync, renameSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Command } from 'commander';
import { EXIT_SAFETY_VIOLATION, runExitCode, runJson, type RunJson } from '../../report/run-json.js';
import { runText } from '../../report/run-text.js';
import { runAlerts } from '../../report/alerts-run.js';
import { runAlertsText } from '../../report/alerts-text.js';
import { loadAlertRules } from '../alerts-file.js';
import { runTrial, Trial, type TraceRecord, type TrialOptions, type TrialResult } from '../../scenario/index.js';
import { DEFAULT_DIGEST_POLL_US, DigestAutomation } from '../../scenario/byzantine-ops.js';
import { formatConfigError } from '../../config/index.js';
import { parseScenario } from '../../config/scenario.js';
import { faultHelpText } from '../../config/faults.js';
import { RUN_CLIENT_EVENT_LIMIT } from '../../config/limits.js';
import { scenarioFromFile, type Scenario } from '../../scenario/scenario-file.js';
import { QUORUM_RULES, UNSAFE_VARIANTS, type QuorumRule, type UnsafeVariant } from '../../zk/index.js';
import type { Topology } from '../../model/index.js';
import { checkDirectory, loadTopology, makeDirectory, outputTarget, packageVersion, print, printError, readText, temporaryFor, trackTemporary, untrackTemporary, wrongKindHint } from '../io.js';
import { ExitError, UserError } from '../errors.js';
import { writeReport } from '../render/index.js';
import { playerFile, playerSampler } from '../render/player.js';
import type { MessageSampler } from '../../report/player/data.js';
import { choiceOption, collect, durationOption, faultOptions, quorumRuleOption, rateOption, seedOption, unsafeOption } from '../options.js';
import type { TraceJob, TraceReply } from '../run-worker.js';

interface RunOptions {
  seed: string;
  duration: string;
  fault?: string[];
  json?: boolean;
  trace?: string;
  out?: string;
  writes: string;
  reads: string;
  sessionTimeout: string;
  scenario?: string;
  quorumRule?: string;
  unsafe?: string[];
  alerts?: string;
  digestAudit?: string;
  quarantine?: boolean;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('one deterministic, message-level run of a topology: a timeline of every role change, then a summary')
    .argument('<topology>', 'topology YAML file, e.g. topologies/n3-1az.yaml')
    .option('--seed <seed>', 'root seed: the same seed prints the same output, byte for byte', '1')
    .option('--duration <dur>', 'simulated time, e.g. 60s, 10m, 1h', '60s')
    .option(
      '--fault <spec>',
      'inject a fault (repeatable), KIND:TARGET@T[+DUR]; the kinds are listed under "Faults" below',
      collect,
    )
    .option('--writes <rate>', 'client writes per second over the whole ensemble (Poisson)', '0')
    .option('--reads <rate>', 'client reads per second over the whole ensemble (Poisson)', '0')
    .option('--session-timeout <dur>', 'requested client session timeout, clamped into [2, 20] x tickTime', '30s')
    .option('--scenario <file>', 'replay a scenario file (seed, duration, faults, workload, overrides; what zksim check writes); flags given too take precedence, --fault adds to its faults')
    .addOption(choiceOption('--quorum-rule <rule>', 'how servers count a quorum (naive is deliberately unsafe)', QUORUM_RULES))
    .addOption(choiceOption('--unsafe <variant>', 'a deliberately unsafe protocol variant (repeatable)', UNSAFE_VARIANTS, collect))
    .option('--json', 'print the result as one JSON document (schemas/run.schema.json) instead of text')
    .option('--trace <file>', 'also write every simulation event as JSON Lines to FILE')
    .option('--alerts <file>', 'evaluate alert rules (e.g. alerts/production.yaml) over the run: when each fired and resolved, in the text, the JSON (`alerts`) and the timeline chart')
    .option('--digest-audit <interval>', "poll every serving server's digest log (the admin `hash` command) every INTERVAL and remember it: a committed entry gone or two digests for one zxid is a `digestDiverged` event in the timeline (what `zksim demo byzantine` audits)")
    .option('--quarantine', 'act on a digest mismatch (polled every 30 s) or, with --digest-audit, on a divergence: remove the server by reconfig, replace its data directory, add it back after its SNAP (`quarantined`, `readmitted` in the timeline)')
    .option('--out <dir>', 'also write run.json, the timeline chart (.vl.json, .svg, .png), report.html and player.html (step through the run in a browser, offline) into DIR')
    .addHelpText(
      'after',
      `\nExit status: 0 the run finished and no safety invariant was violated; ${EXIT_SAFETY_VIOLATION} an invariant was violated under ZooKeeper's rules (as zksim check);\n` +
        '  2 bad input, or an output (--trace, --out) that cannot be written (--trace and --out are checked before simulating);\n' +
        '  130/143 interrupted by Ctrl-C/SIGTERM (a half-written --trace is removed). Under --quorum-rule naive or --unsafe violations are the point of the run: it exits 0 and says they were expected.',
    )
    .addHelpText('after', faultHelpText())
    .addHelpText('after', '\nExamples:\n  zksim run topologies/n3-1az.yaml --seed 7 --duration 60s --fault kill:leader@10s\n  zksim run topologies/n5-3az.yaml --fault isolate:leader@20s+30s --json\n  zksim run topologies/n5-3az.yaml --writes 200 --duration 60s --fault kill:leader@20s\n')
    .action((file: string, opts: RunOptions, cmd: Command) => runCommand(file, opts, cmd));
}

/**
 * --digest-audit / --quarantine: the operator's digest automation of scenario/byzantine-ops.ts, or
 * null without either. UserError on a bad interval, or with --trace (the traced run runs in a worker).
 */
function digestAutomation(opts: RunOptions): DigestAutomation | null {
  if (opts.digestAudit === undefined && !opts.quarantine) return null;
  if (opts.trace !== undefined) throw new UserError(`--trace cannot be combined with ${opts.digestAudit === undefined ? '--quarantine' : '--digest-audit'}: give one or the other`);
  const audit = opts.digestAudit === undefined ? null : { pollUs: durationOption('--digest-audit', opts.digestAudit), act: opts.quarantine === true };
  return new DigestAutomation(DEFAULT_DIGEST_POLL_US, audit);
}

/** The trial, with the digest automation's plan attached to it when there is one. */
function runAutomated(options: TrialOptions, auto: DigestAutomation | null): TrialResult {
  if (auto === null) return runTrial(options);
  const trial = new Trial({ ...options, digest: true, plan: auto.spec });
  auto.attach(trial.recorder);
  return trial.run();
}

/** A scenario file applied to the topology, or null without --scenario. */
function loadScenario(file: string | undefined, base: Topology): { topology: Topology; scenario: Scenario } | null {
  if (file === undefined) return null;
  const text = readText(file, 'scenario');
  const parsed = parseScenario(text, file);
  if (!parsed.ok) throw new UserError(wrongKindHint(text, file, 'scenario') ?? parsed.errors.map(formatConfigError).join('\n'));
  const loaded = scenarioFromFile(parsed.scenario, base);
  if (!loaded.ok) throw new UserError(loaded.errors.map(formatConfigError).join('\n'));
  return loaded;
}

async function runCommand(file: string, opts: RunOptions, cmd: Command): Promise<void> {
  const base = loadTopology(file);
  const loaded = loadScenario(opts.scenario, base);
  const given = (name: string): boolean => cmd.getOptionValueSource(name) === 'cli';
  const sc = loaded?.scenario;
  const topology = loaded?.topology ?? base;
  const seed = sc && !given('seed') ? sc.seed : seedOption(opts.seed);
  const durationUs = sc && !given('duration') ? sc.durationUs : durationOption('--duration', opts.duration);
  const faults = [...(sc?.faults ?? []), ...faultOptions(opts.fault ?? [], topology, durationUs)];
  const writesPerSec = sc?.workload && !given('writes') ? sc.workload.writesPerSec : rateOption('--writes', opts.writes);
  const readsPerSec = sc?.workload && !given('reads') ? sc.workload.readsPerSec : rateOption('--reads', opts.reads);
  const sessionTimeoutUs = sc?.workload && !given('sessionTimeout') ? sc.workload.sessionTimeoutUs : durationOption('--session-timeout', opts.sessionTimeout);
  const workload = writesPerSec > 0 || readsPerSec > 0 ? { workload: { writesPerSec, readsPerSec, sessionTimeoutUs } } : {};
  const rules = unsafeOptions(opts, sc);
  // Every output is checked before simulating: a bad --trace or --out used to fail after the run.
  const traceTarget = opts.trace === undefined ? null : outputTarget(opts.trace, '--trace');
  if (opts.out !== undefined) checkDirectory(opts.out, '--out'); // created when written: a failed or interrupted run leaves none
  const alertRules = opts.alerts === undefined ? null : loadAlertRules(opts.alerts, null, topology.quorum === 'hierarchical');
  const options = { topology, seed, durationUs, faults, ...workload, ...rules, clientEventLimit: RUN_CLIENT_EVENT_LIMIT };
  // player.html (--out) draws the messages the run delivered: sampled from the trace as it runs.
  const sampler = opts.out !== undefined ? playerSampler() : null;
  const traced = sampler !== null ? { trace: sampler.trace } : {};
  const auto = digestAutomation(opts);
  const ran = opts.trace !== undefined && traceTarget !== null ? await runWithTrace(options, opts.trace, traceTarget) : runJson(runAutomated({ ...options, ...traced }, auto), topology, packageVersion());
  const doc = alertRules === null ? ran : { ...ran, alerts: runAlerts(ran, alertRules) };
  print(opts.json ? `${JSON.stringify(doc, null, 2)}\n` : runText(doc) + ('alerts' in doc ? runAlertsText(doc.alerts) : ''));
  if (opts.out !== undefined && sampler !== null) {
    if (traceTarget !== null) await replayTrace(traceTarget, sampler);
    const extra = [{ name: 'run.json', data: `${JSON.stringify(doc, null, 2)}\n` }, playerFile({ doc, topology, faults, sampler })];
    const { warnings } = await writeReport({ kind: 'run', doc }, { dir: opts.out, formats: ['svg', 'png', 'html'], extra });
    for (const w of warnings) printError(`zksim: warning: ${w}\n`);
  }
  // After every output is written: the report of a violating run is what the user needs most.
  const code = runExitCode(doc);
  if (code !== 0) throw new ExitError(code);
}

/** Feeds a written --trace file (JSON Lines of TraceRecord) to the player's sampler: the run itself ran in a worker. */
async function replayTrace(file: string, sampler: MessageSampler): Promise<void> {
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  // every record, not only the messages: a message's send instant is its sender's last step
  for await (const line of lines) if (line !== '') sampler.trace(JSON.parse(line) as TraceRecord);
}

/** --quorum-rule and --unsafe, over the scenario's; only what differs from ZooKeeper's rules. */
function unsafeOptions(opts: RunOptions, sc: Scenario | undefined): { quorumRule?: QuorumRule; unsafe?: UnsafeVariant[] } {
  const quorumRule: QuorumRule = opts.quorumRule !== undefined ? quorumRuleOption(opts.quorumRule) : (sc?.quorumRule ?? 'majority');
  const unsafe = unsafeOption(opts.unsafe ?? [], sc?.unsafe ?? []);
  return { ...(quorumRule !== 'majority' ? { quorumRule } : {}), ...(unsafe.length > 0 ? { unsafe } : {}) };
}

/**
 * The run with every event written as JSON Lines to `file`: into a hidden temporary sibling, by a
 * worker thread (see run-worker.ts), renamed into place only when the run completed. Ctrl-C or
 * SIGTERM meanwhile removes the temporary (cli/io.ts tracks it) and exits at once.
 */
async function runWithTrace(options: Omit<TrialOptions, 'trace'>, file: string, target: string): Promise<RunJson> {
  makeDirectory(dirname(target), '--trace', file);
  const tmp = temporaryFor(target);
  trackTemporary(tmp);
  let fd: number | null = null;
  try {
    try {
      fd = openSync(tmp, 'w');
    } catch (e) {
      throw new UserError(`--trace ${file}: cannot write (${(e as Error).message})`);
    }
    const job: TraceJob = { options, fd, version: packageVersion() };
    const reply = await new Promise<TraceReply>((resolve, reject) => {
      const worker = new Worker(new URL('../run-worker.js', import.meta.url), { workerData: job });
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the run's worker thread exited with code ${code} before its result`)));
    });
    if (!reply.ok) throw new UserError(`--trace ${file}: cannot write (${reply.writeError}); the run was not completed`);
    closeSync(fd);
    fd = null;
    try {
      renameSync(tmp, target);
    } catch (e) {
      throw new UserError(`--trace ${file}: cannot write (${(e as Error).message})`);
    }
    return reply.doc;
  } finally {
    if (fd !== null) closeSync(fd);
    rmSync(tmp, { force: true });
    untrackTemporary(tmp);
  }
}
