import type { AvailabilityDocument, ResultRow } from '../montecarlo/index.js';
import { MIN_EPISODES } from '../stats/index.js';

/**
 * The `zksim availability` table: one column per topology (or sweep value), one line per
 * measure, so layouts read side by side; a header with the assumptions (experiment, seed, runs,
 * horizon, version) and warnings underneath. A pure function of the result document.
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
  lines.push('');
  const heads = rows.map((r) => (r.variant ? `${r.topology} ${r.variant.key}=${r.variant.value}` : r.topology));
  const measures: [string, (r: ResultRow) => string][] = [
    ['voters / observers', (r) => `${r.voters} / ${r.observers}`],
    ['trials (stopped by)', (r) => `${r.runs} (${r.stoppedBy})`],
    ['write availability', (r) => avail(r.writeAvailability)],
    ['  95% CI', (r) => `${avail(r.writeAvailabilityCi95[0])} – ${avail(r.writeAvailabilityCi95[1])}`],
    ['  nines', (r) => (r.nines === null ? '∞' : r.nines.toFixed(2))],
    ['downtime min/yr', (r) => `${num(r.downtimeMinutesPerYear)} ± ${num((r.downtimeMinutesPerYearCi95[1] - r.downtimeMinutesPerYearCi95[0]) / 2)}`],
    ['quorum availability', (r) => avail(r.quorumAvailability)],
    ['closed form (quorum)', (r) => (r.analyticQuorumAvailability === null ? 'n/a' : avail(r.analyticQuorumAvailability))],
    ['downtime by cause, min/yr', () => ''],
    ['  quorum lost', (r) => num(r.downtimeByCause.quorumLost)],
    ['  partitioned', (r) => num(r.downtimeByCause.partitioned)],
    ['  leader isolated', (r) => num(r.downtimeByCause.leaderIsolated)],
    ['  electing', (r) => num(r.downtimeByCause.electing)],
    ['  syncing', (r) => num(r.downtimeByCause.syncing)],
    ['outages/yr', (r) => num(r.outagesPerYear)],
    ['elections/yr', (r) => num(r.electionsPerYear)],
    ['election p50 / p99', (r) => `${ms(r.electionMsP50)} / ${ms(r.electionMsP99)}`],
    ['mean time to quorum loss', (r) => mttql(r)],
    ['P(outage in a year)', (r) => `${pct(r.outageProbabilityPerYear)} (${pct(r.outageProbabilityPerYearCi95[0])}–${pct(r.outageProbabilityPerYearCi95[1])})`],
  ];
  const labelWidth = Math.max(...measures.map(([l]) => l.length));
  const cells = measures.map(([, f]) => rows.map(f));
  const widths = heads.map((h, j) => Math.max(h.length, ...cells.map((c) => (c[j] ?? '').length)));
  const line = (label: string, values: readonly string[]): string =>
    `${label.padEnd(labelWidth)}  ${values.map((v, j) => v.padStart(widths[j] ?? 0)).join('  ')}`.trimEnd();
  lines.push(line('', heads));
  lines.push(line('', widths.map((w) => '─'.repeat(w))));
  measures.forEach(([label], i) => lines.push(line(label, cells[i] ?? [])));
  const warnings = tableWarnings(doc);
  if (warnings.length > 0) {
    lines.push('');
    for (const w of warnings) lines.push(`warning: ${w}`);
  }
  for (const n of doc.notes) lines.push(`note: ${n}`);
  return `${lines.join('\n')}\n`;
}

export function tableWarnings(doc: AvailabilityDocument): string[] {
  const out: string[] = [];
  for (const r of doc.results) {
    const name = r.variant ? `${r.topology} ${r.variant.key}=${r.variant.value}` : r.topology;
    if (r.tooFewEpisodes) out.push(`${name}: fewer than 10 outage episodes seen (${r.outageEpisodes}) — interval not trustworthy`);
    if (r.analyticQuorumAvailability !== null) {
      const [lo, hi] = r.quorumAvailabilityCi95;
      const a = r.analyticQuorumAvailability;
      if (a < lo || a > hi) {
        // Quorum losses, not write outages, are what this interval rests on: with few of them
        // the interval itself is untrustworthy, which is the usual reason for a miss.
        const losses = r.statistics.trialsWithQuorumLoss;
        const why = losses < MIN_EPISODES
          ? `only ${losses} trial${losses === 1 ? '' : 's'} lost quorum, too few to test it: run more trials`
          : 'a trial starts all-up; bias ~ MTTR/horizon';
        out.push(`${name}: closed form ${avail(a)} is outside the simulated quorum-availability interval (${why})`);
      }
    }
  }
  return out;
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
