/**
 * The rolling-restart demo's exposure chart (demos/rolling-restart.ts runs the restarts; the spec
 * lives here with the other charts). Each run has two bars, seconds without writes and seconds with
 * no spare failure tolerance, each labelled with its value: 0.37 s beside 61 s is a bar under a
 * pixel wide, so the number carries it.
 */
import type { TopLevelSpec } from 'vega-lite';
import { formatDurationMs } from '../../stats/format.js';
import { CHART_CONFIG, PLOT_WIDTH, subtitle, type ChartMeta } from './common.js';

/** One restart run: its label (topology, order, elections) and its two exposures in ms. */
export interface ExposureRow {
  readonly run: string;
  readonly noSpareMs: number;
  readonly writeUnavailableMs: number;
}

const NO_SPARE = 'no spare failure tolerance';
const NO_WRITES = 'no writes (below quorum, electing)';

/**
 * Grouped bars, one group per run (its label under it, broken at commas), values in seconds and
 * printed above each bar. Vertical, so the run labels cost height, not the plot's width.
 */
export function rollingExposureChart(rows: readonly ExposureRow[], meta: ChartMeta): TopLevelSpec {
  const values = rows.flatMap((r) => [
    { run: r.run, measure: NO_SPARE, seconds: r.noSpareMs / 1000, text: formatDurationMs(r.noSpareMs) },
    { run: r.run, measure: NO_WRITES, seconds: r.writeUnavailableMs / 1000, text: formatDurationMs(r.writeUnavailableMs) },
  ]);
  const x = { field: 'run', type: 'nominal', title: null, sort: null, axis: { labelAngle: 0, labelExpr: "split(datum.label, ', ')", labelLimit: 0 } } as const;
  const xOffset = { field: 'measure', type: 'nominal', sort: [NO_SPARE, NO_WRITES] } as const;
  const y = { field: 'seconds', type: 'quantitative', title: 'seconds during the rolling restart' } as const;
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
          color: { field: 'measure', type: 'nominal', title: null, scale: { domain: [NO_SPARE, NO_WRITES], range: ['#f28e2b', '#d62728'] } },
          tooltip: [{ field: 'run' }, { field: 'measure' }, { field: 'seconds', format: '.3f' }],
        },
      },
      { mark: { type: 'text', baseline: 'bottom', dy: -3, color: '#222' }, encoding: { y, text: { field: 'text' } } },
    ],
  };
}
