import { formatFailureModel } from '../faults/index.js';
import type { AvailabilityDocument, ResultRow } from '../montecarlo/index.js';
import { DOWNTIME_PROCESSES, type DowntimeProcess } from '../observe/index.js';
import { MIN_EPISODES } from '../stats/index.js';

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
  scripted: 'scripted faults',
};

/** Marks an estimate resting on fewer than MIN_EPISODES episodes. */
const UNTRUSTED = ' *';

/**
 * The `zksim availability` table: one column per topology (or sweep value), one line per
 * measure, so layouts read side by side. The header states the assumptions: version, seed,
 * runs, horizon, and the failure model (one line per process, faults/describe.ts). Downtime is
 * split by symptom and by failure process (each split adds up to the total); an estimate that
 * rests on fewer than MIN_EPISODES episodes is marked `*` and named in a warning underneath.
 * A pure function of the result document.
 */
export function availabilityTable(doc: AvailabilityDocument): string {
  const rows = doc.results;
  const o = doc.options;
  const lines: string[] = [];
  lines.push(
    `zksim ${doc.version} · experiment ${doc.experiment} · seed ${doc.seed} · runs ${o.runs}` +
      ` · horizon ${years(o.horizonYears)} per trial` +
      (o.precision !== null ? ` · precision ±${pct(o.precision)}` : '') +
      (o.shard ? ` · shard ${o.shard.index}/${o.shard.count}` : ''),
  );
  lines.push(...failureModelLines(doc));
  lines.push('');
  const heads = rows.map((r) => (r.variant ? `${r.topology} ${r.variant.key}=${r.variant.value}` : r.topology));
  const used = (f: (r: ResultRow) => Readonly<Record<string, number>>): DowntimeProcess[] =>
    DOWNTIME_PROCESSES.filter((p) => rows.some((r) => (f(r)[p] ?? 0) > 0));
  const byProcess = used((r) => r.downtimeByProcess);
  const lossesByProcess = used((r) => r.quorumLossEpisodesByProcess);
  const measures: [string, (r: ResultRow) => string][] = [
    ['voters / observers', (r) => `${r.voters} / ${r.observers}`],
    ['trials (stopped by)', (r) => `${r.runs} (${r.stoppedBy})`],
    ['write availability', (r) => avail(r.writeAvailability) + (r.tooFewWriteEpisodes ? UNTRUSTED : '')],
    ['  95% CI', (r) => `${avail(r.writeAvailabilityCi95[0])} – ${avail(r.writeAvailabilityCi95[1])}`],
    ['  nines', (r) => (r.nines === null ? '∞' : r.nines.toFixed(2))],
    ['downtime min/yr', (r) => `${num(r.downtimeMinutesPerYear)} ± ${num((r.downtimeMinutesPerYearCi95[1] - r.downtimeMinutesPerYearCi95[0]) / 2)}`],
    ['quorum availability', (r) => avail(r.quorumAvailability) + (r.tooFewQuorumEpisodes ? UNTRUSTED : '')],
    ['  95% CI', (r) => `${avail(r.quorumAvailabilityCi95[0])} – ${avail(r.quorumAvailabilityCi95[1])}`],
    ['closed form (quorum)', (r) => (r.analyticQuorumAvailability === null ? 'n/a' : avail(r.analyticQuorumAvailability))],
    ['  leaves out', (r) => (r.analyticQuorumAvailability === null ? '' : (r.analyticLeavesOut ?? []).join(', ') || 'nothing')],
    ['downtime by symptom, min/yr', () => ''],
    ['  quorum lost', (r) => num(r.downtimeByCause.quorumLost)],
    ['  partitioned', (r) => num(r.downtimeByCause.partitioned)],
    ['  leader isolated', (r) => num(r.downtimeByCause.leaderIsolated)],
    ['  electing', (r) => num(r.downtimeByCause.electing)],
    ['  syncing', (r) => num(r.downtimeByCause.syncing)],
    ['downtime by process, min/yr', () => ''],
    ...byProcess.map((p): [string, (r: ResultRow) => string] => [`  ${PROCESS_WORDS[p]}`, (r) => num(r.downtimeByProcess[p])]),
    ['write outages/yr (failures)', (r) => `${num(r.outagesPerYear)} (${r.failureOutageEpisodes})`],
    ['quorum losses/yr', (r) => `${num(r.quorumLossesPerYear)} (${r.quorumLossEpisodes})`],
    ...lossesByProcess.map((p): [string, (r: ResultRow) => string] => [`  ${PROCESS_WORDS[p]}`, (r) => String(r.quorumLossEpisodesByProcess[p])]),
    ['quorum loss p50 / p99', (r) => `${ms(r.quorumLossMsP50)} / ${ms(r.quorumLossMsP99)}`],
    ['elections/yr', (r) => num(r.electionsPerYear)],
    ['election p50 / p99 (quorum up)', (r) => `${ms(r.electionMsP50)} / ${ms(r.electionMsP99)}`],
    ['mean time to quorum loss', (r) => mttql(r)],
    ['P(quorum lost in a year)', (r) => probability(r.quorumLossProbabilityPerYear, r.quorumLossProbabilityPerYearCi95)],
    [`P(write outage > ${ms(rows[0]?.sessionTimeoutMs ?? 30_000)} in a year)`, (r) => probability(r.longOutageProbabilityPerYear, r.longOutageProbabilityPerYearCi95)],
  ];
  const labelWidth = Math.max(...measures.map(([l]) => l.length));
  const cells = measures.map(([, f]) => rows.map(f));
  const widths = heads.map((h, j) => Math.max(h.length, ...cells.map((c) => (c[j] ?? '').length)));
  const line = (label: string, values: readonly string[]): string =>
    `${label.padEnd(labelWidth)}  ${values.map((v, j) => v.padStart(widths[j] ?? 0)).join('  ')}`.trimEnd();
  lines.push(line('', heads));
  lines.push(line('', widths.map((w) => '─'.repeat(w))));
  measures.forEach(([label], i) => lines.push(line(label, cells[i] ?? [])));
  const scope = closedFormScope(rows);
  if (scope.length > 0 || rows.some((r) => r.tooFewWriteEpisodes || r.tooFewQuorumEpisodes)) lines.push('');
  for (const s of scope) lines.push(s);
  if (rows.some((r) => r.tooFewWriteEpisodes || r.tooFewQuorumEpisodes)) {
    lines.push(`* rests on fewer than ${MIN_EPISODES} episodes (write outages caused by failures for write availability, quorum losses for quorum availability): not to be trusted; run more trials`);
  }
  const warnings = tableWarnings(doc);
  if (warnings.length > 0) {
    lines.push('');
    for (const w of warnings) lines.push(`warning: ${w}`);
  }
  for (const n of doc.notes) lines.push(`note: ${n}`);
  return `${lines.join('\n')}\n`;
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

export function tableWarnings(doc: AvailabilityDocument): string[] {
  const out: string[] = [];
  for (const r of doc.results) {
    const name = label(r);
    if (r.tooFewWriteEpisodes) {
      out.push(`${name}: only ${r.failureOutageEpisodes} write outage${r.failureOutageEpisodes === 1 ? '' : 's'} caused by failures (fewer than ${MIN_EPISODES}) — the write availability interval cannot be trusted`);
    }
    if (r.tooFewQuorumEpisodes) {
      out.push(`${name}: only ${r.quorumLossEpisodes} quorum-loss episode${r.quorumLossEpisodes === 1 ? '' : 's'} (fewer than ${MIN_EPISODES}) — the quorum availability interval cannot be trusted`);
      // Plenty of short failovers can hide that most of the write downtime is those few losses.
      const share = r.downtimeMinutesPerYear > 0 ? r.quorumDowntimeMinutesPerYear / r.downtimeMinutesPerYear : 0;
      if (!r.tooFewWriteEpisodes && share >= 0.5) {
        out.push(`${name}: ${(share * 100).toFixed(0)}% of the write downtime is ${r.quorumLossEpisodes === 1 ? 'that one quorum loss, so the write availability rests on it' : `those ${r.quorumLossEpisodes} quorum losses, so the write availability rests on them`} too`);
      }
    }
    if (r.analyticQuorumAvailability !== null) {
      const [lo, hi] = r.quorumAvailabilityCi95;
      const a = r.analyticQuorumAvailability;
      if (a < lo || a > hi) {
        // Quorum losses, not write outages, are what this interval rests on: with few of them
        // the interval itself is untrustworthy, which is the usual reason for a miss.
        const losses = r.quorumLossEpisodes;
        const leaves = r.analyticLeavesOut ?? [];
        const why = losses < MIN_EPISODES
          ? `only ${losses} quorum-loss episode${losses === 1 ? '' : 's'}, too few to test it: run more trials`
          : leaves.length > 0
            ? `the closed form leaves out ${leaves.join(', ')}`
            : 'a trial starts all-up; bias ~ MTTR/horizon';
        out.push(`${name}: closed form ${avail(a)} is outside the simulated quorum-availability interval (${why})`);
      }
    }
  }
  return out;
}

function probability(p: number, ci: readonly number[]): string {
  return `${pct(p)} (${pct(ci[0] ?? NaN)}–${pct(ci[1] ?? NaN)})`;
}

function avail(a: number): string {
  if (!Number.isFinite(a)) return '–';
  if (a === 1) return '100%';
  // Enough digits to show the first two significant digits of the unavailability.
  const u = 1 - a;
  const digits = Math.min(10, Math.max(2, Math.ceil(-Math.log10(u)) + 1));
  return `${(a * 100).toFixed(digits - 2 + 1)}%`;
}

function pct(p: number): string {
  if (!Number.isFinite(p)) return '–';
  const v = p * 100;
  return `${v >= 10 || v === 0 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toPrecision(2)}%`;
}

function num(x: number): string {
  if (!Number.isFinite(x)) return '–';
  if (x === 0) return '0';
  if (Math.abs(x) >= 100) return x.toFixed(0);
  if (Math.abs(x) >= 1) return x.toFixed(1);
  return x.toPrecision(2);
}

function ms(x: number | null): string {
  if (x === null) return '–';
  if (x >= 2 * 86_400_000) return `${(x / 86_400_000).toFixed(1)}d`;
  if (x >= 2 * 3_600_000) return `${(x / 3_600_000).toFixed(1)}h`;
  if (x >= 60_000) return `${(x / 60_000).toFixed(1)}m`;
  if (x >= 1000) return `${(x / 1000).toFixed(1)}s`;
  return `${x.toFixed(0)}ms`;
}

function years(y: number): string {
  if (y >= 1) return `${Number(y.toPrecision(4))}y`;
  return `${Number((y * 365).toPrecision(4))}d`;
}

function mttql(r: ResultRow): string {
  if (r.meanYearsToQuorumLoss === null) return `> ${years(r.measuredYears)} (none seen)`;
  const y = r.meanYearsToQuorumLoss;
  const text = y >= 1 ? `${num(y)}y` : `${num(y * 365)}d`;
  return `${text} (${r.meanYearsToQuorumLossSource})`;
}
