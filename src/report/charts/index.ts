// report/charts — pure builders: result JSON → Vega-Lite spec (no I/O; rendering lives in cli/render).
import { usToMs } from '../../core/index.js';
import { bucketBounds } from '../../stats/histogram.js';
import {
  availabilityMeta,
  availabilityNines,
  availabilityVsVoters,
  downtimeByCause,
  downtimeByProcess,
  votersPoints,
  type AvailabilityInput,
  type AvailabilityRowInput,
} from './availability.js';
import { backupLossChart } from './backup.js';
import { sweepLines } from './sweep.js';
import { durationCdf, type CdfSeries } from './cdf.js';
import type { Chart } from './common.js';
import { runTimeline, type RunInput } from './timeline.js';

export * from './availability.js';
export * from './cdf.js';
export * from './common.js';
export * from './rolling.js';
export * from './sweep.js';
export * from './timeline.js';

/** A histogram as saved in a row's `statistics.electionUs` (stats/histogram.ts HistogramJSON). */
interface HistogramLike {
  readonly count: number;
  readonly buckets: readonly number[];
}

/** montecarlo/weighted-histogram.ts WeightedHistogramJSON: [bucket index, Σ likelihood-ratio weight as a decimal string]. */
interface WeightedHistogramLike {
  readonly count: number;
  readonly totalWeight: string;
  readonly buckets: readonly (readonly [number, string])[];
}

type Durations = { readonly electionUs?: HistogramLike; readonly quorumLossUs?: HistogramLike };
type RowWithStatistics = AvailabilityRowInput & {
  readonly statistics?: Durations & { readonly weighted?: { readonly electionUs?: WeightedHistogramLike; readonly quorumLossUs?: WeightedHistogramLike } | null };
};

/**
 * The durations of a row as the table's quantiles read them: a failure-biased row's episodes were
 * drawn under the biased measure, so each bucket weighs its likelihood ratios (a weighted ECDF,
 * scaled to sum to the episode count), never the raw counts (issue 16: a median of ~4 min drawn
 * for a table p50 of 1.89 h).
 */
function rowSample(row: RowWithStatistics, key: keyof Durations): CdfSeries | null {
  const name = row.variant ? `${row.topology} (${row.variant.key}=${row.variant.value})` : row.topology;
  const w = row.statistics?.weighted?.[key];
  if (!w) return histogramSample(name, row.statistics?.[key]);
  const total = Number(BigInt(w.totalWeight));
  if (w.count === 0 || !(total > 0)) return null;
  const values = w.buckets.map(([b, weight]) => {
    const [lo, hi] = bucketBounds(b);
    return { value: usToMs((lo + hi) / 2), weight: (Number(BigInt(weight)) / total) * w.count };
  });
  return { name, values };
}

/** A µs histogram as weighted points in ms, one per bucket (its midpoint). */
function histogramSample(name: string, h: HistogramLike | undefined | null): CdfSeries | null {
  if (!h || h.count === 0) return null;
  const values = [];
  for (let i = 0; i + 1 < h.buckets.length; i += 2) {
    const [lo, hi] = bucketBounds(h.buckets[i] as number);
    values.push({ value: usToMs((lo + hi) / 2), weight: h.buckets[i + 1] as number });
  }
  return { name, values };
}

/** Election durations (ms) of a row, one weighted point per histogram bucket (its midpoint). */
export function electionSample(row: RowWithStatistics): CdfSeries | null {
  return rowSample(row, 'electionUs');
}

/** Quorum-loss episode durations (ms) of a row, one weighted point per histogram bucket. */
export function quorumLossSample(row: RowWithStatistics): CdfSeries | null {
  return rowSample(row, 'quorumLossUs');
}

/** Every chart an availability (or sweep, or merged) document supports, in report order. */
export function availabilityCharts(doc: AvailabilityInput): Chart[] {
  const charts: Chart[] = [];
  const isSweep = doc.results.some((r) => r.variant);
  if (isSweep) charts.push(named('sweep', sweepLines(doc)));
  charts.push(named('availability-nines', availabilityNines(doc)));
  charts.push(named('downtime-by-cause', downtimeByCause(doc)));
  const byProcess = downtimeByProcess(doc);
  if (byProcess) charts.push(named('downtime-by-process', byProcess));
  const points = votersPoints(doc);
  if (points) charts.push(named('availability-vs-voters', availabilityVsVoters(points, availabilityMeta(doc))));
  const elections = doc.results.map((r) => electionSample(r as RowWithStatistics)).filter((s): s is CdfSeries => s !== null);
  if (elections.length > 0) {
    charts.push(named('election-time-cdf', durationCdf(elections, 'Election time distribution per topology (LOOKING to established, elections with a quorum up)', availabilityMeta(doc), 'election time')));
  }
  const backup = backupLossChart(doc);
  if (backup) charts.push(named('backup-loss', backup));
  const losses = doc.results.map((r) => quorumLossSample(r as RowWithStatistics)).filter((s): s is CdfSeries => s !== null);
  if (losses.length > 0) {
    charts.push(named('quorum-loss-cdf', durationCdf(losses, 'Quorum-loss episode durations per topology (time without a connected quorum of voters)', availabilityMeta(doc), 'quorum loss')));
  }
  return charts;
}

/** Every chart a single run supports: its timeline, election times and write latency when there were any. */
export function runCharts(run: RunInput): Chart[] {
  const charts: Chart[] = [named('timeline', runTimeline(run))];
  const meta = { seed: run.seed, topology: run.topology, version: run.version };
  const durations = run.elections.map((e) => e.durationMs).filter((d): d is number => d !== null);
  if (durations.length > 0) {
    charts.push(named('election-time-cdf', durationCdf(durations, `Election times in one run of ${run.topology} (LOOKING to established)`, meta, 'election time')));
  }
  const latency = histogramSample('commit latency', run.writes?.latencyHistogramUs);
  if (latency) {
    charts.push(named('write-latency-cdf', durationCdf([latency], `Write commit latency seen by clients in one run of ${run.topology}`, meta, 'commit latency')));
  }
  return charts;
}

function named(name: string, spec: Chart['spec']): Chart {
  const title = spec.title;
  const text = typeof title === 'string' ? title : Array.isArray(title) ? title.join(' ') : (title as { text?: unknown } | undefined)?.text;
  return { name, title: typeof text === 'string' ? text : name, spec };
}
