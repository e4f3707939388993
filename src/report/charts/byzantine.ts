import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, PLOT_WIDTH, subtitle, type Chart, type ChartMeta } from './common.js';

/** One bar: a run's digest_mismatches_count on one server. */
export interface MismatchBar {
  /** the run, in words (e.g. "flipped txn, no automation") */
  readonly run: string;
  readonly server: number;
  readonly count: number;
}

/**
 * `zksim demo byzantine`: each server's digest_mismatches_count (ServerMetrics
 * DIGEST_MISMATCHES_COUNT, observe/digest.ts) per run, as horizontal bars grouped by run, so the
 * runs the digest saw nothing in show as empty rows and a corrupted leader shows as every follower
 * counting.
 */
export function digestMismatchChart(bars: readonly MismatchBar[], meta: ChartMeta): Chart {
  const values = bars.map((b) => ({ row: `${b.run} · server ${b.server}`, run: b.run, server: `server ${b.server}`, count: b.count }));
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: 'Digest mismatches counted per server (digest_mismatches_count)',
      subtitle: [subtitle(meta), 'one count per applied txn whose carried digest differs from the server\'s own tree (DataTree.compareDigest)'],
    },
    config: CHART_CONFIG,
    width: PLOT_WIDTH,
    height: { step: 26 },
    data: { values },
    layer: [
      {
        mark: { type: 'bar', height: { band: 0.7 } },
        encoding: {
          y: { field: 'row', type: 'nominal', title: null, sort: null },
          x: { field: 'count', type: 'quantitative', title: 'digest mismatches counted' },
          color: { field: 'run', type: 'nominal', title: 'run', sort: null },
          tooltip: [{ field: 'run' }, { field: 'server' }, { field: 'count' }],
        },
      },
      { mark: { type: 'text', align: 'left', dx: 4 }, encoding: { y: { field: 'row', type: 'nominal', sort: null }, x: { field: 'count', type: 'quantitative' }, text: { field: 'count' } } },
    ],
  };
  return { name: 'digest-mismatches', title: 'Digest mismatches counted per server, per run', spec };
}
