/**
 * The backup lines of the `zksim availability` table (issue 14 §3): for topologies with a backup
 * policy, total losses per year, the data lost per year (minutes of writes; acknowledged writes when
 * the policy states a write rate) and the restore downtime per year, each with its 95% interval.
 * A failure model that cannot lose every voter's disk says so instead of printing 0.
 */
import type { ResultRow } from '../montecarlo/index.js';

type Measure = [string, (r: ResultRow) => string];

/** A figure with its interval (`num`: the table's number format); without one (no total loss seen) it says so: the losses/yr bound is the statement. */
function withCi(num: (x: number) => string, x: number, ci: readonly number[] | null): string {
  return ci === null ? `${num(x)} (none seen)` : `${num(x)} (${num(ci[0] ?? NaN)}–${num(ci[1] ?? NaN)})`;
}

/** The cell of a row: the figure, or why there is none. */
function cell(r: ResultRow, f: (b: Extract<NonNullable<ResultRow['backup']>, { totalLossPath: true }>) => string): string {
  const b = r.backup;
  if (b === undefined) return 'no backup';
  if (!b.totalLossPath) return 'no total-loss path';
  if (!b.estimated) return 'not estimated';
  return f(b);
}

/** The measures, or none when no row has a backup policy; `num` formats a number as the rest of the table does. */
export function backupMeasures(rows: readonly ResultRow[], num: (x: number) => string): Measure[] {
  if (!rows.some((r) => r.backup !== undefined)) return [];
  const ci = (x: number, interval: readonly number[] | null): string => withCi(num, x, interval);
  return [
    ['backup: total losses/yr (95% CI)', (r) => cell(r, (b) => `${ci(b.lossesPerYear, b.lossesPerYearCi95)} [${b.losses}]`)],
    ['  writes lost, min/yr (RPO)', (r) => cell(r, (b) => ci(b.lossWindowMinutesPerYear, b.lossWindowMinutesPerYearCi95))],
    ['  acked writes lost/yr', (r) => cell(r, (b) => (b.writesLostPerYear === null ? 'no write rate' : ci(b.writesLostPerYear, b.writesLostPerYearCi95)))],
    ['  restore downtime, min/yr (RTO)', (r) => cell(r, (b) => ci(b.restoreDowntimeMinutesPerYear, b.restoreDowntimeMinutesPerYearCi95))],
  ];
}

/** Footnotes: what the backup lines mean, and why a row has no figures. */
export function backupNotes(rows: readonly ResultRow[]): string[] {
  if (!rows.some((r) => r.backup !== undefined)) return [];
  const out = ['backup: a total loss is every voter\'s disk lost at once; writes lost = write-available time since the newest off-site copy (the RPO window; × writesPerSec: acknowledged writes), restore downtime = loss → writes accepted again (scenario/backup.ts)'];
  if (rows.some((r) => r.backup?.totalLossPath === false)) out.push('backup: no total-loss path in this failure model: only diskLoss loses disks, so nothing is ever restored');
  if (rows.some((r) => r.backup?.totalLossPath === true && !r.backup.estimated)) out.push('backup: not estimated under failure biasing (its unweighted sums are not the system\'s); use --method naive');
  return out;
}
