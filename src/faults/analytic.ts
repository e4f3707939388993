/**
 * Which failure models the closed forms of src/stats/ cover, and their inputs.
 *
 * An alternating renewal process (up for an `mttf` sample, down for an `mttr` sample) is down a
 * long-run fraction E[mttr] / (E[mttf] + E[mttr]) of the time, whatever the two distributions,
 * and separate per-host (per-zone) processes are independent. So host crash/repair plus zone
 * outages, and nothing else, is the model of the binomial / zone-enumeration oracle. Caveats the
 * caller owns: servers sharing a host are not independent; a trial starts all-up rather than
 * stationary (a bias of order MTTR / horizon).
 */
import { meanOf } from '../core/index.js';
import type { DurationDistribution, FailureModel } from '../model/experiment.js';

export interface AnalyticInputs {
  /** long-run fraction of time each host is down (0 when host failures are off) */
  readonly hostDown: number;
  /** long-run fraction of time each zone is down (0 when zone outages are off) */
  readonly zoneDown: number;
}

function downFraction(up: DurationDistribution, down: DurationDistribution): number {
  const u = meanOf(up);
  const d = meanOf(down);
  return d / (u + d);
}

/** The oracle's inputs, or null when the model has a process the closed forms do not cover. */
export function analyticInputs(f: FailureModel): AnalyticInputs | null {
  if (f.processRestarts !== null || f.diskLoss !== null || f.bursts !== null || f.zonePartitions !== null || f.rollingMaintenance !== null) {
    return null;
  }
  if (f.domainOutages.some((o) => o.level !== 'zone')) return null;
  const hostDown = f.hostFailures === null ? 0 : downFraction(f.hostFailures.mttf, f.hostFailures.mttr);
  // Several zone-level entries are independent processes on each zone: up only when all are up.
  const zoneUp = f.domainOutages.reduce((up, o) => up * (1 - downFraction(o.every, o.duration)), 1);
  return { hostDown, zoneDown: 1 - zoneUp };
}
