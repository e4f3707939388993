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

/** Grouped horizontal bars, one group per run, values in seconds and printed at each bar's end. */
export function rollingExposureChart(rows: readonly ExposureRow[], meta: ChartMeta): TopLevelSpec {
  const values = rows.flatMap((r) => [
    { run: r.run, measure: NO_SPARE, seconds: r.noSpareMs / 1000, text: formatDurationMs(r.noSpareMs) },
    { run: r.run, measure: NO_WRITES, seconds: r.writeUnavailableMs / 1000, text: formatDurationMs(r.writeUnavailableMs) },
  ]);
  const y = { field: 'run', type: 'nominal', title: null, sort: null, axis: { labelLimit: 320 } } as const;
  const yOffset = { field: 'measure', type: 'nominal', sort: [NO_SPARE, NO_WRITES] } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: 'Rolling restart: time exposed, leader last against an arbitrary order',
      subtitle: [subtitle(meta), 'no spare: the up, synced voters are exactly a quorum, so one more failure stops writes; each bar is labelled with its length'],
    },
    config: CHART_CONFIG,
    width: PLOT_WIDTH - 180,
    height: { step: 26 },
    data: { values },
    encoding: { y, yOffset },
    layer: [
      {
        mark: { type: 'bar' },
        encoding: {
          x: { field: 'seconds', type: 'quantitative', title: 'seconds during the rolling restart' },
          color: { field: 'measure', type: 'nominal', title: null, scale: { domain: [NO_SPARE, NO_WRITES], range: ['#f28e2b', '#d62728'] } },
          tooltip: [{ field: 'run' }, { field: 'measure' }, { field: 'seconds', format: '.3f' }],
        },
      },
      { mark: { type: 'text', align: 'left', dx: 4, color: '#222' }, encoding: { x: { field: 'seconds', type: 'quantitative' }, text: { field: 'text' } } },
    ],
  };
}
