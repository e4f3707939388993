// demos — the interview demos as pure builders: results in, narration, tables and charts out.
// No process, console, files or Promises here: the CLI (cli/commands/demo.ts) runs the Monte Carlo
// studies, loads the shipped files and writes what these functions return.
import { msToUs } from '../core/index.js';
import { formatSecondsFixed } from '../model/duration.js';
import type { Plan } from '../config/plan.js';
import type { Experiment } from '../model/experiment.js';
import type { FaultSpec, Topology } from '../model/index.js';
import type { AvailabilityDocument, ResultRow, StudyConfig, StudyOptions } from '../montecarlo/index.js';
import { MIN_EPISODES, Z95 } from '../stats/index.js';
import { formatDurationMs } from '../stats/format.js';
import { parseFault } from '../config/faults.js';
import { RUN_CLIENT_EVENT_LIMIT } from '../config/limits.js';
import { runTrial, type WorkloadSpec } from '../scenario/index.js';
import { messageSampler, PLAYER_TXNS_PER_SECOND, type MessageSampler } from '../report/player/data.js';
import type { Chart } from '../report/charts/index.js';
import type { Table } from '../report/html/index.js';
import { runJson, type RunJson } from '../report/run-json.js';

/** What a demo gets from the CLI: the shipped topologies and experiments, the seed, the version. */
export interface DemoInputs {
  readonly seed: string;
  readonly version: string;
  /** a shipped topology by name, e.g. 'n5-3az' (topologies/n5-3az.yaml) */
  readonly topology: (name: string) => Topology;
  /** a shipped experiment by name, e.g. 'az-outage' (experiments/az-outage.yaml) */
  readonly experiment: (name: string) => Experiment;
  /** a shipped operations plan by name, e.g. 'rolling-upgrade' (experiments/plans/rolling-upgrade.yaml); demos that run plans need it */
  readonly plan?: (name: string) => Plan;
}

/** A Monte Carlo study the CLI runs (on its worker pool) before the demo is built. */
export interface StudyRequest {
  readonly name: string;
  readonly configs: readonly StudyConfig[];
  readonly options: StudyOptions;
}

/** One message-level run shown by a demo; written with its own charts into a subdirectory. */
export interface DemoRun {
  readonly name: string;
  readonly caption: string;
  readonly doc: RunJson;
}

/** One Monte Carlo study shown by a demo; written with its own charts into a subdirectory. */
export interface DemoStudy {
  readonly name: string;
  readonly caption: string;
  readonly doc: AvailabilityDocument;
}

export interface DemoOutput {
  readonly name: string;
  readonly title: string;
  readonly seed: string;
  readonly version: string;
  /** the narration printed on stdout (and shown at the top of report.html) */
  readonly text: string;
  readonly tables: readonly Table[];
  /** the demo's own charts (the runs' and studies' charts come with them) */
  readonly charts: readonly Chart[];
  readonly runs: readonly DemoRun[];
  readonly studies: readonly DemoStudy[];
  /** the numbers behind the claims, for demo.json and the tests */
  readonly facts: Readonly<Record<string, unknown>>;
}

export interface Demo {
  readonly name: string;
  /** one line for `zksim demo` */
  readonly summary: string;
  readonly studies: (inputs: DemoInputs) => readonly StudyRequest[];
  readonly build: (inputs: DemoInputs, studies: ReadonlyMap<string, AvailabilityDocument>) => DemoOutput;
}

/** A fault spec in the CLI's vocabulary (the demos script their faults as a user would type them). */
export function fault(text: string, topology: Topology): FaultSpec {
  const parsed = parseFault(text, topology);
  if (!parsed.ok) throw new Error(`demo fault ${JSON.stringify(text)}: ${parsed.error}`);
  return parsed.fault;
}

export interface RunSpec {
  readonly topology: Topology;
  readonly seed: string;
  readonly durationUs: number;
  readonly faults: readonly string[];
  readonly workload?: WorkloadSpec;
  /** extra TrialOptions fields (e.g. quorumRule), passed through as they are */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** What a run's player.html needs beyond its document: the placement, the faults in trial order, the sampled messages. */
export interface PlayerReplay {
  readonly topology: Topology;
  readonly faults: readonly FaultSpec[];
  readonly sampler: MessageSampler;
}

/** The replays of demoRun's documents, for cli/render/demo.ts to write each run's player.html (weak: no run outlives its document). */
const replays = new WeakMap<RunJson, PlayerReplay>();

/** The player input of a document demoRun (or keepPlayerReplay) made; undefined for a document made otherwise. */
export function playerReplay(doc: RunJson): PlayerReplay | undefined {
  return replays.get(doc);
}

/**
 * For a demo that runs its trial itself (runTrial, then runJson): pass `trace: sampler.trace`
 * (messageSampler(PLAYER_TXNS_PER_SECOND)) to the trial and its document through this, and the
 * run gets a player.html like demoRun's. Returns `doc`.
 */
export function keepPlayerReplay(doc: RunJson, replay: PlayerReplay): RunJson {
  replays.set(doc, replay);
  return doc;
}

/**
 * For a demo that builds its trial itself: pass `trace` to the trial (composed with its own trace
 * hook, if any) and its document through `keep`, and the run gets a player.html (keepPlayerReplay).
 */
export function playerRecording(topology: Topology, faults: readonly FaultSpec[]): { readonly trace: MessageSampler['trace']; readonly keep: (doc: RunJson) => RunJson } {
  const sampler = messageSampler(PLAYER_TXNS_PER_SECOND);
  return { trace: sampler.trace, keep: (doc) => keepPlayerReplay(doc, { topology, faults, sampler }) };
}

/** One deterministic run, as `zksim run --json` would print it (its player.html input kept aside: playerReplay). */
export function demoRun(spec: RunSpec, version: string): RunJson {
  const faults = spec.faults.map((f) => fault(f, spec.topology));
  const sampler = messageSampler(PLAYER_TXNS_PER_SECOND);
  const result = runTrial({
    ...(spec.extra ?? {}),
    topology: spec.topology,
    seed: spec.seed,
    durationUs: spec.durationUs,
    faults,
    trace: sampler.trace,
    ...(spec.workload ? { workload: spec.workload, clientEventLimit: RUN_CLIENT_EVENT_LIMIT } : {}),
  });
  return keepPlayerReplay(runJson(result, spec.topology, version), { topology: spec.topology, faults, sampler });
}

export function getStudy(studies: ReadonlyMap<string, AvailabilityDocument>, name: string): AvailabilityDocument {
  const doc = studies.get(name);
  if (!doc) throw new Error(`demo study ${name} was not run`);
  return doc;
}

// --- wording helpers ---

/**
 * An instant of a run (ms since its start, the JSON contract's unit) in seconds with milliseconds,
 * as the run's timeline reads: 12.345 s. Only for instants ("at", "from", "until"): a duration,
 * however short, takes span (`0.321 ms`, never `0.000 s`).
 */
export function secs(ms: number): string {
  return `${formatSecondsFixed(msToUs(ms), 3)} s`;
}

/** A JSON-contract duration (ms), auto-scaled as every duration a person reads (stats/format.ts): 412 ms, 12.3 s, 4.5 min. */
export function span(ms: number): string {
  return formatDurationMs(ms);
}

/** An instant of a run (ms since its start) in seconds, one decimal: 12.3 s (a scripted instant, e.g. a fault's start). Durations take span. */
export function secs1(ms: number): string {
  return `${formatSecondsFixed(msToUs(ms), 1)} s`;
}

/** A small probability in scientific notation: 2.98e-4. */
export function sci(p: number, digits = 2): string {
  if (!Number.isFinite(p)) return 'n/a';
  if (p === 0) return '0';
  return p.toExponential(digits).replace('e+', 'e');
}

export function fixed(v: number, digits = 2): string {
  return Number.isFinite(v) ? v.toFixed(digits) : 'n/a';
}

/**
 * Relative standard error of a row's simulated quorum unavailability U (standard error / U):
 * for a failure-biased row its rareEvent.quorumRelativeError (delta method over trials of the
 * weighted regenerative ratio, montecarlo/weighted-estimate.ts); for a naive row read back from
 * its 95% interval, which is U ± Z95·se (montecarlo/estimate.ts ratioEstimate; the lower end may
 * be clamped at 0, so the upper end is used). Null when U is 0 or not finite.
 */
export function quorumRelativeError(row: ResultRow): number | null {
  const u = 1 - row.quorumAvailability;
  if (!(u > 0) || !Number.isFinite(u)) return null;
  if (row.method === 'failure-biasing') return row.rareEvent?.quorumRelativeError ?? null;
  const upper = 1 - row.quorumAvailabilityCi95[0];
  return (upper - u) / (Z95 * u);
}

/**
 * A ratio of SIMULATED quorum unavailabilities R = U(num) / U(den), as a demo quotes it, with
 * its 95% interval exp(ln R ± Z95·√(r_num² + r_den²)), r = each row's relative standard error
 * (quorumRelativeError): the delta method on the log ratio, the two rows taken as independent
 * (they share the seed; a positive correlation from that would only narrow the true interval).
 * Not quoted (value and ci95 null, `refused` saying why in words) when a failure-biased row's
 * weights are degenerate (rareEvent.degenerate), when a naive row rests on fewer than
 * MIN_EPISODES quorum-loss episodes, or when either estimate is 0. `closedForm` is the closed
 * form's ratio when both rows have one, quoted beside the simulated ratio, never instead of it.
 */
export interface QuorumRatio {
  /** topologies [num, den] */
  readonly topologies: readonly [string, string];
  readonly methods: readonly [ResultRow['method'], ResultRow['method']];
  /** simulated U(num)/U(den); null when not quoted */
  readonly value: number | null;
  readonly ci95: readonly [number, number] | null;
  /** standard error / estimate of [U(num), U(den)] */
  readonly relativeErrors: readonly [number | null, number | null];
  readonly closedForm: number | null;
  /** why the simulated ratio is not quoted; null when it is */
  readonly refused: string | null;
}

export function quorumRatio(num: ResultRow, den: ResultRow): QuorumRatio {
  const a = num.analyticQuorumUnavailability;
  const b = den.analyticQuorumUnavailability;
  const closedForm = a !== null && b !== null && b > 0 ? a / b : null;
  const rel = [quorumRelativeError(num), quorumRelativeError(den)] as const;
  const base = { topologies: [num.topology, den.topology] as const, methods: [num.method, den.method] as const, relativeErrors: rel, closedForm };
  const reasons: string[] = [];
  for (const r of [num, den]) {
    if (r.method === 'failure-biasing' && (r.rareEvent === null || r.rareEvent.degenerate)) {
      reasons.push(`${r.topology}'s likelihood-ratio weights are degenerate (${r.rareEvent?.warnings.join('; ') ?? 'no diagnostics'})`);
    } else if (r.method === 'naive' && r.quorumLossEpisodes < MIN_EPISODES) {
      reasons.push(`${r.topology} lost its quorum ${r.quorumLossEpisodes === 1 ? 'once' : `${r.quorumLossEpisodes} times`} in the simulation, fewer than ${MIN_EPISODES}`);
    } else if (quorumRelativeError(r) === null) {
      reasons.push(`${r.topology}'s simulated quorum unavailability is 0`);
    }
  }
  if (reasons.length > 0) return { ...base, value: null, ci95: null, refused: reasons.join(', and ') };
  const value = (1 - num.quorumAvailability) / (1 - den.quorumAvailability);
  const half = Z95 * Math.hypot(rel[0] as number, rel[1] as number);
  return { ...base, value, ci95: [value * Math.exp(-half), value * Math.exp(half)], refused: null };
}

/** A row's quorum estimate is not to be trusted (marked *): too few quorum losses behind it, or degenerate likelihood-ratio weights. */
export function quorumUntrusted(r: ResultRow): boolean {
  return r.tooFewQuorumEpisodes || r.rareEvent?.degenerate === true;
}

/** Simulated quorum ratios as a table: value, 95% interval, the closed form, and whether the interval covers it. */
export function quorumRatioTable(ratios: readonly { readonly label: string; readonly q: QuorumRatio }[]): Table {
  return {
    caption: 'Simulated quorum-unavailability ratios, 95% interval by the delta method on the log ratio (the two rows taken as independent)',
    columns: ['ratio', 'simulated', '95% interval', 'closed form', 'interval covers the closed form'],
    rows: ratios.map(({ label, q }) => [
      label,
      q.value === null ? 'not quoted' : ratioFigure(q.value),
      q.ci95 === null ? '—' : `${ratioFigure(q.ci95[0])} – ${ratioFigure(q.ci95[1])}`,
      q.closedForm === null ? '—' : ratioFigure(q.closedForm),
      q.ci95 === null || q.closedForm === null ? '—' : q.ci95[0] <= q.closedForm && q.closedForm <= q.ci95[1] ? 'yes' : 'no',
    ]),
    numeric: [false, true, true, true, false],
  };
}

/** A ratio with enough digits to read: 1.90, 12.3, 141. */
export function ratioFigure(x: number): string {
  return x >= 100 ? fixed(x, 0) : x >= 10 ? fixed(x, 1) : x >= 0.1 ? fixed(x, 2) : sci(x);
}

/** "1.90× (95% interval 1.44–2.50)" — or null when the ratio is not quoted. */
export function ratioWithInterval(q: QuorumRatio): string | null {
  if (q.value === null || q.ci95 === null) return null;
  return `${ratioFigure(q.value)}× (95% interval ${ratioFigure(q.ci95[0])}–${ratioFigure(q.ci95[1])})`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A plain-text table: columns padded, numeric columns right-aligned. */
export function textTable(t: Table): string {
  const rows = [t.columns, ...t.rows];
  const widths = t.columns.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string =>
    r
      .map((cell, i) => (t.numeric?.[i] ? cell.padStart(widths[i] as number) : cell.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  return [t.caption, line(t.columns), ...t.rows.map(line)].join('\n');
}

/** Paragraphs wrapped at `width` columns (lines that start with two spaces are kept as they are). */
export function wrap(text: string, width = 100): string {
  return text
    .split('\n')
    .map((line) => {
      if (line.startsWith('  ') || line.length <= width) return line;
      const out: string[] = [];
      let cur = '';
      for (const word of line.split(' ')) {
        if (cur && cur.length + 1 + word.length > width) {
          out.push(cur);
          cur = word;
        } else cur = cur ? `${cur} ${word}` : word;
      }
      if (cur) out.push(cur);
      return out.join('\n');
    })
    .join('\n');
}

/** The narration: a heading, then blocks (paragraphs, or tables) separated by blank lines. */
export function narrate(title: string, subtitleLine: string, blocks: readonly (string | Table)[]): string {
  const body = blocks.map((b) => (typeof b === 'string' ? wrap(b) : textTable(b)));
  return `${title}\n${subtitleLine}\n\n${body.join('\n\n')}\n`;
}

// --- reading a run ---

/** Write-unavailable time inside [fromMs, toMs), from the run's writesUnavailable / writesAvailable events. */
export function unavailableWithin(run: RunJson, fromMs: number, toMs: number): number {
  let down = false;
  let since = 0;
  let total = 0;
  const add = (a: number, b: number): void => {
    const lo = Math.max(a, fromMs);
    const hi = Math.min(b, toMs);
    if (hi > lo) total += hi - lo;
  };
  for (const e of run.eventLog) {
    if (e.type === 'writesUnavailable' && !down) {
      down = true;
      since = e.atMs;
    } else if (e.type === 'writesAvailable' && down) {
      add(since, e.atMs);
      down = false;
    }
  }
  if (down) add(since, run.durationMs);
  return total;
}

/** Is the ensemble write-available at `atMs` (just before anything that happens at that instant)? */
export function availableAt(run: RunJson, atMs: number): boolean {
  let up = false;
  for (const e of run.eventLog) {
    if (e.atMs >= atMs) break;
    if (e.type === 'writesUnavailable') up = false;
    else if (e.type === 'writesAvailable') up = true;
  }
  return up;
}

/** Leaders that held LEADING at some instant of [fromMs, toMs). */
export function leadersDuring(run: RunJson, fromMs: number, toMs: number): RunJson['leaders'] {
  return run.leaders.filter((l) => l.electedAtMs < toMs && (l.endedAtMs === null || l.endedAtMs > fromMs));
}

export function voterIds(topology: Topology): number[] {
  return topology.servers.filter((s) => s.role !== 'observer').map((s) => s.id);
}

export function quorumSize(voters: number): number {
  return Math.floor(voters / 2) + 1;
}
