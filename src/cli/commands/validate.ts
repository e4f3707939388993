import { Option, type Command } from 'commander';
import { isMap, isScalar, parseDocument } from 'yaml';
import { basenameWithoutExtension, formatConfigError, parseTopology, type ConfigError } from '../../config/index.js';
import { parseExperiment } from '../../config/experiment.js';
import { parsePlan } from '../../config/plan.js';
import { parseScenario, resolveScenario } from '../../config/scenario.js';
import { describeFailureModel } from '../../faults/index.js';
import { formatDurationUs } from '../../model/duration.js';
import { isInitialVoter, type Topology } from '../../model/index.js';
import { PLAN_STEP_KINDS } from '../../scenario/plan-kinds.js';
import { UserError } from '../errors.js';
import { loadTopology, print, printError, readText } from '../io.js';
import { lintPlacement } from '../lint.js';
import { isZooCfg, readZooCfgFiles, zooCfgYaml } from '../zoocfg.js';

const KINDS = ['topology', 'experiment', 'scenario', 'plan'] as const;
export type ConfigKind = (typeof KINDS)[number];

/**
 * Top-level keys that tell a file's kind. `servers` is only a topology's and `failures` only an
 * experiment's; the scenario keys are those no other kind has (both scenarios and experiments
 * may carry `seed`, `description` and `workload`, so those decide nothing).
 */
const KIND_KEYS: readonly (readonly [ConfigKind, readonly string[]])[] = [
  ['topology', ['servers']],
  ['experiment', ['failures', 'horizon', 'runs']],
  ['scenario', ['faults', 'quorumRule', 'unsafe', 'duration', 'topology']],
  ['plan', ['steps']],
];

/** The kind a YAML text's top-level keys say, or null when they say nothing (or it is not YAML). */
export function detectKind(text: string): ConfigKind | null {
  const doc = parseDocument(text);
  if (doc.errors.length > 0 || !isMap(doc.contents)) return null;
  const keys = new Set(doc.contents.items.map((p) => (isScalar(p.key) ? String(p.key.value) : '')));
  for (const [kind, markers] of KIND_KEYS) if (markers.some((k) => keys.has(k))) return kind;
  // An experiment's `workload` is reserved (null); a scenario's is a mapping of rates.
  if (isMap(doc.contents.get('workload', true))) return 'scenario';
  return null;
}

interface ValidateOptions {
  kind?: ConfigKind;
  topology?: string;
}

/**
 * `zksim validate FILE...`: topology, experiment, scenario and plan files, each kind told from the
 * file's keys (or --kind), every problem with file, field path and, where YAML gives it, line and
 * column. Topologies also get placement warnings. Exit 2 when any file has a problem; warnings
 * alone exit 0.
 */
export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check topology, experiment, scenario and plan files: every problem with its field path, line and column; placement warnings for topologies')
    .argument('<files...>', 'YAML files to check')
    .addOption(new Option('--kind <kind>', 'read every file as this kind instead of telling it from its keys').choices(KINDS))
    .option('--topology <file>', "check scenario files' faults and overrides, and the servers plan files name, against this topology (else only their own fields are checked)")
    .addHelpText(
      'after',
      '\nThe kind of each file is told from its top-level keys: servers → topology; failures, horizon or runs → experiment;\n' +
        'faults, quorumRule, unsafe, duration, topology or a workload mapping → scenario; steps → plan (zksim plan, zksim dr).\n' +
        '\nPlacement warnings (exit status stays 0): an even number of voters, voters sharing a host or a rack, a zone whose\n' +
        'outage leaves no quorum, voters in fewer than three zones, initLimit or syncLimit × tickTime under ten one-way\n' +
        'delays between the farthest voters (a leader may never be established, or followers time out).\n' +
        '\nExit status: 0 every file is valid (warnings or not), 2 some file has a problem.\n' +
        '\nExamples:\n  zksim validate topologies/*.yaml experiments/*.yaml\n  zksim validate counterexample.yaml --topology topologies/n4-2az.yaml\n',
    )
    .action((files: string[], opts: ValidateOptions) => validateCommand(files, opts));
}

type Checked = { ok: true; lines: string[] } | { ok: false; errors: ConfigError[] };

function validateCommand(files: readonly string[], opts: ValidateOptions): void {
  const against = opts.topology === undefined ? null : { file: opts.topology, topology: loadTopology(opts.topology) };
  let bad = 0;
  for (const file of files) {
    let text: string;
    try {
      text = readText(file, 'configuration');
    } catch (e) {
      printError(`${(e as Error).message}\n`);
      bad++;
      continue;
    }
    if (opts.kind === undefined && isZooCfg(file, text)) {
      // a zoo.cfg is checked as the topology every command reads it as (cli/zoocfg.ts)
      try {
        text = zooCfgYaml(readZooCfgFiles(file, text), { kind: 'none' }, null, basenameWithoutExtension(file), false).yaml;
      } catch (e) {
        if (!(e instanceof UserError)) throw e;
        printError(`${e.userMessage ?? ''}\n`);
        bad++;
        continue;
      }
    }
    const kind = opts.kind ?? detectKind(text);
    if (kind === null) {
      const yaml = parseDocument(text);
      // Not YAML at all: the topology reader reports the syntax errors with their positions.
      const errors = yaml.errors.length > 0 ? checkTopology(text, file) : null;
      if (errors && !errors.ok) for (const e of errors.errors) printError(`${formatConfigError(e)}\n`);
      else {
        printError(
          `${file}: cannot tell whether this is a topology, an experiment, a scenario or a plan: expected a top-level servers: (topology), failures: (experiment), faults: (scenario) or steps: (plan) key; or give --kind\n`,
        );
      }
      bad++;
      continue;
    }
    const checked = kind === 'topology' ? checkTopology(text, file) : kind === 'experiment' ? checkExperiment(text, file) : kind === 'plan' ? checkPlan(text, file, against) : checkScenario(text, file, against);
    if (checked.ok) {
      for (const line of checked.lines) print(`${line}\n`);
    } else {
      printError(`${file}: read as ${kind}${opts.kind ? ' (--kind)' : ''}\n`);
      for (const e of checked.errors) printError(`${formatConfigError(e)}\n`);
      bad++;
    }
  }
  if (bad > 0) throw new UserError(`${bad} of ${files.length} file(s) invalid`);
}

function checkTopology(text: string, file: string): Checked {
  const parsed = parseTopology(text, file);
  if (!parsed.ok) return { ok: false, errors: parsed.errors };
  const t = parsed.topology;
  const voters = t.servers.filter(isInitialVoter).length;
  const observers = t.servers.filter((s) => s.role === 'observer' && s.member !== false).length;
  const outside = t.servers.length - voters - observers;
  const warnings = lintPlacement(t);
  const lines = [`ok  ${file}: topology ${t.name}, ${voters} voter${voters === 1 ? '' : 's'}, ${observers} observer${observers === 1 ? '' : 's'}${outside > 0 ? `, ${outside} not yet member${outside === 1 ? '' : 's'} (member: false)` : ''}${warnings.length > 0 ? `, ${warnings.length} placement warning(s)` : ''}`];
  for (const w of warnings) lines.push(`    warning: ${w.message}`);
  return { ok: true, lines };
}

function checkExperiment(text: string, file: string): Checked {
  const parsed = parseExperiment(text, file);
  if (!parsed.ok) return { ok: false, errors: parsed.errors };
  const e = parsed.experiment;
  const processes = describeFailureModel(e).processes.map((p) => p.process);
  const model = processes.length === 0 ? 'no failures' : `${processes.length} failure process(es): ${processes.join(', ')}`;
  return { ok: true, lines: [`ok  ${file}: experiment ${e.name}, ${model}; ${e.runs} runs of ${formatDurationUs(e.horizonUs)}, seed ${e.seed}`] };
}

function checkScenario(text: string, file: string, against: { file: string; topology: Topology } | null): Checked {
  const parsed = parseScenario(text, file);
  if (!parsed.ok) return { ok: false, errors: parsed.errors };
  const s = parsed.scenario;
  const what = `${s.faults.length} fault(s), ${s.overrides.length} topology override(s)`;
  if (against === null) return { ok: true, lines: [`ok  ${file}: scenario, ${what} (faults and overrides not checked against a topology: give --topology)`] };
  const resolved = resolveScenario(s, against.topology);
  if (!resolved.ok) return { ok: false, errors: resolved.errors };
  return { ok: true, lines: [`ok  ${file}: scenario, ${what}, checked against ${against.file}`] };
}

function checkPlan(text: string, file: string, against: { file: string; topology: Topology } | null): Checked {
  const servers = against === null ? null : { name: against.topology.name, ids: against.topology.servers.map((x) => x.id) };
  const parsed = parsePlan(text, file, PLAN_STEP_KINDS, servers);
  if (!parsed.ok) return { ok: false, errors: parsed.errors };
  const p = parsed.plan;
  const what = `plan ${p.name}, ${p.steps.length} step(s) from ${formatDurationUs(p.startUs)}`;
  return { ok: true, lines: [`ok  ${file}: ${what}${against === null ? ' (servers not checked against a topology: give --topology)' : `, checked against ${against.file}`}`] };
}
