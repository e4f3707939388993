import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, PLOT_WIDTH, round, subtitle, type ChartMeta } from './common.js';

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
 * The empirical CDF of `values` in `unit` (e.g. election time in ms, write latency in ms): x is the
 * value, y the fraction of observations at or below it. Plain numbers make one curve; named series
 * make one curve each. A log x axis when the values span more than two decades. When no series has
 * MIN_CDF_POINTS distinct values, points only, and the subtitle says there are too few for a curve.
 */
export function cdf(values: readonly number[] | readonly CdfSeries[], title: string, unit: string, meta: ChartMeta, quantity = 'value'): TopLevelSpec {
  const series: CdfSeries[] = isSeries(values)
    ? [...values]
    : [{ name: quantity, values: (values as readonly number[]).map((v) => ({ value: v, weight: 1 })) }];
  const data = series.flatMap((s) => {
    const points = cdfPoints(s.values);
    const n = s.values.reduce((sum, v) => sum + (v.weight > 0 ? v.weight : 0), 0);
    return points.map((p) => ({ series: s.name, label: `${s.name} (n=${n})`, value: p.value, fraction: round(p.fraction, 6) }));
  });
  const positive = data.map((d) => d.value).filter((v) => v > 0);
  const lo = positive.length ? Math.min(...positive) : 1;
  const hi = positive.length ? Math.max(...positive) : 1;
  const useLog = positive.length === data.length && data.length > 0 && hi / lo > 30;
  const decades: number[] = [];
  if (useLog) for (let p = 10 ** Math.floor(Math.log10(lo)); p <= hi * 10; p *= 10) decades.push(p);
  const perSeries = new Map<string, number>();
  for (const d of data) perSeries.set(d.series, (perSeries.get(d.series) ?? 0) + 1);
  const tooFew = [...perSeries.values()].every((k) => k < MIN_CDF_POINTS);
  const n = series.reduce((sum, s) => sum + s.values.reduce((a, v) => a + (v.weight > 0 ? v.weight : 0), 0), 0);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: title, subtitle: [subtitle(meta), `${n} observation${n === 1 ? '' : 's'}; y: fraction at or below x${tooFew ? `; too few points for a curve (under ${MIN_CDF_POINTS} distinct values): each drawn as a point` : ''}`] },
    config: CHART_CONFIG,
    width: PLOT_WIDTH,
    height: 300,
    data: { values: data },
    mark: tooFew ? { type: 'point', filled: true, size: 90, opacity: 1 } : { type: 'line', interpolate: 'step-after', point: data.length > 60 ? false : { size: 30, filled: true } },
    encoding: {
      x: {
        field: 'value',
        type: 'quantitative',
        title: `${quantity} (${unit})${useLog ? ', log scale' : ''}`,
        scale: useLog ? { type: 'log' } : { zero: true },
        axis: useLog ? { values: decades, format: '~s', grid: true } : { format: '~s' },
      },
      y: { field: 'fraction', type: 'quantitative', title: 'cumulative fraction of observations', scale: { domain: [0, 1] }, axis: { format: '%' } },
      color: { field: 'label', type: 'nominal', title: series.length > 1 ? 'series' : null, legend: series.length > 1 ? {} : null },
    },
  };
}

function isSeries(values: readonly number[] | readonly CdfSeries[]): values is readonly CdfSeries[] {
  return values.length > 0 && typeof values[0] === 'object';
}
