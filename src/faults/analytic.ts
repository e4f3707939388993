/**
 * Which failure processes the closed forms of src/stats/ cover, and their inputs.
 *
 * An alternating renewal process (up for an `every` / `mttf` sample, down for a `downtime` /
 * `mttr` sample) is down a long-run fraction E[down] / (E[up] + E[down]) of the time, whatever
 * the two distributions (renewal-reward). Every process below runs independently per server,
 * per host or per domain instance (src/faults/sample.ts), so a voter is up iff its process, its
 * disk, its host and every domain enclosing it (rack, zone, region) are up, and those events are
 * independent: the closed form enumerates them exactly (montecarlo/analytic.ts).
 *
 * Covered: processRestarts and diskLoss (per server), hostFailures (per host), rack / zone /
 * region outages (per domain). Left out: bursts (hosts of one zone fail together
 * along), zonePartitions (voters up but cut apart) and rollingMaintenance (a schedule, not a
 * renewal process), each of which breaks the independence the product form needs.
 * Caveats the caller owns: a trial starts all-up rather than stationary (a bias of order
 * MTTR / horizon); quorum availability only — the protocol's own election and sync time after a
 * repair is not in it.
 */
import { meanOf } from '../core/index.js';
import type { DomainLevel, DurationDistribution, FailureModel } from '../model/experiment.js';
import type { FailureSource } from '../model/faults.js';

export interface AnalyticInputs {
  /** long-run fraction of time a server's own process is killed by processRestarts (0 when off) */
  readonly restartDown: number;
  /** long-run fraction of time a server is down rebuilding its lost disk (0 when off) */
  readonly diskDown: number;
  /** long-run fraction of time each host is down (0 when host failures are off) */
  readonly hostDown: number;
  /** long-run fraction of time each rack / zone / region is down; several entries of one level combine */
  readonly domainDown: Readonly<Record<DomainLevel, number>>;
  /** the processes that are on and that these numbers cover, in FAILURE_SOURCES order */
  readonly covers: readonly FailureSource[];
  /** the processes that are on and that no closed form covers (bursts, zonePartitions, rollingMaintenance) */
  readonly leavesOut: readonly FailureSource[];
}

/** E[down] / (E[up] + E[down]): the long-run down fraction of an alternating renewal process. */
export function downFraction(up: DurationDistribution, down: DurationDistribution): number {
  const u = meanOf(up);
  const d = meanOf(down);
  return d / (u + d);
}

const LEVEL_SOURCE: Readonly<Record<DomainLevel, FailureSource>> = { rack: 'rackOutages', zone: 'zoneOutages', region: 'regionOutages' };

/** The closed form's inputs for the independent part of `f`, and what it leaves out. */
export function analyticInputs(f: FailureModel): AnalyticInputs {
  const covers: FailureSource[] = [];
  const leavesOut: FailureSource[] = [];
  if (f.processRestarts !== null) covers.push('processRestarts');
  if (f.hostFailures !== null) covers.push('hostFailures');
  if (f.diskLoss !== null) covers.push('diskLoss');
  const domainDown: Record<DomainLevel, number> = { rack: 0, zone: 0, region: 0 };
  for (const level of ['rack', 'zone', 'region'] as const) {
    const entries = f.domainOutages.filter((o) => o.level === level);
    if (entries.length === 0) continue;
    covers.push(LEVEL_SOURCE[level]);
    // Several entries of one level are independent processes on each domain: up only when all are up.
    const up = entries.reduce((p, o) => p * (1 - downFraction(o.every, o.duration)), 1);
    domainDown[level] = 1 - up;
  }
  if (f.bursts !== null) leavesOut.push('bursts');
  if (f.zonePartitions !== null) leavesOut.push('zonePartitions');
  if (f.rollingMaintenance !== null) leavesOut.push('rollingMaintenance');
  return {
    restartDown: f.processRestarts === null ? 0 : downFraction(f.processRestarts.every, f.processRestarts.downtime),
    diskDown: f.diskLoss === null ? 0 : downFraction(f.diskLoss.every, f.diskLoss.rebuild),
    hostDown: f.hostFailures === null ? 0 : downFraction(f.hostFailures.mttf, f.hostFailures.mttr),
    domainDown,
    covers,
    leavesOut,
  };
}
