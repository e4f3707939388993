/**
 * Writes acknowledged over time, run beside run (demo reconfig: removing the leader against
 * killing it; the two sides of a cut under both reconfig rules). Reads only run documents
 * (report/run-json.ts RunJson eventLog's writeCommitted events).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { RunJson } from '../run-json.js';
import { CHART_CONFIG, round, subtitle } from './common.js';

/** One line of a cumulative-writes chart: the writes acknowledged by `servers` (null: any) in one run. */
export interface AckLine {
  readonly label: string;
  readonly doc: RunJson;
  readonly servers: readonly number[] | null;
}

/**
 * Writes acknowledged to clients since `fromMs`, as step lines (one per AckLine), with labelled
 * rules: a flat stretch is time in which that run (or that side of a cut) acknowledged nothing.
 */
export function cumulativeAcksChart(lines: readonly AckLine[], fromMs: number, toMs: number, rules: readonly { atMs: number; label: string }[], title: string, meta: { seed: string; version: string; details: readonly string[] }): TopLevelSpec {
  const values = lines.flatMap((line) => {
    let n = 0;
    const pts = [{ line: line.label, atS: round(fromMs / 1000, 3), writes: 0 }];
    for (const e of line.doc.eventLog) {
      if (e.type !== 'writeCommitted' || e.atMs < fromMs || e.atMs >= toMs || (line.servers !== null && !line.servers.includes(e.server))) continue;
      pts.push({ line: line.label, atS: round(e.atMs / 1000, 3), writes: ++n });
    }
    pts.push({ line: line.label, atS: round(toMs / 1000, 3), writes: n });
    return pts;
  });
  const x = { field: 'atS', type: 'quantitative' as const, title: 'simulated time (s)', scale: { domain: [round(fromMs / 1000, 3), round(toMs / 1000, 3)], nice: false } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: title, subtitle: subtitle(meta) },
    config: CHART_CONFIG,
    width: 680,
    height: 260,
    layer: [
      {
        data: { values },
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 },
        encoding: {
          x,
          y: { field: 'writes', type: 'quantitative', title: `writes acknowledged since ${round(fromMs / 1000, 3)} s` },
          color: { field: 'line', type: 'nominal', title: null, sort: null, legend: { orient: 'bottom', columns: 1, labelLimit: 480 } },
        },
      },
      {
        // labels stacked one per line: rules a few ms apart would print over each other
        data: { values: rules.map((r, i) => ({ atS: round(r.atMs / 1000, 3), label: r.label, dy: 2 + 12 * i })) },
        layer: [
          { mark: { type: 'rule', strokeDash: [4, 3], color: '#555' }, encoding: { x } },
          { mark: { type: 'text', align: 'left', baseline: 'top', dx: 3, color: '#333' }, encoding: { x, y: { field: 'dy', type: 'quantitative', scale: null }, text: { field: 'label' } } },
        ],
      },
    ],
  };
}
