/**
 * The DR charts: both sites over time — what the primary and the DR site acknowledged, and what
 * the DR site's readers got (fresh, stale, failed) — from a drill's events, binned; the drill's
 * instants (cut, promotion, heal) as rules.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ServerId, TrialEvent } from '../../model/index.js';
import { CHART_CONFIG, round, subtitle, type ChartMeta } from './common.js';

export type DrSeries = 'primary: writes acknowledged' | 'DR site: writes acknowledged' | 'DR site: reads, fresh' | 'DR site: reads, stale' | 'DR site: reads failed';

export interface DrPoint {
  readonly atS: number;
  readonly series: DrSeries;
  /** per second over the bin */
  readonly rate: number;
}

export interface DrMarker {
  readonly atS: number;
  readonly label: string;
}

/**
 * Client outcomes per `binUs` by site: a write acknowledged by a server of `site` from the
 * promotion on counts for the DR site, any other for the primary (before the promotion a DR
 * observer only forwards its clients' writes to the primary's leader); every readFailed counts
 * for the DR site (the primary's readers always find a server in these drills).
 */
export function drActivity(events: readonly TrialEvent[], site: readonly ServerId[], promotedUs: number | null, binUs: number, durationUs: number): DrPoint[] {
  const onSite = (server: ServerId, atUs: number): boolean => site.includes(server) && promotedUs !== null && atUs >= promotedUs;
  const bins = Math.ceil(durationUs / binUs);
  const counts = new Map<DrSeries, number[]>();
  const add = (s: DrSeries, atUs: number): void => {
    const row = counts.get(s) ?? new Array<number>(bins).fill(0);
    counts.set(s, row);
    const i = Math.min(bins - 1, Math.floor(atUs / binUs));
    row[i] = (row[i] as number) + 1;
  };
  for (const e of events) {
    if (e.type === 'writeCommitted') add(onSite(e.server, e.atUs) ? 'DR site: writes acknowledged' : 'primary: writes acknowledged', e.atUs);
    else if (e.type === 'readServed' && site.includes(e.server)) add(e.stale ? 'DR site: reads, stale' : 'DR site: reads, fresh', e.atUs);
    else if (e.type === 'readFailed') add('DR site: reads failed', e.atUs);
  }
  const points: DrPoint[] = [];
  // each bin's rate from its start edge to its end (a step line): at the bin's centre, a step-after
  // line drew the rate half a bin past the bin (writes seeming to go on 15 s after the region loss)
  for (const [series, row] of counts) {
    row.forEach((n, i) => points.push({ atS: round((i * binUs) / 1e6, 3), series, rate: round(n / (binUs / 1e6), 3) }));
    if (row.length > 0) points.push({ atS: round((row.length * binUs) / 1e6, 3), series, rate: round((row[row.length - 1] ?? 0) / (binUs / 1e6), 3) });
  }
  return points;
}

/** Label width as a share of the x span (≈ 110 px of 720): markers closer than this share a row otherwise. */
const LABEL_SHARE = 0.16;

/** Each marker with `labelY` (px from the top): a label too close to an earlier one in its row goes a row lower, so labels never overlap. */
function labelRows(points: readonly DrPoint[], markers: readonly DrMarker[]): (DrMarker & { readonly labelY: number })[] {
  const span = Math.max(1, ...points.map((p) => p.atS), ...markers.map((m) => m.atS));
  const rowEnds: number[] = [];
  return [...markers]
    .sort((a, b) => a.atS - b.atS)
    .map((m) => {
      let row = rowEnds.findIndex((end) => m.atS >= end);
      if (row < 0) row = rowEnds.length;
      rowEnds[row] = m.atS + LABEL_SHARE * span;
      return { ...m, labelY: 10 + 12 * row };
    });
}

/** Lines of both sites' activity with the drill's instants as labelled rules. */
export function drSitesChart(points: readonly DrPoint[], markers: readonly DrMarker[], title: string, meta: ChartMeta): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: title, subtitle: subtitle(meta) },
    config: CHART_CONFIG,
    width: 720,
    height: 260,
    layer: [
      {
        data: { values: points as unknown as Record<string, unknown>[] },
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 },
        encoding: {
          x: { field: 'atS', type: 'quantitative', title: 'time (s)' },
          y: { field: 'rate', type: 'quantitative', title: 'per second' },
          color: { field: 'series', type: 'nominal', title: null, legend: { orient: 'bottom', columns: 3 } },
          tooltip: [{ field: 'series' }, { field: 'atS' }, { field: 'rate' }],
        },
      },
      {
        data: { values: labelRows(points, markers) as unknown as Record<string, unknown>[] },
        layer: [
          { mark: { type: 'rule', strokeDash: [4, 3], color: '#555' }, encoding: { x: { field: 'atS', type: 'quantitative' } } },
          { mark: { type: 'text', align: 'left', dx: 3, dy: -4, color: '#333' }, encoding: { x: { field: 'atS', type: 'quantitative' }, y: { field: 'labelY', type: 'quantitative', scale: null }, text: { field: 'label' } } },
        ],
      },
    ],
  };
}
