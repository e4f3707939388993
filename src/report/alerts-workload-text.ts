/**
 * The line `zksim alerts study` ends with when its trials ran the lazy workload
 * (montecarlo/alert-study-workload.ts): its rate, when it wrote, what the latency is in between.
 */
import type { StudyWorkloadJson } from '../montecarlo/alert-study-workload.js';

/** Two lines for the study's text: the workload, when it ran, and what the latency is between changes. */
export function studyWorkloadText(w: StudyWorkloadJson, steadyLatencyMs: number | null): string {
  const steady = steadyLatencyMs === null ? '' : `, ${steadyLatencyMs.toFixed(1)} ms (a quiet minute) before a server's first`;
  return (
    `workload: ${w.writesPerSec} writes/s while writes were down and for ${w.settleSeconds} s after each change of the ensemble (fault, role, sync, restart);\n` +
    `  in between, zk_p99_updatelatency holds each server's last measured p99${steady} (the ensemble, so its latency, is unchanged)`
  );
}
