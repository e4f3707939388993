/**
 * Backups in Monte Carlo studies (issue 14 §3): the exact, mergeable sums of the trials' total
 * losses (scenario/backup.ts TrialBackupSummary); montecarlo/backup-row.ts turns them into a row's
 * per-year estimates.
 *
 * Sums are BigInt µs like the rest of the accumulator (montecarlo/accumulator.ts: exact, so
 * shards, workers and resumes give byte-identical documents).
 */
import type { TrialBackupSummary } from '../scenario/backup.js';
import type { Moments, MomentsJSON } from './accumulator.js';

export interface BackupStats {
  losses: number;
  unrestored: number;
  trialsWithLoss: number;
  /** Σ per-trial loss windows, µs (moments against the measured window, for the ratio interval) */
  lossWindow: Moments;
  /** Σ per-trial restore downtime, µs */
  restoreDown: Moments;
}

export interface BackupStatsJSON {
  losses: number;
  unrestored: number;
  trialsWithLoss: number;
  lossWindow: MomentsJSON;
  restoreDown: MomentsJSON;
}

export function zeroBackupStats(): BackupStats {
  return { losses: 0, unrestored: 0, trialsWithLoss: 0, lossWindow: { sum: 0n, sumSq: 0n, sumXm: 0n }, restoreDown: { sum: 0n, sumSq: 0n, sumXm: 0n } };
}

/** Adds one trial (`measuredUs`: its measured window). */
export function addBackup(into: BackupStats, s: TrialBackupSummary, measuredUs: bigint): void {
  into.losses += s.losses;
  into.unrestored += s.unrestored;
  if (s.losses > 0) into.trialsWithLoss++;
  for (const [mo, x] of [[into.lossWindow, BigInt(s.lossWindowUs)], [into.restoreDown, BigInt(s.restoreDownUs)]] as const) {
    mo.sum += x;
    mo.sumSq += x * x;
    mo.sumXm += x * measuredUs;
  }
}

export function mergeBackup(into: BackupStats, from: BackupStats): void {
  into.losses += from.losses;
  into.unrestored += from.unrestored;
  into.trialsWithLoss += from.trialsWithLoss;
  for (const [a, b] of [[into.lossWindow, from.lossWindow], [into.restoreDown, from.restoreDown]] as const) {
    a.sum += b.sum;
    a.sumSq += b.sumSq;
    a.sumXm += b.sumXm;
  }
}

export function backupJSON(b: BackupStats): BackupStatsJSON {
  const m = (mo: Moments): MomentsJSON => ({ sum: mo.sum.toString(), sumSq: mo.sumSq.toString(), sumXm: mo.sumXm.toString() });
  return { losses: b.losses, unrestored: b.unrestored, trialsWithLoss: b.trialsWithLoss, lossWindow: m(b.lossWindow), restoreDown: m(b.restoreDown) };
}

/** @throws RangeError on anything toJSON would not have written */
export function backupFrom(j: BackupStatsJSON): BackupStats {
  const int = (x: unknown): number => {
    if (!Number.isSafeInteger(x) || (x as number) < 0) throw new RangeError(`backup: expected a non-negative integer, got ${String(x)}`);
    return x as number;
  };
  const big = (x: unknown): bigint => {
    if (typeof x !== 'string' || !/^\d+$/.test(x)) throw new RangeError(`backup: expected a non-negative whole number as a decimal string, got ${JSON.stringify(x)}`);
    return BigInt(x);
  };
  const m = (mo: MomentsJSON): Moments => ({ sum: big(mo?.sum), sumSq: big(mo?.sumSq), sumXm: big(mo?.sumXm) });
  return { losses: int(j.losses), unrestored: int(j.unrestored), trialsWithLoss: int(j.trialsWithLoss), lossWindow: m(j.lossWindow), restoreDown: m(j.restoreDown) };
}
