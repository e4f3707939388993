import { formatFailureModel, type FailureModelDescription } from '../../faults/describe.js';
import type { ExperimentProvenance } from '../../model/experiment.js';
import { CAUSE_LABELS, PROCESS_LABELS, nines, percent, type AvailabilityInput, type RunInput } from '../charts/index.js';
import { formatAvailability, formatAvailabilityInterval, formatDurationMs, formatPerYear, formatYears } from '../../stats/format.js';
import { UNTRUSTED_NOTE, modelProvenance, topologySettings, untrustedWrite } from '../table.js';
import { relativeErrorOf } from '../table-method.js';
import type { AssumptionBlock } from './index.js';

/** A table as plain strings; the HTML builder escapes every cell. */
export interface Table {
  readonly caption: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** numeric columns are right-aligned */
  readonly numeric?: readonly boolean[];
}

type Row = AvailabilityInput['results'][number] & {
  readonly electionsPerYear?: number;
  readonly electionMsP50?: number | null;
  readonly electionMsP99?: number | null;
  readonly meanYearsToQuorumLoss?: number | null;
  readonly outageProbabilityPerYear?: number;
  readonly quorumLossProbabilityPerYear?: number;
  readonly quorumLossProbabilityPerYearCi95?: readonly number[];
  readonly longOutageProbabilityPerYear?: number;
  readonly sessionTimeoutMs?: number;
  readonly quorumLossMsP50?: number | null;
  readonly quorumLossMsP99?: number | null;
  readonly quorumLossEpisodes?: number;
  readonly quorumLossEpisodesByProcess?: Readonly<Record<string, number>>;
  readonly quorumDowntimeMinutesPerYear?: number;
  readonly tooFewWriteEpisodes?: boolean;
  readonly tooFewQuorumEpisodes?: boolean;
  readonly writeAvailabilityUntrusted?: boolean;
  readonly tooFewMttqlEvents?: boolean;
  readonly writeUnavailability?: number;
  readonly analyticQuorumUnavailability?: number | null;
  readonly outageEpisodes?: number;
  readonly meanYearsToQuorumLossSource?: 'analytic' | 'simulated' | null;
  readonly simulatedMeanYearsToQuorumLossCi95?: readonly [number, number | null] | null;
  readonly warnings?: readonly string[];
  readonly analyticCovers?: readonly string[] | null;
  readonly analyticLeavesOut?: readonly string[] | null;
  readonly method?: 'naive' | 'failure-biasing';
  readonly methodReason?: string | null;
  readonly runs?: number;
  readonly rareEvent?: {
    readonly cycles: number;
    readonly effectiveSampleSize: number;
    readonly writeRelativeError: number | null;
    readonly quorumRelativeError: number | null;
    readonly quorumLossProbabilityRelativeError: number | null;
    readonly quorumEffectiveHits: number;
    readonly degenerate: boolean;
  } | null;
  readonly config?: { readonly topology?: PlacedTopology; readonly failureModel?: FailureModelDescription; readonly experiment?: { readonly description?: string; readonly provenance?: ExperimentProvenance } };
};

interface PlacedTopology {
  readonly name?: string;
  readonly description?: string;
  readonly zk?: Parameters<typeof topologySettings>[0]['zk'];
  readonly latency?: Parameters<typeof topologySettings>[0]['latency'];
  readonly overrides?: Parameters<typeof topologySettings>[0]['overrides'];
  readonly servers?: readonly { readonly id: number; readonly role?: string; readonly zone?: string; readonly rack?: string; readonly host?: string; readonly region?: string }[];
}

/** A document with the fields the Assumptions section reads (all optional: older saved documents render too). */
export type AssumptionsInput = AvailabilityInput & {
  readonly assumptions?: readonly string[];
  readonly failureModel?: FailureModelDescription | null;
  readonly options?: { readonly runs?: number; readonly horizonYears?: number; readonly precision?: number | null };
};

function num(v: number | null | undefined, digits = 2): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return v.toFixed(digits);
}

/** An amount per year (min/yr), or — when the document has none. */
const perYear = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : formatPerYear(v));

const pct = (p: number | undefined): string => (p === undefined || !Number.isFinite(p) ? '—' : `${(p * 100).toFixed(1)}%`);
const flag = (few: boolean | undefined): string => (few ? ' *' : '');

/** Side by side, one row per topology: issue 5's table, for the report. `*`: fewer than 10 episodes behind the estimate. */
export function availabilityTables(doc: AvailabilityInput): Table[] {
  const rows = doc.results as readonly Row[];
  const timeout = rows[0]?.sessionTimeoutMs ?? 30_000;
  const main: Table = {
    caption: `Availability per topology (95% confidence intervals; ${UNTRUSTED_NOTE})`,
    columns: ['topology', 'voters', 'write availability', '95% CI', 'nines', 'downtime (min/yr)', 'quorum availability', 'closed form', 'elections/yr', 'election p50 / p99 (quorum up)', 'quorum loss p50 / p99', 'MTTQL', 'simulated MTTQL, 95% CI', 'P(quorum lost in a year)', `P(write outage > ${formatDurationMs(timeout)} in a year)`],
    numeric: [false, true, true, false, true, true, true, true, true, true, true, true, false, true, true],
    rows: rows.map((r) => [
      r.variant ? `${r.topology} (${r.variant.key}=${r.variant.value})` : r.topology,
      String(r.voters),
      (r.writeUnavailability !== undefined ? formatAvailability(r.writeAvailability, r.writeUnavailability) : percent(r.writeAvailability)) + flag(untrustedWrite(r)),
      r.outageEpisodes !== undefined ? formatAvailabilityInterval(r.writeAvailabilityCi95, r.outageEpisodes, 'write outage') : `${percent(r.writeAvailabilityCi95[0] ?? 0)} – ${percent(r.writeAvailabilityCi95[1] ?? 1)}`,
      num(nines(r.writeAvailability)),
      formatPerYear(r.downtimeMinutesPerYear),
      r.quorumAvailability === undefined ? '—' : percent(r.quorumAvailability) + flag(r.tooFewQuorumEpisodes),
      r.analyticQuorumAvailability === null ? '—' : formatAvailability(r.analyticQuorumAvailability, r.analyticQuorumUnavailability ?? undefined),
      r.electionsPerYear === undefined ? '—' : formatPerYear(r.electionsPerYear),
      `${formatDurationMs(r.electionMsP50 ?? null)} / ${formatDurationMs(r.electionMsP99 ?? null)}`,
      `${formatDurationMs(r.quorumLossMsP50 ?? null)} / ${formatDurationMs(r.quorumLossMsP99 ?? null)}`,
      mttql(r),
      mttqlInterval(r),
      pct(r.quorumLossProbabilityPerYear),
      pct(r.longOutageProbabilityPerYear),
    ]),
  };
  const causes: Table = {
    caption: 'Write downtime by cause (minutes per year)',
    columns: ['topology', ...CAUSE_LABELS.map(([, l]) => l), 'total'],
    numeric: [false, ...CAUSE_LABELS.map(() => true), true],
    rows: rows.map((r) => [r.topology, ...CAUSE_LABELS.map(([c]) => perYear(r.downtimeByCause[c])), formatPerYear(r.downtimeMinutesPerYear)]),
  };
  const tables = [main, estimatorTable(rows), causes];
  if (rows.every((r) => r.downtimeByProcess)) {
    const used = PROCESS_LABELS.filter(([p]) => rows.some((r) => (r.downtimeByProcess?.[p] ?? 0) > 0 || (r.quorumLossEpisodesByProcess?.[p] ?? 0) > 0));
    tables.push({
      caption: `Write downtime by failure process (minutes per year; quorum-loss episodes in brackets${rows.some((r) => r.method === 'failure-biasing') ? ', † as simulated under failure biasing, not per year' : ''})`,
      columns: ['topology', ...used.map(([, l]) => l), 'total'],
      numeric: [false, ...used.map(() => true), true],
      rows: rows.map((r) => [
        r.topology,
        ...used.map(([p]) => `${perYear(r.downtimeByProcess?.[p])} (${r.quorumLossEpisodesByProcess?.[p] ?? 0}${dagger(r)})`),
        `${formatPerYear(r.downtimeMinutesPerYear)} (${r.quorumLossEpisodes ?? 0}${dagger(r)})`,
      ]),
    });
  }
  return tables;
}

/** A naive row's quorum relative error, from its interval (as the text table gives it). */
function naiveQuorumRe(r: Row): number | null {
  const ci = r.quorumAvailabilityCi95;
  return r.quorumAvailability === undefined || !ci ? null : relativeErrorOf([1 - (ci[1] ?? NaN), 1 - (ci[0] ?? NaN)], 1 - r.quorumAvailability);
}

const dagger = (r: Row): string => (r.method === 'failure-biasing' ? '†' : '');

/** How each row was estimated (issue 12): method and why, effective sample size, relative errors (standard error / estimate). */
function estimatorTable(rows: readonly Row[]): Table {
  const re = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(1)}%`);
  return {
    caption: 'How each row was estimated (relative error = standard error / estimate; failure biasing: effective sample size over regenerative cycles)',
    columns: ['topology', 'estimated by', 'effective sample size', 'rel. error, write', 'rel. error, quorum', 'rel. error, P(quorum lost)', 'why'],
    numeric: [false, false, true, true, true, true, false],
    rows: rows.map((r) => {
      const e = r.rareEvent ?? null;
      return [
        r.variant ? `${r.topology} (${r.variant.key}=${r.variant.value})` : r.topology,
        r.method === 'failure-biasing' ? `failure biasing${e?.degenerate ? ' (weights degenerate) *' : ''}` : 'naive Monte Carlo',
        e ? `${Math.round(e.effectiveSampleSize)} of ${e.cycles} cycles` : `${r.runs ?? '—'} trials`,
        re(e ? e.writeRelativeError : relativeErrorOf([1 - (r.writeAvailabilityCi95[1] ?? NaN), 1 - (r.writeAvailabilityCi95[0] ?? NaN)], r.writeUnavailability ?? NaN)),
        e ? `${re(e.quorumRelativeError)} (${e.quorumEffectiveHits.toFixed(0)} effective cycles)` : re(naiveQuorumRe(r)),
        re(e ? e.quorumLossProbabilityRelativeError : r.quorumLossProbabilityPerYear === undefined ? null : relativeErrorOf(r.quorumLossProbabilityPerYearCi95 ?? [], r.quorumLossProbabilityPerYear)),
        r.methodReason ?? '',
      ];
    }),
  };
}

/** MTTQL: the headline value and its source; with no loss seen, Garwood's 95% lower bound (never the trial-years). */
function mttql(r: Row): string {
  if (r.meanYearsToQuorumLoss === null || r.meanYearsToQuorumLoss === undefined) {
    const lo = r.simulatedMeanYearsToQuorumLossCi95?.[0];
    return lo === undefined ? '— (none seen)' : `≥ ${formatYears(lo)} (95% lower bound, none seen)`;
  }
  const source = r.meanYearsToQuorumLossSource ? ` (${r.meanYearsToQuorumLossSource})` : '';
  return `${formatYears(r.meanYearsToQuorumLoss)}${source}${r.meanYearsToQuorumLossSource === 'simulated' ? flag(r.tooFewMttqlEvents) : ''}`;
}

function mttqlInterval(r: Row): string {
  const ci = r.simulatedMeanYearsToQuorumLossCi95;
  if (!ci) return '—';
  return `${formatYears(ci[0])} – ${ci[1] === null ? '∞' : formatYears(ci[1])}${flag(r.tooFewMttqlEvents)}`;
}

/** The rows' warnings (AvailabilityRow.warnings), each prefixed with the row's name: report.html's Warnings block. */
export function availabilityWarnings(doc: AvailabilityInput): string[] {
  const rows = doc.results as readonly Row[];
  return rows.flatMap((r) => (r.warnings ?? []).map((w) => `${r.variant ? `${r.topology} (${r.variant.key}=${r.variant.value})` : r.topology}: ${w}`));
}

/**
 * The report's "Assumptions" section: the failure processes with their parameters (each distinct
 * failure model, with the rows it applies to), the placement of every server as simulated (the
 * defaults filled in), horizon/runs/seed, what the closed form covers, and the estimation rules
 * (the document's `assumptions`).
 */
export function availabilityAssumptions(doc: AssumptionsInput): AssumptionBlock[] {
  const rows = doc.results as readonly Row[];
  const blocks: AssumptionBlock[] = [];
  const label = (r: Row): string => (r.variant ? `${r.topology} (${r.variant.key}=${r.variant.value})` : r.topology);
  const models = new Map<string, { model: FailureModelDescription; rows: string[] }>();
  const shared = doc.failureModel ?? null;
  for (const r of rows) {
    const m = r.config?.failureModel ?? shared;
    if (!m) continue;
    const key = JSON.stringify(m);
    const entry = models.get(key) ?? { model: m, rows: [] };
    entry.rows.push(label(r));
    models.set(key, entry);
  }
  if (models.size === 0 && shared) models.set('', { model: shared, rows: [] });
  for (const { model, rows: names } of models.values()) {
    blocks.push({
      heading: `Failure model: ${model.name}${models.size > 1 ? ` (${names.join(', ')})` : ''}`,
      items: formatFailureModel(model),
    });
  }
  if (models.size === 0) blocks.push({ heading: 'Failure model', items: ['not recorded in this document (made before zksim stated its failure model)'] });
  const provenance = modelProvenance(rows);
  if (provenance.length > 0) blocks.push({ heading: 'Where the failure model comes from', items: provenance });
  const settings: string[] = [];
  const seenSettings = new Set<string>();
  for (const r of rows) {
    const t = r.config?.topology;
    if (!t?.zk || !t.latency) continue;
    const lines = topologySettings({ zk: t.zk, latency: t.latency, ...(t.overrides ? { overrides: t.overrides } : {}) });
    const key = JSON.stringify([r.topology, lines]);
    if (seenSettings.has(key)) continue;
    seenSettings.add(key);
    settings.push(...lines.map((l) => `${label(r)} — ${l}`));
  }
  if (settings.length > 0) blocks.push({ heading: 'ZooKeeper settings and latency (what sets detection and election delays)', items: settings });
  const placement: string[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    const t = r.config?.topology;
    if (!t?.servers || seen.has(r.topology)) continue;
    seen.add(r.topology);
    const servers = t.servers.map((s) => `${s.id}${s.role === 'observer' ? ' (observer)' : ''}: ${[s.region, s.zone, s.rack, s.host].filter((x) => x !== undefined).join(' / ')}`);
    placement.push(`${r.topology} — server: region / zone / rack / host — ${servers.join('; ')}`);
  }
  if (placement.length > 0) {
    placement.push('defaults for what a topology file leaves out: host server-<id> (a host of its own), rack <zone>-<host> (a rack of its own), region region1 (model/topology.ts); role voter');
    blocks.push({ heading: 'Placement (as simulated, defaults filled in)', items: placement });
  }
  const o = doc.options;
  const runs: string[] = [`seed ${doc.seed} · zksim ${doc.version}`];
  if (o) runs.push(`${o.runs ?? '?'} trials per topology (at most) × ${o.horizonYears ?? '?'} y per trial${o.precision != null ? `, stopping at ±${(o.precision * 100).toFixed(0)}% precision` : ''}`);
  runs.push(...rows.map((r) => `${label(r)}: ${r.runs} trials run`));
  blocks.push({ heading: 'Runs', items: runs });
  const scope = [...new Set(rows.filter((r) => r.analyticCovers).map((r) => `covers ${(r.analyticCovers ?? []).join(', ') || 'nothing'}${(r.analyticLeavesOut ?? []).length > 0 ? `; leaves out ${(r.analyticLeavesOut ?? []).join(', ')}` : ''}`))];
  if (scope.length > 0) blocks.push({ heading: 'Closed form', items: scope });
  if (doc.assumptions && doc.assumptions.length > 0) blocks.push({ heading: 'How the numbers are estimated', items: [...doc.assumptions] });
  return blocks;
}

type FullRun = RunInput & {
  readonly leaders?: readonly { node: number; epoch: number | null; electedAtMs: number; establishedAtMs: number | null; endedAtMs: number | null; endReason: string | null }[];
  readonly writeUnavailableMs?: number;
  readonly quorumUnavailableMs?: number;
  readonly downtimeByCauseMs?: Readonly<Record<string, number>>;
};

/** Timeline entries shown in the report; a longer run's full story is in run.json. */
export const MAX_TIMELINE_ROWS = 400;

/** A run's summary, leaders, elections and (the start of) its timeline. */
export function runTables(run: FullRun): Table[] {
  const tables: Table[] = [];
  const summary: string[][] = [
    ['simulated time', formatDurationMs(run.durationMs)],
    ['faults', run.faults.length ? run.faults.join(', ') : 'none'],
  ];
  if (run.writeUnavailableMs !== undefined) summary.push(['writes unavailable', formatDurationMs(run.writeUnavailableMs)]);
  if (run.quorumUnavailableMs !== undefined) summary.push(['quorum unavailable', formatDurationMs(run.quorumUnavailableMs)]);
  for (const [cause, label] of CAUSE_LABELS) {
    const ms = run.downtimeByCauseMs?.[cause];
    if (ms) summary.push([`  of which ${label}`, formatDurationMs(ms)]);
  }
  tables.push({ caption: 'Summary', columns: ['', ''], rows: summary });
  if (run.leaders && run.leaders.length > 0) {
    tables.push({
      caption: 'Leaders',
      columns: ['server', 'epoch', 'elected (ms)', 'established (ms)', 'ended (ms)', 'why it ended'],
      numeric: [true, true, true, true, true, false],
      rows: run.leaders.map((l) => [String(l.node), l.epoch === null ? '—' : String(l.epoch), num(l.electedAtMs, 3), num(l.establishedAtMs, 3), num(l.endedAtMs, 3), l.endReason ?? '']),
    });
  }
  if (run.elections.length > 0) {
    tables.push({
      caption: 'Elections',
      columns: ['#', 'started (ms)', 'ended (ms)', 'duration (ms)'],
      numeric: [true, true, true, true],
      rows: run.elections.map((e, i) => [String(i + 1), num(e.startedAtMs, 3), num(e.endedAtMs, 3), num(e.durationMs, 3)]),
    });
  }
  const shown = run.timeline.slice(0, MAX_TIMELINE_ROWS);
  const more = run.timeline.length - shown.length;
  tables.push({
    caption: more > 0 ? `Timeline (first ${shown.length} of ${run.timeline.length} entries; all are in run.json)` : 'Timeline',
    columns: ['time (ms)', 'who', 'what'],
    numeric: [true, false, false],
    rows: shown.map((e) => [num(e.atMs, 3), typeof e.who === 'number' ? `server ${e.who}` : e.who, e.what]),
  });
  return tables;
}
