/**
 * A row's backup figures (issue 14 §3), beside its availability: total losses per year, the loss
 * window (minutes of acknowledged writes lost per year; × the policy's writesPerSec: writes lost
 * per year) and the restore downtime per year, each with its 95% interval — the ratio estimator's
 * delta method for the two times (montecarlo/estimate.ts ratioEstimate), Garwood for the rate.
 */
import { US_PER_YEAR } from '../core/index.js';
import type { BackupPolicy, Experiment } from '../model/index.js';
import { poissonRateCi95, type Interval } from '../stats/index.js';
import type { Moments } from './accumulator.js';
import { zeroBackupStats, type BackupStats } from './backup-stats.js';
import { ratioEstimate } from './estimate.js';

const MINUTES_PER_YEAR = US_PER_YEAR / 60e6;

/**
 * A row's backup figures. `totalLossPath` false: the failure model cannot take every voter's disk
 * (only diskLoss wipes disks; outages and partitions leave them), so there is nothing to estimate
 * and the row says so rather than print 0.
 */
export type BackupRow =
  | { readonly totalLossPath: false; readonly why: string }
  | {
      readonly totalLossPath: true;
      /** false for a failure-biased row: its unweighted sums are not the system's, so none is quoted */
      readonly estimated: boolean;
      readonly losses: number;
      readonly unrestored: number;
      readonly lossesPerYear: number;
      readonly lossesPerYearCi95: Interval;
      /** minutes of acknowledged writes lost per year (Σ loss windows / measured years) */
      readonly lossWindowMinutesPerYear: number;
      /** null when no total loss was seen: the interval would be [0, 0]; lossesPerYearCi95 bounds the rate instead */
      readonly lossWindowMinutesPerYearCi95: Interval | null;
      /** acknowledged writes lost per year: writesPerSec × the loss window; null without a write rate */
      readonly writesLostPerYear: number | null;
      readonly writesLostPerYearCi95: Interval | null;
      /** minutes per year from a total loss to writes accepted again */
      readonly restoreDowntimeMinutesPerYear: number;
      readonly restoreDowntimeMinutesPerYearCi95: Interval | null;
    };

/** Can this failure model lose every voter's disk at once? Only diskLoss (per-server wipes) loses disks. */
export function totalLossPath(experiment: Experiment): boolean {
  return experiment.failures.diskLoss !== null;
}

export function backupRow(stats: BackupStats | null, measured: Moments, trials: number, policy: BackupPolicy, experiment: Experiment, weighted: boolean): BackupRow {
  if (!totalLossPath(experiment)) return { totalLossPath: false, why: 'no total-loss path in this failure model (only diskLoss loses disks)' };
  const b = stats ?? zeroBackupStats();
  const years = Number(measured.sum) / US_PER_YEAR;
  const window = ratioEstimate(b.lossWindow, measured, trials);
  const down = ratioEstimate(b.restoreDown, measured, trials);
  const perYear = (i: Interval): Interval => [i[0] * MINUTES_PER_YEAR, i[1] * MINUTES_PER_YEAR];
  const writes = (minutes: number): number | null => (policy.writesPerSec === null ? null : minutes * 60 * policy.writesPerSec);
  const seen = b.losses > 0;
  const windowCi = seen ? perYear(window.ci95) : null;
  return {
    totalLossPath: true,
    estimated: !weighted,
    losses: b.losses,
    unrestored: b.unrestored,
    lossesPerYear: years > 0 ? b.losses / years : NaN,
    lossesPerYearCi95: years > 0 ? poissonRateCi95(b.losses, years) : [0, Infinity],
    lossWindowMinutesPerYear: window.value * MINUTES_PER_YEAR,
    lossWindowMinutesPerYearCi95: windowCi,
    writesLostPerYear: writes(window.value * MINUTES_PER_YEAR),
    writesLostPerYearCi95: policy.writesPerSec === null || windowCi === null ? null : [writes(windowCi[0]) as number, writes(windowCi[1]) as number],
    restoreDowntimeMinutesPerYear: down.value * MINUTES_PER_YEAR,
    restoreDowntimeMinutesPerYearCi95: seen ? perYear(down.ci95) : null,
  };
}
