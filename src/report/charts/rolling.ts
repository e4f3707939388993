/**
 * The rolling-restart demo's exposure chart (demos/rolling-restart.ts runs the restarts; the spec
 * lives here with the other charts). Each run has two bars, time without writes and time with
 * no spare failure tolerance, each labelled with its value: 0.37 s beside 61 s is a bar under a
 * pixel wide, so the number carries it.
 */
import type { TopLevelSpec } from 'vega-lite';
import { DOWNTIME_CAUSE_LABELS } from '../../model/downtime-causes.js';
import { formatDurationMs } from '../../stats/format.js';
import { CHART_CONFIG, PLOT_WIDTH, durationAxisUnit, round, subtitle, type ChartMeta } from './common.js';

/** One restart run: its label (topology, order, elections) and its two exposures in ms. */
export interface ExposureRow {
  readonly run: string;
  readonly noSpareMs: number;
  readonly writeUnavailableMs: number;
}

const NO_SPARE = 'no spare failure tolerance';
/** The write-downtime bar counts every cause: named as every output names them (model/downtime-causes.ts). */
const NO_WRITES = `no writes (${Object.values(DOWNTIME_CAUSE_LABELS).join(', ')})`;

/**
 * Grouped bars, one group per run (its label under it, broken at commas), in the unit the longest
 * bar reads best in (durationAxisUnit), each bar's length printed above it. Vertical, so the run labels cost height, not the plot's width.
 */
export function rollingExposureChart(rows: readonly ExposureRow[], meta: ChartMeta): TopLevelSpec {
  const unit = durationAxisUnit(Math.max(0, ...rows.flatMap((r) => [r.noSpareMs, r.writeUnavailableMs])));
  const values = rows.flatMap((r) => [
    { run: r.run, measure: NO_SPARE, length: round(r.noSpareMs / unit.ms, 6), text: formatDurationMs(r.noSpareMs) },
    { run: r.run, measure: NO_WRITES, length: round(r.writeUnavailableMs / unit.ms, 6), text: formatDurationMs(r.writeUnavailableMs) },
  ]);
  const x = { field: 'run', type: 'nominal', title: null, sort: null, axis: { labelAngle: 0, labelExpr: "split(datum.label, ', ')", labelLimit: 0 } } as const;
  const xOffset = { field: 'measure', type: 'nominal', sort: [NO_SPARE, NO_WRITES] } as const;
  const y = { field: 'length', type: 'quantitative', title: `time during the rolling restart (${unit.name})` } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: 'Rolling restart: time exposed, leader last against an arbitrary order',
      subtitle: [subtitle(meta), 'no spare: the up, synced voters are exactly a quorum, so one more failure stops writes; each bar is labelled with its length'],
    },
    config: CHART_CONFIG,
    width: PLOT_WIDTH,
    height: 300,
    data: { values },
    encoding: { x, xOffset },
    layer: [
      {
        mark: { type: 'bar' },
        encoding: {
          y,
          color: { field: 'measure', type: 'nominal', title: null, legend: { columns: 1 }, scale: { domain: [NO_SPARE, NO_WRITES], range: ['#f28e2b', '#d62728'] } },
          tooltip: [{ field: 'run' }, { field: 'measure' }, { field: 'text', title: 'length' }],
        },
      },
      { mark: { type: 'text', baseline: 'bottom', dy: -3, color: '#222' }, encoding: { y, text: { field: 'text' } } },
    ],
  };
}
