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
 * Covered: the processes faults/processes.ts marks `closedForm: true` — processRestarts and
 * diskLoss (per server), hostFailures (per host), rack / zone / region outages (per domain).
 * Coverage is an allow-list: every other process that is on is left out (today bursts, hosts of
 * one zone failing together; zonePartitions, voters up but cut apart; rollingMaintenance, a
 * schedule, not a renewal process), each of which breaks the independence the product form needs.
 * Caveats the caller owns: a trial starts all-up rather than stationary (a bias of order
 * MTTR / horizon); quorum availability only — the protocol's own election and sync time after a
 * repair is not in it.
 */
import { meanOf, type Distribution } from '../model/distribution.js';
import type { DomainLevel, FailureModel } from '../model/experiment.js';
import type { FailureSource } from '../model/faults.js';
import { FAILURE_PROCESS_TABLE, type FailureProcess } from './processes.js';

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
  /** the processes that are on and not marked `closedForm` in faults/processes.ts (bursts, zonePartitions, rollingMaintenance) */
  readonly leavesOut: readonly FailureSource[];
}

/** E[down] / (E[up] + E[down]): the long-run down fraction of an alternating renewal process. */
export function downFraction(up: Distribution, down: Distribution): number {
  const u = meanOf(up);
  const d = meanOf(down);
  return d / (u + d);
}

/**
 * The closed form's inputs for the independent part of `f`, and what it leaves out: the sources
 * of every process that is on, split by the process's `closedForm` mark (`processes` is for tests).
 */
export function analyticInputs(f: FailureModel, processes: readonly FailureProcess[] = FAILURE_PROCESS_TABLE): AnalyticInputs {
  const covers: FailureSource[] = [];
  const leavesOut: FailureSource[] = [];
  for (const p of processes) (p.closedForm === true ? covers : leavesOut).push(...p.sources(f));
  const domainDown: Record<DomainLevel, number> = { rack: 0, zone: 0, region: 0 };
  for (const level of ['rack', 'zone', 'region'] as const) {
    const entries = f.domainOutages.filter((o) => o.level === level);
    if (entries.length === 0) continue;
    // Several entries of one level are independent processes on each domain: up only when all are up.
    const up = entries.reduce((p, o) => p * (1 - downFraction(o.every, o.duration)), 1);
    domainDown[level] = 1 - up;
  }
  return {
    restartDown: f.processRestarts === null ? 0 : downFraction(f.processRestarts.every, f.processRestarts.downtime),
    diskDown: f.diskLoss === null ? 0 : downFraction(f.diskLoss.every, f.diskLoss.rebuild),
    hostDown: f.hostFailures === null ? 0 : downFraction(f.hostFailures.mttf, f.hostFailures.mttr),
    domainDown,
    covers,
    leavesOut,
  };
}
