import type { TopLevelSpec } from 'vega-lite';
import { formatDuration } from '../../stats/format.js';
import { CHART_CONFIG, PLOT_WIDTH, durationAxisUnit, round, subtitle, type ChartMeta } from './common.js';

/** A weighted sample: `weight` observations at `value` (a histogram bucket, or 1 for a raw value). */
export interface WeightedValue {
  readonly value: number;
  readonly weight: number;
}

/** One curve of a multi-series CDF, e.g. one topology's election times. */
export interface CdfSeries {
  readonly name: string;
  readonly values: readonly WeightedValue[];
}

/** Points (value, cumulative fraction) of the empirical CDF of one sample. */
export function cdfPoints(values: readonly WeightedValue[]): { value: number; fraction: number }[] {
  const sorted = values.filter((v) => Number.isFinite(v.value) && v.weight > 0).sort((a, b) => a.value - b.value);
  const total = sorted.reduce((s, v) => s + v.weight, 0);
  const out: { value: number; fraction: number }[] = [];
  let seen = 0;
  for (const v of sorted) {
    seen += v.weight;
    const fraction = seen / total;
    const last = out[out.length - 1];
    if (last && last.value === v.value) last.fraction = fraction;
    else out.push({ value: v.value, fraction });
  }
  return out;
}

/** Fewer distinct values than this make no curve: a step line through two points reads as a distribution it is not. */
export const MIN_CDF_POINTS = 5;

/**
 * A log axis whose ticks name their own units (1 s, 10 s, 1 min, …): the candidate tick values in
 * the chart's unit, and the label of each.
 */
export interface NamedLogTicks {
  readonly values: readonly number[];
  readonly label: (value: number) => string;
}

/**
 * The empirical CDF of `values` in `unit` (e.g. election time in ms, write latency in ms): x is the
 * value, y the fraction of observations at or below it. Plain numbers make one curve; named series
 * make one curve each. A log x axis when the values span more than two decades: ticks at powers of
 * ten, or at `logTicks` (labelled by it, the unit then left out of the axis title). When no series
 * has MIN_CDF_POINTS distinct values, points only, and the subtitle says there are too few for a curve.
 */
export function cdf(values: readonly number[] | readonly CdfSeries[], title: string, unit: string, meta: ChartMeta, quantity = 'value', logTicks?: NamedLogTicks): TopLevelSpec {
  const series: CdfSeries[] = isSeries(values)
    ? [...values]
    : [{ name: quantity, values: (values as readonly number[]).map((v) => ({ value: v, weight: 1 })) }];
  const data = series.flatMap((s) => {
    const points = cdfPoints(s.values);
    // likelihood-ratio weights (charts/index.ts rowSample) sum to the count up to rounding
    const n = Math.round(s.values.reduce((sum, v) => sum + (v.weight > 0 ? v.weight : 0), 0));
    return points.map((p) => ({ series: s.name, label: `${s.name} (n=${n})`, value: p.value, fraction: round(p.fraction, 6) }));
  });
  const perSeries = new Map<string, number>();
  for (const d of data) perSeries.set(d.series, (perSeries.get(d.series) ?? 0) + 1);
  const tooFew = [...perSeries.values()].every((k) => k < MIN_CDF_POINTS);
  const n = Math.round(series.reduce((sum, s) => sum + s.values.reduce((a, v) => a + (v.weight > 0 ? v.weight : 0), 0), 0));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: title, subtitle: [subtitle(meta), `${n} observation${n === 1 ? '' : 's'}; y: fraction at or below x${tooFew ? `; too few points for a curve (under ${MIN_CDF_POINTS} distinct values): each drawn as a point` : ''}`] },
    config: CHART_CONFIG,
    width: PLOT_WIDTH,
    height: 300,
    data: { values: data },
    mark: tooFew ? { type: 'point', filled: true, size: 90, opacity: 1 } : { type: 'line', interpolate: 'step-after', point: data.length > 60 ? false : { size: 30, filled: true } },
    encoding: {
      x: xEncoding(data.map((d) => d.value), quantity, unit, logTicks),
      y: { field: 'fraction', type: 'quantitative', title: 'cumulative fraction of observations', scale: { domain: [0, 1] }, axis: { format: '%' } },
      // the series in their given (swept) order, not sorted as text (12h, 1h, 48h)
      color: { field: 'label', type: 'nominal', sort: [...new Set(data.map((d) => d.label))], title: series.length > 1 ? 'series' : null, legend: series.length > 1 ? {} : null },
    },
  };
}

/** The x axis of a CDF: linear from 0, or log when the positive values span more than 30×. */
function xEncoding(values: readonly number[], quantity: string, unit: string, logTicks: NamedLogTicks | undefined) {
  const positive = values.filter((v) => v > 0);
  let lo = 1;
  let hi = 1;
  if (positive.length > 0) [lo, hi] = positive.reduce(([a, b], v) => [Math.min(a, v), Math.max(b, v)], [Infinity, -Infinity]);
  const useLog = positive.length === values.length && values.length > 0 && hi / lo > 30;
  // The largest value a little inside the plot: at the domain's end its point (and a step line's
  // last step) would sit on the edge, half drawn.
  if (!useLog) {
    const scale = { zero: true, nice: true, domainMax: hi * 1.04 };
    // plain numbers in the axis's own unit (1,500 ms, never 1.5k ms)
    return { field: 'value', type: 'quantitative', title: `${quantity} (${unit})`, scale, axis: { format: ',~r' } } as const;
  }
  const decades: number[] = [];
  for (let p = 10 ** Math.floor(Math.log10(lo)); p <= hi * 10; p *= 10) decades.push(p);
  const named = logTicks === undefined ? null : ticksAround(logTicks.values, lo, hi);
  const ticks = named ?? decades;
  const scale = { type: 'log' as const, domain: [Math.min(ticks[0] ?? lo, lo), Math.max(ticks[ticks.length - 1] ?? hi, hi * 1.5)] };
  const axis = named === null || logTicks === undefined
    ? { values: ticks, format: ',~r', grid: true }
    : { values: ticks, grid: true, labelExpr: ticks.reduceRight((rest, t) => `abs(datum.value - ${t}) <= ${t * 1e-9} ? ${JSON.stringify(logTicks.label(t))} : ${rest}`, 'datum.label') };
  return { field: 'value', type: 'quantitative', title: `${quantity}${named === null ? ` (${unit})` : ''}, log scale`, scale, axis } as const;
}

/** The candidate ticks from the largest at or below `lo` to the smallest at or above `hi`; null when the candidates do not reach that far. */
function ticksAround(candidates: readonly number[], lo: number, hi: number): number[] | null {
  let first = -1;
  candidates.forEach((c, i) => {
    if (c <= lo) first = i;
  });
  const last = candidates.findIndex((c) => c >= hi);
  return first < 0 || last < 0 ? null : candidates.slice(first, last + 1);
}

function isSeries(values: readonly number[] | readonly CdfSeries[]): values is readonly CdfSeries[] {
  return values.length > 0 && typeof values[0] === 'object';
}

/** Ticks a duration's log axis may take, in ms: each a round figure in its unit (10 ms, 1 s, 1 min, 10 min, 1 h, …). */
const DURATION_LOG_TICKS_MS: readonly number[] = [
  0.001, 0.01, 0.1, 1, 10, 100, 1_000, 10_000, 60_000, 600_000, 3_600_000, 36_000_000, 86_400_000, 864_000_000, 8_640_000_000, 31_536_000_000,
];

/**
 * The empirical CDF of durations given in ms (the JSON contract's unit), drawn in the unit their
 * range reads best in (durationAxisUnit: ms, s, min, h or d), the axis titled with it, e.g.
 * "election time (s)"; on a log axis (values over more than two decades) the ticks name their own
 * units instead (10 ms, 1 s, 1 min, 1 h: stats/format.ts formatDuration). Otherwise as cdf.
 */
export function durationCdf(valuesMs: readonly number[] | readonly CdfSeries[], title: string, meta: ChartMeta, quantity = 'duration'): TopLevelSpec {
  const series: CdfSeries[] = isSeries(valuesMs) ? [...valuesMs] : [{ name: quantity, values: (valuesMs as readonly number[]).map((v) => ({ value: v, weight: 1 })) }];
  let maxMs = 0;
  for (const s of series) for (const v of s.values) if (v.weight > 0 && Number.isFinite(v.value)) maxMs = Math.max(maxMs, v.value);
  const unit = durationAxisUnit(maxMs);
  const scaled = series.map((s) => ({ name: s.name, values: s.values.map((v) => ({ value: round(v.value / unit.ms, 6), weight: v.weight })) }));
  const logTicks = { values: DURATION_LOG_TICKS_MS.map((t) => t / unit.ms), label: (v: number) => formatDuration(v * unit.ms * 1000) };
  return cdf(scaled, title, unit.name, meta, quantity, logTicks);
}
