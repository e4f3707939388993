import { formatFailureModel } from '../faults/index.js';
import type { LatencySpecJson, TopologyJson } from '../config/topology-json.js';
import type { AvailabilityDocument, ResultRow } from '../montecarlo/index.js';
import { formatAvailability, formatAvailabilityInterval, formatDurationMs, formatEstimateInterval, formatPerYear, formatYears } from '../stats/format.js';
import { DOWNTIME_CAUSE_LABELS } from '../model/downtime-causes.js';
import { DOWNTIME_CAUSES, DOWNTIME_PROCESSES, type DowntimeProcess } from '../observe/index.js';
import { MIN_EPISODES } from '../stats/index.js';
import type { ExperimentProvenance } from '../model/experiment.js';
import type { TopologyOverride } from '../model/topology.js';
import { backupMeasures, backupNotes } from './table-backup.js';
import { gridLines, wrapLine } from './table-fit.js';
import { episodeCount, LOSS_PROBABILITY_RELATIVE_ERROR, METHOD_MEASURES, methodFootnotes, QUORUM_RELATIVE_ERROR, WRITE_RELATIVE_ERROR } from './table-method.js';

/** How failure processes read in tables and charts (keys: observe/availability.ts DOWNTIME_PROCESSES). */
export const PROCESS_WORDS: Readonly<Record<DowntimeProcess, string>> = {
  startup: 'start-up (initial election)',
  processRestarts: 'process restarts',
  hostFailures: 'host failures',
  diskLoss: 'disk loss',
  rackOutages: 'rack outages',
  zoneOutages: 'zone outages',
  regionOutages: 'region outages',
  bursts: 'correlated bursts',
  zonePartitions: 'zone partitions',
  rollingMaintenance: 'rolling maintenance',
  pauses: 'GC pauses',
  scripted: 'scripted faults',
};

/** Marks an estimate resting on fewer than MIN_EPISODES episodes. */
const UNTRUSTED = ' *';

/**
 * The `zksim availability` table: one column per topology (or sweep value), one line per
 * measure, so layouts read side by side. The header states the assumptions: version, seed,
 * runs, horizon, and the failure model (one line per process, faults/describe.ts). Downtime is
 * split by cause and by failure process (each split adds up to the total); an estimate that
 * rests on fewer than MIN_EPISODES episodes is marked `*` and named in a warning underneath.
 * A pure function of the result document and `width`: the terminal's columns, to which the table
 * is fitted (report/table-fit.ts: column groups, else one block per column; prose wrapped);
 * Infinity (the default) prints it whole.
 */
export function availabilityTable(doc: AvailabilityDocument, opts: { readonly width?: number } = {}): string {
  const rows = doc.results;
  const lines = headerLines(doc);
  const heads = rows.map((r) => (r.variant ? `${r.topology} ${r.variant.key}=${r.variant.value}` : r.topology));
  const used = (f: (r: ResultRow) => Readonly<Record<string, number>>): DowntimeProcess[] =>
    DOWNTIME_PROCESSES.filter((p) => rows.some((r) => (f(r)[p] ?? 0) > 0));
  const byProcess = used((r) => r.downtimeByProcess);
  const lossesByProcess = used((r) => r.quorumLossEpisodesByProcess);
  const measures: [string, (r: ResultRow) => string][] = [
    ['voters / observers', (r) => `${r.voters} / ${r.observers}`],
    ['trials (stopped by)', (r) => `${r.runs} (${r.stoppedBy})`],
    ...METHOD_MEASURES,
    ['write availability', (r) => formatAvailability(r.writeAvailability, r.writeUnavailability) + (untrustedWrite(r) ? UNTRUSTED : '')],
    ['  95% CI', (r) => formatAvailabilityInterval(r.writeAvailabilityCi95, r.outageEpisodes, 'write outage')],
    WRITE_RELATIVE_ERROR,
    ['  nines', (r) => (r.nines === null ? '∞' : r.nines.toFixed(2))],
    ['downtime min/yr', (r) => formatEstimateInterval(r.downtimeMinutesPerYear, r.downtimeMinutesPerYearCi95, num)],
    ['quorum availability', (r) => avail(r.quorumAvailability) + (r.tooFewQuorumEpisodes ? UNTRUSTED : '')],
    ['  95% CI', (r) => formatAvailabilityInterval(r.quorumAvailabilityCi95, r.quorumLossEpisodes, 'quorum loss')],
    QUORUM_RELATIVE_ERROR,
    ['closed form (quorum)', (r) => (r.analyticQuorumAvailability === null ? 'n/a' : formatAvailability(r.analyticQuorumAvailability, r.analyticQuorumUnavailability ?? undefined))],
    ['  leaves out', (r) => (r.analyticQuorumAvailability === null ? '' : (r.analyticLeavesOut ?? []).join(', ') || 'nothing')],
    ['downtime by cause, min/yr', () => ''],
    ...DOWNTIME_CAUSES.map((c): [string, (r: ResultRow) => string] => [`  ${DOWNTIME_CAUSE_LABELS[c]}`, (r) => num(r.downtimeByCause[c])]),
    ['downtime by process, min/yr', () => ''],
    ...byProcess.map((p): [string, (r: ResultRow) => string] => [`  ${PROCESS_WORDS[p]}`, (r) => num(r.downtimeByProcess[p])]),
    ['write outages/yr (failures)', (r) => `${num(r.outagesPerYear)} (${episodeCount(r, r.failureOutageEpisodes)})`],
    ['quorum losses/yr', (r) => `${num(r.quorumLossesPerYear)} (${episodeCount(r, r.quorumLossEpisodes)})`],
    ...lossesByProcess.map((p): [string, (r: ResultRow) => string] => [`  ${PROCESS_WORDS[p]}`, (r) => episodeCount(r, r.quorumLossEpisodesByProcess[p])]),
    ['quorum loss p50 / p99', (r) => `${ms(r.quorumLossMsP50)} / ${ms(r.quorumLossMsP99)}`],
    ['elections/yr', (r) => num(r.electionsPerYear)],
    ['election p50 / p99 (quorum up)', (r) => `${ms(r.electionMsP50)} / ${ms(r.electionMsP99)}`],
    ['mean time to quorum loss', (r) => mttql(r)],
    ['  simulated, 95% CI', (r) => mttqlInterval(r)],
    ['P(quorum lost in a year)', (r) => probability(r.quorumLossProbabilityPerYear, r.quorumLossProbabilityPerYearCi95)],
    LOSS_PROBABILITY_RELATIVE_ERROR,
    [`P(write outage > ${ms(rows[0]?.sessionTimeoutMs ?? 30_000)} in a year)`, (r) => probability(r.longOutageProbabilityPerYear, r.longOutageProbabilityPerYearCi95)],
    ...backupMeasures(rows, num),
  ];
  // A column without trials (an empty shard) estimates nothing: n/a, never `nines ∞` or 100%.
  const cells = measures.map(([label, f]) => rows.map((r) => (r.runs > 0 ? f(r) : emptyCell(label, f(r)))));
  const width = opts.width ?? Infinity;
  const prose = (from: number): void => {
    lines.splice(from, lines.length - from, ...lines.slice(from).flatMap((l) => wrapLine(l, width)));
  };
  prose(0);
  lines.push(...gridLines({ labels: measures.map(([l]) => l), heads, cells }, width));
  const notesFrom = lines.length;
  const scope = [...closedFormScope(rows), ...methodFootnotes(rows, label), ...backupNotes(rows)];
  if (scope.length > 0 || rows.some((r) => r.tooFewWriteEpisodes || r.tooFewQuorumEpisodes)) lines.push('');
  for (const s of scope) lines.push(s);
  if (rows.some((r) => untrustedWrite(r) || r.tooFewQuorumEpisodes || (r.tooFewMttqlEvents ?? false))) {
    lines.push(UNTRUSTED_NOTE);
  }
  const warnings = tableWarnings(doc);
  if (warnings.length > 0) {
    lines.push('');
    for (const w of warnings) lines.push(`warning: ${w}`);
  }
  for (const n of doc.notes) lines.push(`note: ${n}`);
  prose(notesFrom);
  return `${lines.join('\n')}\n`;
}

/** The header: version, seed, runs, horizon, the failure model and each topology's settings, then a blank line. */
function headerLines(doc: AvailabilityDocument): string[] {
  const o = doc.options;
  const lines = [
    `zksim ${doc.version} · experiment ${doc.experiment} · seed ${doc.seed} · runs ${o.runs}` +
      ` · horizon ${years(o.horizonYears)} per trial` +
      (o.precision !== null ? ` · precision ±${pct(o.precision)}` : '') +
      (o.shard ? ` · shard ${o.shard.index}/${o.shard.count}` : ''),
  ];
  for (const p of modelProvenance(doc.results)) lines.push(`model: ${p}`);
  lines.push(...failureModelLines(doc), ...topologySettingsLines(doc.results), '');
  return lines;
}

/** The cell of a column with 0 trials: its shape and placement as they are, `no trials`, else n/a (section headings stay blank). */
function emptyCell(label: string, value: string): string {
  if (label === 'voters / observers' || label === 'closed form (quorum)' || label === '  leaves out') return value; // not from trials
  if (label.startsWith('trials')) return '0 (no trials)';
  return value === '' ? '' : 'n/a';
}

/** "failure model NAME:" and one indented line per process; for a sweep whose rows differ, each distinct model. */
function failureModelLines(doc: AvailabilityDocument): string[] {
  const models = doc.failureModel ? [doc.failureModel] : distinct(doc.results.map((r) => r.config.failureModel));
  const out: string[] = [];
  for (const m of models) {
    const which = doc.failureModel ? '' : ` (${doc.results.filter((r) => JSON.stringify(r.config.failureModel) === JSON.stringify(m)).map(label).join(', ')})`;
    out.push(`failure model ${m.name}${which}:`);
    for (const l of formatFailureModel(m)) out.push(`  ${l}`);
  }
  return out;
}

function distinct<T>(xs: readonly T[]): T[] {
  const seen = new Set<string>();
  return xs.filter((x) => {
    const k = JSON.stringify(x);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function label(r: ResultRow): string {
  return r.variant ? `${r.topology} ${r.variant.key}=${r.variant.value}` : r.topology;
}

/** "closed form covers X; leaves out Y" once per distinct statement. */
function closedFormScope(rows: readonly ResultRow[]): string[] {
  const texts = rows
    .filter((r) => r.analyticCovers !== null)
    .map((r) => {
      const covers = (r.analyticCovers ?? []).join(', ') || 'nothing';
      const leaves = r.analyticLeavesOut ?? [];
      return `closed form covers ${covers}${leaves.length > 0 ? `; leaves out ${leaves.join(', ')}` : ''}`;
    });
  return distinct(texts);
}

/**
 * Every row's warnings (AvailabilityRow.warnings, computed with the estimate so the JSON and
 * report.html carry the same ones), each prefixed with the row's name.
 */
export function tableWarnings(doc: AvailabilityDocument): string[] {
  return doc.results.flatMap((r) => (r.warnings ?? []).map((w) => `${label(r)}: ${w}`));
}

/** The `*` rule for write availability (estimate.ts writeTrust); documents without the field fall back to the episode count. */
export function untrustedWrite(r: { readonly writeAvailabilityUntrusted?: boolean; readonly tooFewWriteEpisodes?: boolean }): boolean {
  return r.writeAvailabilityUntrusted ?? r.tooFewWriteEpisodes ?? false;
}

/** What `*` means, under the table and in report.html. */
export const UNTRUSTED_NOTE =
  `* not to be trusted; run more trials: write availability when fewer than ${MIN_EPISODES} write outages caused by failures, or fewer than ${MIN_EPISODES} quorum losses ` +
  `(unless a closed form covering every process puts quorum downtime under a tenth of the write downtime); quorum availability and MTTQL when fewer than ${MIN_EPISODES} quorum losses; ` +
  'a failure-biased column when its likelihood-ratio weights degenerate (a warning says why)';

function formatLatency(l: LatencySpecJson): string {
  switch (l.dist) {
    case 'constant':
      return `${l.valueMs} ms`;
    case 'uniform':
      return `uniform ${l.minMs}–${l.maxMs} ms`;
    case 'exponential':
      return `exponential, mean ${l.meanMs} ms`;
    case 'normal':
      return `normal, mean ${l.meanMs} ms, sd ${l.stddevMs} ms`;
    case 'lognormal':
      return `lognormal, median ${l.medianMs} ms, sigma ${l.sigma}`;
    case 'weibull':
      return `weibull, scale ${l.scaleMs} ms, shape ${l.shape}`;
  }
}

/** Setting path → the option that last changed it, from the topology's `overrides` (cli applyTopologySets). */
function overriddenPaths(overrides: readonly TopologyOverride[]): Map<string, string> {
  return new Map(overrides.map((o) => [o.path, o.flag]));
}

/**
 * What sets the failure-detection delay and the election, per topology: ZooKeeper's tickTime,
 * initLimit, syncLimit, cnxTimeout and the one-way latency classes, each setting a `--set`
 * changed marked "(overridden by --set)". One string per line, without indentation.
 */
export function topologySettings(t: Pick<TopologyJson, 'zk' | 'latency' | 'overrides'>): string[] {
  const over = overriddenPaths(t.overrides ?? []);
  const mark = (key: string): string => {
    const flag = over.get(`zookeeper.${key}`);
    return flag ? ` (overridden by ${flag})` : '';
  };
  const zk = t.zk;
  const latencyMark = (c: string): string => {
    const flag = [...over.entries()].find(([p]) => p === `latency.${c}` || p.startsWith(`latency.${c}.`))?.[1];
    return flag ? ` (overridden by ${flag})` : '';
  };
  return [
    `zookeeper: tickTime ${zk.tickTimeMs} ms${mark('tickTime')}, initLimit ${zk.initLimit}${mark('initLimit')}, syncLimit ${zk.syncLimit}${mark('syncLimit')}, cnxTimeout ${zk.cnxTimeoutMs} ms${mark('cnxTimeout')}`,
    `latency (one-way): ${(['sameHost', 'sameZone', 'crossZone', 'crossRegion'] as const).map((c) => `${c} ${formatLatency(t.latency[c])}${latencyMark(c)}`).join('; ')}`,
  ];
}

/**
 * Per distinct topology (by name and settings): its settings lines, prefixed with its name; once
 * for all when every row has the same settings (the shipped layouts do).
 */
function topologySettingsLines(rows: readonly ResultRow[]): string[] {
  const all = rows.flatMap((r) => (r.config?.topology?.zk && r.config.topology.latency ? [JSON.stringify(topologySettings(r.config.topology))] : []));
  if (rows.length > 1 && all.length === rows.length && new Set(all).size === 1) {
    return [`every topology:`, ...(JSON.parse(all[0] as string) as string[]).map((l) => `  ${l}`)];
  }
  const out: string[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    const t = r.config?.topology;
    if (!t?.zk || !t.latency) continue;
    const lines = topologySettings(t);
    const key = JSON.stringify([r.topology, lines]);
    if (seen.has(key)) continue;
    seen.add(key);
    // The topology's name, unless a sweep gives the same topology different settings.
    const differs = rows.some((o) => o.topology === r.topology && o.config?.topology?.zk && JSON.stringify(topologySettings(o.config.topology)) !== JSON.stringify(lines));
    out.push(`${differs ? label(r) : r.topology}:`);
    for (const l of lines) out.push(`  ${l}`);
  }
  return out;
}

/** The experiment descriptions that say a flag replaced or overrode its failures, once each. */
export function modelProvenance(rows: readonly { readonly config?: { readonly experiment?: { readonly description?: string; readonly provenance?: ExperimentProvenance } } }[]): string[] {
  return distinct(rows.flatMap((r) => (r.config?.experiment?.provenance ? [r.config.experiment.description ?? ''] : [])));
}

/**
 * A probability and its 95% interval; with none seen (p = 0) its one-sided upper bound, "none seen;
 * ≤ 12% (95%)", or "none seen; no bound" when the bound is vacuous (issue 16: "0% (0%–100%)").
 */
function probability(p: number, ci: readonly number[]): string {
  const hi = ci[1] ?? NaN;
  // a bound that prints as "> 99.999999%" bounds nothing either
  if (p === 0) return hi >= 1 || !Number.isFinite(hi) || pct(hi).startsWith('>') ? 'none seen; no bound' : `none seen; ≤ ${pct(hi)} (95%)`;
  return `${pct(p)} (${pct(ci[0] ?? NaN)}–${pct(hi)})`;
}

function avail(a: number): string {
  return formatAvailability(a);
}

function pct(p: number): string {
  if (!Number.isFinite(p)) return '–';
  const v = p * 100;
  // Near certainty the interval needs the digits that tell its ends apart (99.2%–99.4%, not 99%–99%).
  // Short of certainty it never reads 100: more digits (99.996%), at most six, then "> 99.999999%".
  if (v >= 99 && v < 100) {
    for (let d = v >= 99.9 ? 2 : 1; d <= 6; d += 1) if (v.toFixed(d) !== (100).toFixed(d)) return `${v.toFixed(d)}%`;
    return '> 99.999999%';
  }
  return `${v >= 10 || v === 0 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toPrecision(2)}%`;
}

/** Amounts per year (min/yr, outages/yr, elections/yr): one rule, stats/format.ts formatPerYear (140,000, never 1.4e+5). */
const num = formatPerYear;

const ms = formatDurationMs;

function years(y: number): string {
  return formatYears(y);
}

function mttql(r: ResultRow): string {
  if (r.meanYearsToQuorumLoss === null) {
    // No loss seen: the trial-years are no bound; Garwood's 95% lower bound (T/3.689) is.
    const lo = r.simulatedMeanYearsToQuorumLossCi95?.[0];
    return lo === undefined ? '– (none seen)' : `≥ ${formatYears(lo)} (95% lower bound, none seen)`;
  }
  const y = r.meanYearsToQuorumLoss;
  const text = formatYears(y);
  const untrusted = r.meanYearsToQuorumLossSource === 'simulated' && r.tooFewMttqlEvents ? UNTRUSTED : '';
  return `${text} (${r.meanYearsToQuorumLossSource})${untrusted}`;
}

/** The simulated MTTQL's 95% interval, always (also when the closed form gives the headline): `*` with fewer than 10 losses. */
function mttqlInterval(r: ResultRow): string {
  const ci = r.simulatedMeanYearsToQuorumLossCi95;
  if (ci === null || ci === undefined) return '–';
  return `${formatYears(ci[0])} – ${ci[1] === null ? '∞' : formatYears(ci[1])}${r.tooFewMttqlEvents ? UNTRUSTED : ''}`;
}
