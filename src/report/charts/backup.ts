/**
 * The backup chart of an availability document (issue 14 §3): per row with a backup policy and a
 * total-loss path, the data lost per year (minutes of writes since the newest off-site copy) and
 * the restore downtime per year, each with its 95% interval (montecarlo/backup-row.ts). Rows with
 * no total loss seen show the estimate 0 without a bar for the interval; the table says "none seen".
 */
import type { TopLevelSpec } from 'vega-lite';
import { availabilityMeta, rowLabel, type AvailabilityInput, type AvailabilityRowInput } from './availability.js';
import { CHART_CONFIG, subtitle } from './common.js';

/** What the chart reads of a row's `backup` (montecarlo/backup-row.ts BackupRow). */
interface BackupFigures {
  readonly totalLossPath: boolean;
  readonly estimated?: boolean;
  readonly lossWindowMinutesPerYear?: number;
  readonly lossWindowMinutesPerYearCi95?: readonly number[] | null;
  readonly restoreDowntimeMinutesPerYear?: number;
  readonly restoreDowntimeMinutesPerYearCi95?: readonly number[] | null;
}

type RowWithBackup = AvailabilityRowInput & { readonly backup?: BackupFigures };

const MEASURES = ['writes lost (RPO window)', 'restore downtime (RTO)'] as const;

/** The chart, or null when no row has backup figures to draw. */
export function backupLossChart(doc: AvailabilityInput): TopLevelSpec | null {
  const rows = (doc.results as readonly RowWithBackup[]).filter((r) => r.backup?.totalLossPath === true && r.backup.estimated === true);
  if (rows.length === 0) return null;
  const values = rows.flatMap((r) => {
    const b = r.backup as BackupFigures;
    const point = (measure: string, value: number | undefined, ci: readonly number[] | null | undefined) => ({ row: rowLabel(r), measure, value: value ?? 0, lo: ci?.[0] ?? null, hi: ci?.[1] ?? null });
    return [point(MEASURES[0], b.lossWindowMinutesPerYear, b.lossWindowMinutesPerYearCi95), point(MEASURES[1], b.restoreDowntimeMinutesPerYear, b.restoreDowntimeMinutesPerYearCi95)];
  });
  const meta = availabilityMeta(doc);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: 'After a total loss: writes lost and restore downtime per year',
      subtitle: [subtitle(meta), 'writes lost: write-available minutes since the newest off-site copy; restore: loss → writes accepted again; bars: 95% intervals'],
    },
    config: CHART_CONFIG,
    data: { values },
    facet: { column: { field: 'measure', type: 'nominal', title: null, sort: [...MEASURES] } },
    spec: {
      width: 260,
      height: 40 + 28 * rows.length,
      layer: [
        { mark: { type: 'bar', color: '#d62728' }, encoding: { y: { field: 'row', type: 'nominal', title: null, sort: null }, x: { field: 'value', type: 'quantitative', title: 'minutes per year' } } },
        { mark: { type: 'rule', color: 'black' }, encoding: { y: { field: 'row', type: 'nominal', sort: null }, x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } } },
      ],
    },
    resolve: { scale: { x: 'independent' } },
  } as TopLevelSpec;
}
