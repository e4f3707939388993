/**
 * The summary lines of a run's total losses (issue 14 §3): for each `dataLost` in the event log, the
 * RPO (acknowledged writes lost, the newest off-site copy) and the RTO (its `restoreDone`), or that
 * the run ended before writes were back. None for a run without a total loss.
 */
import { msToUs } from '../core/index.js';
import { formatSecondsFixed } from '../model/duration.js';
import type { RunJson } from './run-json.js';

const sec = (ms: number | null): string => (ms === null ? 'none' : `${formatSecondsFixed(msToUs(ms), 3)}s`);

export function backupLines(run: Pick<RunJson, 'eventLog'>): string[] {
  const losses: { atMs: number; ackedLost: number; lastShippedMs: number | null; rtoMs: number | null }[] = [];
  for (const e of run.eventLog) {
    if (e.type === 'dataLost') losses.push({ atMs: e.atMs, ackedLost: e.ackedLost, lastShippedMs: e.lastShippedMs, rtoMs: null });
    const last = losses[losses.length - 1];
    if (e.type === 'restoreDone' && last !== undefined) last.rtoMs = e.rtoMs;
  }
  return losses.map(
    (l) =>
      `Backup: total loss at ${sec(l.atMs)}: ${l.ackedLost} acknowledged writes lost (RPO; newest off-site copy ${sec(l.lastShippedMs)}), ` +
      (l.rtoMs === null ? 'writes not back by the end (RTO)' : `writes accepted again ${sec(l.rtoMs)} after it (RTO)`),
  );
}
