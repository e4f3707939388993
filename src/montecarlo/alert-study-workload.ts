/**
 * The workload an alert study's trials run (`zksim alerts study --workload [--workload-rate N]`),
 * lazily: a year of writes at 50/s would be ~1.6 × 10⁹ simulated writes (~10¹⁰ kernel events), so
 * the trials issue writes only where the latency can be other than it was (scenario/workload.ts
 * WorkloadSpec.onlyWhileDisturbedSettleUs):
 * - while writes are unavailable (an outage), and
 * - for STUDY_SETTLE_US after every change of the ensemble (a fault applied or repaired, a role
 *   decided, a learner synced or lost, a process stopped or started: any trial event).
 * Between changes the ensemble is as it was, so the write latency's distribution is too: the
 * signals hold the p99 of the last settled window (observe/metrics.ts MetricsOptions.holdLatency)
 * until the next change. A fault that slows writes for hours is thus seen for hours, at the cost
 * of 90 s of writes; a settle longer than the 1-minute latency window means the held value is a
 * window of writes all issued at least 30 s after the change.
 *
 * The rate: writes do not queue behind each other at these rates (a txn's latency is its own
 * path: client hop, forward, proposal, fsyncs, quorum of ACKs, commit), so the rate changes how
 * many writes a p99 summarizes, not their latencies. Each simulated write costs ~50 µs (≈20
 * kernel events plus its share of log replays at restarts), so the default is low: 2 writes/s,
 * ~24 writes a server a minute on n5, whose p99 is close to the window's maximum. A healthy
 * ensemble's maximum is close to its p99 (n5-3az: 8.7 ms in an hour of 50 writes/s, p99 6.8 ms),
 * so against a 100 ms threshold the two read the same; a regime where only ~1% of writes are slow
 * is seen less surely than at 50 writes/s (`--workload-rate 50`: the quiet minute's rate, 25× the
 * writes).
 */
import type { WorkloadSpec } from '../scenario/index.js';

/** Writes per second over the ensemble while the study's workload runs (default). */
export const STUDY_WRITES_PER_SEC = 2;

/** How long the workload runs after each change of the ensemble (µs): 90 s, the 1-minute latency window plus 30 s for the change to settle. */
export const STUDY_SETTLE_US = 90_000_000;

/** Largest --workload-rate: the quiet minute's 50 writes/s times 4 (the cost grows with it). */
export const MAX_STUDY_WRITES_PER_SEC = 200;

/**
 * The lazy workload at `writesPerSec` (> 0, ≤ MAX_STUDY_WRITES_PER_SEC), no reads, 30 s sessions.
 * @throws RangeError when the rate is out of range
 */
export function studyWorkload(writesPerSec: number = STUDY_WRITES_PER_SEC): WorkloadSpec {
  if (!(writesPerSec > 0 && writesPerSec <= MAX_STUDY_WRITES_PER_SEC)) throw new RangeError(`study workload rate ${writesPerSec}: expected (0, ${MAX_STUDY_WRITES_PER_SEC}] writes/s`);
  return { writesPerSec, readsPerSec: 0, sessionTimeoutUs: 30_000_000, onlyWhileDisturbedSettleUs: STUDY_SETTLE_US };
}

/** What a study's JSON says of its workload (AlertStudy.workload). */
export interface StudyWorkloadJson {
  readonly writesPerSec: number;
  /** how long writes run after each change of the ensemble (s) */
  readonly settleSeconds: number;
}

export function studyWorkloadJson(spec: WorkloadSpec): StudyWorkloadJson {
  return { writesPerSec: spec.writesPerSec, settleSeconds: (spec.onlyWhileDisturbedSettleUs ?? 0) / 1e6 };
}
