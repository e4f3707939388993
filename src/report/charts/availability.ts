import type { TopLevelSpec } from 'vega-lite';
import { DOWNTIME_CAUSE_LABELS } from '../../model/downtime-causes.js';
import { DOWNTIME_CAUSES } from '../../observe/availability.js';
import { formatDuration } from '../../stats/format.js';
import { CHART_CONFIG, MAX_NINES, PLOT_WIDTH, nines, percent, round, subtitle, type ChartMeta } from './common.js';

/**
 * The parts of `zksim availability --json` (issue 5's contract) the charts read. Structural, so a
 * saved document from any version with these fields can be re-rendered.
 */
export interface AvailabilityRowInput {
  readonly topology: string;
  readonly voters: number;
  readonly runs: number;
  readonly horizonYears: number;
  readonly writeAvailability: number;
  readonly writeAvailabilityCi95: readonly [number, number] | readonly number[];
  readonly quorumAvailability?: number;
  readonly quorumAvailabilityCi95?: readonly number[];
  readonly analyticQuorumAvailability: number | null;
  readonly downtimeMinutesPerYear: number;
  readonly downtimeByCause: Readonly<Record<string, number>>;
  /** by failure process (documents made since issue 9) */
  readonly downtimeByProcess?: Readonly<Record<string, number>>;
  readonly variant?: { readonly key: string; readonly value: string } | null;
  /** the `*` rule (montecarlo/estimate.ts writeTrust); older documents: tooFewWriteEpisodes */
  readonly writeAvailabilityUntrusted?: boolean;
  readonly tooFewWriteEpisodes?: boolean;
}

const TRUSTED_SERIES = 'simulated write availability';
const UNTRUSTED_SERIES = 'simulated, not to be trusted (*)';
const ANALYTIC_SERIES = 'closed-form quorum availability';

export interface AvailabilityInput {
  readonly seed: string;
  readonly experiment: string;
  readonly version: string;
  readonly results: readonly AvailabilityRowInput[];
}

/** Short enough to fit beside a 320 px axis; the definition of nines is in the subtitle. */
export const NINES_AXIS_TITLE = 'nines';
export const NINES_NOTE = `nines = −log10(1 − availability): 3 nines = 99.9% ≈ 8.8 h down a year, +0.3 nines = half the downtime; ≥${MAX_NINES} (or no downtime seen) drawn as ${MAX_NINES}`;

/**
 * A nines axis fitted to the values drawn (a fixed 0–9 axis flattened the ≈2× (0.3 nines) penalty
 * of an even size into a few pixels), and the subtitle line that says so. `zero`: bars start at 0,
 * so only the top is fitted; points get whole nines around their range.
 */
export function ninesScale(values: readonly (number | null)[], zero: boolean): { scale: { domain: [number, number]; nice: false; zero: boolean }; note: string } {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x));
  const hi = Math.min(MAX_NINES, Math.ceil((v.length ? Math.max(...v) : MAX_NINES) + 0.25));
  const lo = zero ? 0 : Math.max(0, Math.min(hi - 1, Math.floor((v.length ? Math.min(...v) : 0) - 0.25)));
  return { scale: { domain: [lo, hi], nice: false, zero }, note: lo === 0 && hi === MAX_NINES ? '' : `y axis fitted to the data: ${lo}–${hi} nines` };
}

/** How downtime causes read on a chart, in the order they stack (issue 5's causes first). */
export const CAUSE_LABELS: ReadonlyArray<readonly [string, string]> = DOWNTIME_CAUSES.map((c) => [c, DOWNTIME_CAUSE_LABELS[c]] as const);

export function availabilityMeta(doc: AvailabilityInput): ChartMeta {
  const first = doc.results[0];
  const details: string[] = [];
  if (first) details.push(`${first.runs} runs × ${round(first.horizonYears, 3)} y per row`);
  return { seed: doc.seed, experiment: doc.experiment, version: doc.version, details };
}

/** A row's label on a category axis: the topology, plus the sweep value when there is one. */
export function rowLabel(row: AvailabilityRowInput): string {
  return row.variant ? `${row.topology} (${row.variant.key}=${row.variant.value})` : row.topology;
}

/** Labels made unique (a category axis merges equal labels), in input order. */
function uniqueLabels(rows: readonly AvailabilityRowInput[]): string[] {
  const seen = new Map<string, number>();
  return rows.map((r) => {
    const base = rowLabel(r);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base} #${n}`;
  });
}

/** An estimate and its 95% interval as chart fields: the bounds, and all three in nines (rounded for the spec). */
export function ninesFields(estimate: number, lo: number, hi: number): { ciLow: number; ciHigh: number; nines: number; ninesLow: number; ninesHigh: number } {
  return { ciLow: lo, ciHigh: hi, nines: round(nines(estimate), 4), ninesLow: round(nines(lo), 4), ninesHigh: round(nines(hi), 4) };
}

/** A row's 95% interval of write availability as [low, high]. */
export function ci(row: { writeAvailabilityCi95: readonly number[] }): [number, number] {
  const lo = row.writeAvailabilityCi95[0] ?? 0;
  const hi = row.writeAvailabilityCi95[1] ?? 1;
  return [lo, hi];
}

/** One bar's data per row of availabilityNines: nines of the estimate, its interval and the closed form. */
function ninesRows(doc: AvailabilityInput, labels: readonly string[]) {
  return doc.results.map((r, i) => {
    const [lo, hi] = ci(r);
    const untrusted = r.writeAvailabilityUntrusted ?? r.tooFewWriteEpisodes ?? false;
    return {
      series: untrusted ? UNTRUSTED_SERIES : TRUSTED_SERIES,
      trusted: !untrusted,
      label: labels[i] as string,
      topology: r.topology,
      voters: r.voters,
      writeAvailability: r.writeAvailability,
      ...ninesFields(r.writeAvailability, lo, hi),
      text: percent(r.writeAvailability) + (untrusted ? ' *' : ''),
      analyticQuorumAvailability: r.analyticQuorumAvailability,
      analyticNines: r.analyticQuorumAvailability === null ? null : round(nines(r.analyticQuorumAvailability), 4),
    };
  }).map((v) => ({ ...v, labelNines: Math.max(v.ninesHigh, v.analyticNines ?? 0) }));
}

/** Nines of write availability per topology, 95% CI error bars, closed-form quorum availability as diamonds. */
export function availabilityNines(doc: AvailabilityInput): TopLevelSpec {
  const labels = uniqueLabels(doc.results);
  const values = ninesRows(doc, labels);
  const x = { field: 'label', type: 'nominal', sort: labels, title: 'topology', axis: { labelAngle: labels.length > 8 ? -30 : 0 } } as const;
  const fitted = ninesScale(values.flatMap((v) => [v.ninesHigh, v.analyticNines]), true);
  const y = { type: 'quantitative' as const, title: `write availability (${NINES_AXIS_TITLE})`, scale: fitted.scale };
  // Untrusted estimates are drawn hollow and gray, with their own legend entry: a bar as solid as
  // the others would be read as an answer (issue 9: 5.6 nines drawn where the truth was 4.8).
  const anyUntrusted = values.some((v) => !v.trusted);
  // The closed form has its own diamond legend, listed only when some row has one.
  const anyAnalytic = values.some((v) => v.analyticNines !== null);
  const domain = [...(values.some((v) => v.trusted) ? [TRUSTED_SERIES] : []), ...(anyUntrusted ? [UNTRUSTED_SERIES] : [])];
  const range = [...(values.some((v) => v.trusted) ? ['#4c78a8'] : []), ...(anyUntrusted ? ['#bbbbbb'] : [])];
  const color = { scale: { domain, range }, title: null };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: 'Write availability by topology, in nines, with 95% confidence intervals',
      subtitle: [
        subtitle(availabilityMeta(doc)),
        `bars: simulated; black lines: 95% CI${anyAnalytic ? '; orange diamonds: closed-form quorum availability' : '; no closed form for this failure model'}`,
        ...(anyUntrusted ? ['hollow gray bars marked *: too few write outages or quorum losses seen, not to be trusted (write availability can never exceed quorum availability)'] : []),
        [NINES_NOTE, fitted.note].filter((t) => t !== '').join('; '),
      ],
    },
    config: CHART_CONFIG,
    width: Math.max(PLOT_WIDTH, labels.length * 90),
    height: 320,
    data: { values },
    encoding: { x },
    layer: [
      {
        mark: { type: 'bar', width: { band: 0.6 }, strokeWidth: 1.5 },
        encoding: {
          y: { ...y, field: 'nines' },
          color: { ...color, field: 'series', type: 'nominal' },
          fillOpacity: { condition: { test: 'datum.trusted', value: 1 }, value: 0.15 },
          stroke: { condition: { test: 'datum.trusted', value: null }, value: '#777777' },
          strokeDash: { condition: { test: 'datum.trusted', value: [1, 0] }, value: [4, 3] },
        },
      },
      ...(anyAnalytic
        ? [{
            transform: [{ filter: 'datum.analyticNines != null' }],
            mark: { type: 'point' as const, filled: true, size: 140, opacity: 1, color: '#f58518' },
            encoding: { y: { ...y, field: 'analyticNines' }, shape: { datum: ANALYTIC_SERIES, scale: { domain: [ANALYTIC_SERIES], range: ['diamond'] }, title: null } },
          }]
        : []),
      // the interval above the diamond, so the subtitle's "black lines: 95% CI" stay visible
      {
        mark: { type: 'rule', strokeWidth: 1.5, color: '#222' },
        encoding: { y: { ...y, field: 'ninesLow' }, y2: { field: 'ninesHigh' } },
      },
      {
        // Above the interval and the diamond, whichever is higher, so neither hides the number.
        mark: { type: 'text', dy: -12, color: '#222' },
        encoding: { y: { ...y, field: 'labelNines' }, text: { field: 'text' } },
      },
    ],
  };
}

/** Expected write downtime in minutes per year, stacked by cause, one bar per topology. */
export function downtimeByCause(doc: AvailabilityInput): TopLevelSpec {
  return stackedDowntime(doc, (r) => r.downtimeByCause, CAUSE_LABELS, 'cause', 'Expected write downtime per year by cause, per topology (lower is better)');
}

/**
 * How failure processes read on a chart, in the order they stack (observe/availability.ts
 * DOWNTIME_PROCESSES; kept as plain strings so saved documents of any version render).
 */
export const PROCESS_LABELS: ReadonlyArray<readonly [string, string]> = [
  ['startup', 'start-up (initial election)'],
  ['processRestarts', 'process restarts'],
  ['hostFailures', 'host failures'],
  ['diskLoss', 'disk loss'],
  ['rackOutages', 'rack outages'],
  ['zoneOutages', 'zone outages'],
  ['regionOutages', 'region outages'],
  ['bursts', 'correlated bursts'],
  ['zonePartitions', 'zone partitions'],
  ['rollingMaintenance', 'rolling maintenance'],
  ['pauses', 'GC pauses'],
  ['scripted', 'scripted faults'],
];

/**
 * Expected write downtime in minutes per year, stacked by the failure process that caused it
 * (the DowntimeMeter rule: earliest-started active fault touching voters, else the last repaired,
 * else start-up); null for documents without `downtimeByProcess` (made before issue 9).
 */
export function downtimeByProcess(doc: AvailabilityInput): TopLevelSpec | null {
  if (!doc.results.every((r) => r.downtimeByProcess)) return null;
  return stackedDowntime(
    doc,
    (r) => r.downtimeByProcess ?? {},
    PROCESS_LABELS,
    'failure process',
    'Expected write downtime per year by failure process, per topology (lower is better)',
    'each instant of downtime is charged to the earliest-started fault still active that touches a voter; after a repair, to that fault\'s process; before any fault, to start-up',
  );
}

function stackedDowntime(
  doc: AvailabilityInput,
  split: (r: AvailabilityRowInput) => Readonly<Record<string, number>>,
  labelsOf: ReadonlyArray<readonly [string, string]>,
  legend: string,
  title: string,
  note?: string,
): TopLevelSpec {
  const labels = uniqueLabels(doc.results);
  const known = new Map(labelsOf);
  const extra: string[] = [];
  for (const r of doc.results) for (const c of Object.keys(split(r))) if (!known.has(c) && !extra.includes(c)) extra.push(c);
  // Only the parts that occur anywhere get a legend entry: eleven processes, most of them zero, would bury the rest.
  const parts: Array<readonly [string, string]> = [...labelsOf, ...extra.map((c) => [c, c] as const)].filter(
    ([key]) => labelsOf === CAUSE_LABELS || doc.results.some((r) => (split(r)[key] ?? 0) > 0),
  );
  const values = doc.results.flatMap((r, i) =>
    parts.map(([key, partLabel], order) => ({
      label: labels[i] as string,
      topology: r.topology,
      [legend === 'cause' ? 'cause' : 'process']: key,
      [legend === 'cause' ? 'causeLabel' : 'processLabel']: partLabel,
      order,
      minutesPerYear: split(r)[key] ?? 0,
    })),
  );
  const colorField = legend === 'cause' ? 'causeLabel' : 'processLabel';
  const totals = doc.results.map((r, i) => ({ label: labels[i] as string, total: r.downtimeMinutesPerYear, text: fmtMinutes(r.downtimeMinutesPerYear) }));
  const x = { field: 'label', type: 'nominal', sort: labels, title: 'topology', axis: { labelAngle: labels.length > 8 ? -30 : 0 } } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: title,
      subtitle: note ? [subtitle(availabilityMeta(doc)), note] : subtitle(availabilityMeta(doc)),
    },
    config: CHART_CONFIG,
    width: Math.max(PLOT_WIDTH, labels.length * 90),
    height: 320,
    layer: [
      {
        data: { values },
        mark: { type: 'bar', width: { band: 0.6 } },
        encoding: {
          x,
          y: { field: 'minutesPerYear', type: 'quantitative', aggregate: 'sum', stack: 'zero', title: 'write downtime (minutes / year)' },
          color: {
            field: colorField,
            type: 'nominal',
            title: legend,
            scale: { domain: parts.map(([, l]) => l), scheme: legend === 'cause' ? 'tableau10' : 'category20' },
          },
          order: { field: 'order', type: 'quantitative' },
        },
      },
      {
        data: { values: totals },
        mark: { type: 'text', dy: -8, color: '#222' },
        encoding: { x, y: { field: 'total', type: 'quantitative' }, text: { field: 'text' } },
      },
    ],
  };
}

/** Minutes (a year's downtime) auto-scaled as every duration is (stats/format.ts formatDuration). */
function fmtMinutes(m: number): string {
  return Number.isFinite(m) ? formatDuration(m * 60_000_000) : 'n/a';
}

/** One voter count's availability: simulated with its interval, and the closed form where one exists. */
export interface VotersPoint {
  readonly voters: number;
  readonly simulated: number;
  readonly ci95: readonly number[];
  readonly closedForm: number | null;
}

/** Availability against the number of voters (odd and even told apart), simulated beside closed form. */
export function availabilityVsVoters(points: readonly VotersPoint[], meta: ChartMeta, measure = 'quorum availability'): TopLevelSpec {
  const values = [...points]
    .sort((a, b) => a.voters - b.voters)
    .map((p) => {
      const lo = p.ci95[0] ?? 0;
      const hi = p.ci95[1] ?? 1;
      return {
        voters: p.voters,
        parity: p.voters % 2 === 0 ? `simulated, even voters` : `simulated, odd voters`,
        simulated: p.simulated,
        ...ninesFields(p.simulated, lo, hi),
        closedForm: p.closedForm,
        closedFormNines: p.closedForm === null ? null : round(nines(p.closedForm), 4),
      };
    });
  const voters = { field: 'voters', type: 'ordinal', title: 'voters (servers that vote)', axis: { labelAngle: 0 } } as const;
  const fitted = ninesScale(values.flatMap((v) => [v.ninesLow, v.ninesHigh, v.closedFormNines]), false);
  const y = { type: 'quantitative' as const, title: `${measure} (${NINES_AXIS_TITLE})`, scale: fitted.scale };
  const anyClosed = values.some((v) => v.closedFormNines !== null);
  const series = {
    domain: ['simulated, odd voters', 'simulated, even voters', ...(anyClosed ? ['closed form'] : [])],
    range: ['#1f77b4', '#d62728', ...(anyClosed ? ['#555555'] : [])],
  };
  const shapes = { domain: series.domain, range: ['circle', 'circle', ...(anyClosed ? ['diamond'] : [])] };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: `${capitalise(measure)} against number of voters: simulated beside closed form`,
      subtitle: [
        subtitle(meta),
        `even sizes tolerate no more failures than the odd size below them${anyClosed ? '; dashed: closed form' : '; no closed form for this failure model'}`,
        [NINES_NOTE, fitted.note].filter((t) => t !== '').join('; '),
      ],
    },
    config: CHART_CONFIG,
    width: PLOT_WIDTH,
    height: 320,
    data: { values },
    encoding: { x: voters },
    layer: [
      {
        transform: [{ filter: 'datum.closedFormNines != null' }],
        mark: { type: 'line', strokeDash: [5, 3] },
        encoding: { y: { ...y, field: 'closedFormNines' }, color: { datum: 'closed form', title: null, scale: series } },
      },
      {
        // the legend's closed-form symbol is the diamond drawn (shape scale shared with the simulated points)
        transform: [{ filter: 'datum.closedFormNines != null' }],
        mark: { type: 'point', filled: true, size: 70, opacity: 1 },
        encoding: { y: { ...y, field: 'closedFormNines' }, color: { datum: 'closed form', title: null, scale: series }, shape: { datum: 'closed form', title: null, scale: shapes } },
      },
      {
        mark: { type: 'rule', strokeWidth: 1.5 },
        encoding: { y: { ...y, field: 'ninesLow' }, y2: { field: 'ninesHigh' }, color: { field: 'parity', type: 'nominal', scale: series, title: null } },
      },
      {
        mark: { type: 'point', filled: true, size: 90, opacity: 1 },
        encoding: { y: { ...y, field: 'nines' }, color: { field: 'parity', type: 'nominal', scale: series, title: null }, shape: { field: 'parity', type: 'nominal', scale: shapes, title: null } },
      },
    ],
  };
}

/** The vs-voters points of an availability document, when each voter count appears once. */
export function votersPoints(doc: AvailabilityInput): VotersPoint[] | null {
  const counts = new Set(doc.results.map((r) => r.voters));
  if (doc.results.length < 2 || counts.size !== doc.results.length) return null;
  if (doc.results.some((r) => r.variant)) return null;
  return doc.results.map((r) => ({
    voters: r.voters,
    simulated: r.quorumAvailability ?? r.writeAvailability,
    ci95: r.quorumAvailabilityCi95 ?? r.writeAvailabilityCi95,
    closedForm: r.analyticQuorumAvailability,
  }));
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
