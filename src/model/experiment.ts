/**
 * An experiment: the stochastic failure model a Monte Carlo study samples, plus its defaults
 * (runs, horizon, seed). Parsed from `experiments/*.yaml` by src/config/experiment.ts; sampled into
 * scripted faults by src/faults/.
 *
 * All times are integer microseconds.
 */

import type { Distribution } from './distribution.js';

/** Per server: the process is killed (host up) after `every`, restarted after `downtime`. */
export interface ProcessRestarts {
  readonly every: Distribution;
  readonly downtime: Distribution;
}

/** Per host: alternating renewal, up for an `mttf` sample, silently crashed for an `mttr` sample. */
export interface HostFailures {
  readonly mttf: Distribution;
  readonly mttr: Distribution;
}

/** Per server: the disk is lost after `every`; the server returns empty after `rebuild`. */
export interface DiskLoss {
  readonly every: Distribution;
  readonly rebuild: Distribution;
}

export type DomainLevel = 'rack' | 'zone' | 'region';
export const DOMAIN_LEVELS: readonly DomainLevel[] = ['rack', 'zone', 'region'];

/** Per domain instance of `level` present in the topology: up for `every`, down for `duration`. */
export interface DomainOutages {
  readonly level: DomainLevel;
  readonly every: Distribution;
  readonly duration: Distribution;
}

/**
 * Correlated bursts after Ford et al. (OSDI 2010), per zone: bursts strike a zone (the storage
 * cell around our hosts) after an `every` sample, counted from the end of the previous burst's
 * window. In a burst, each host of the zone fails or not on its own coin, so whether one host
 * fails never depends on which other hosts exist (observers included):
 *   - each rack of the zone is struck with probability `zoneJoin / rackJoin`, and each host of a
 *     struck rack fails with probability `rackJoin`;
 *   - so a host fails in a given burst with probability `zoneJoin`, its burst failures per year
 *     are `zoneJoin` × bursts per zone-year whatever the layout, and given that host h fails,
 *     another host fails with probability `rackJoin` if it shares h's rack, else `zoneJoin`.
 * Each failing host crashes at a uniform offset in [0, `windowUs`] for a `downtime` sample.
 * Bursts never leave the zone: several zones at once is a zone / region outage (domainOutages).
 * Invariant (validated): 0 ≤ zoneJoin ≤ rackJoin ≤ 1.
 */
export interface Bursts {
  readonly every: Distribution;
  readonly windowUs: number;
  /** probability a host fails in a burst of its zone (dimensionless) */
  readonly zoneJoin: number;
  /** probability a host fails given another host of its rack fails in the same burst (dimensionless) */
  readonly rackJoin: number;
  readonly downtime: Distribution;
}

/** Per pair of zones: up for `every`, then the two zones cut from each other both ways for `duration`. */
export interface ZonePartitions {
  readonly every: Distribution;
  readonly duration: Distribution;
}

/**
 * Per server: running for `every`, then a stop-the-world pause (a JVM GC pause; the `pause` fault
 * kind) for `duration`. A pause longer than syncLimit × tickTime makes the followers of a paused
 * leader (or the leader of a paused follower) give up on it.
 */
export interface Pauses {
  readonly every: Distribution;
  readonly duration: Distribution;
}

export type MaintenanceOrder = 'leader-last' | 'any';
export const MAINTENANCE_ORDERS: readonly MaintenanceOrder[] = ['leader-last', 'any'];

/**
 * A schedule, not a distribution: every `everyUs`, each server in turn killed for
 * `downtimePerServerUs`, `gapUs` between servers, voters first and observers after them (so
 * voters' restart times never depend on how many observers exist). Among the voters,
 * `leader-last`: followers first (lowest id first), whoever leads at that moment last; `any`: a
 * random order per round (observers likewise: lowest id first, or a random order).
 */
export interface RollingMaintenance {
  readonly everyUs: number;
  readonly order: MaintenanceOrder;
  readonly downtimePerServerUs: number;
  readonly gapUs: number;
}

/** Every failure process; `null` (or an empty list) = the process is off. */
export interface FailureModel {
  readonly processRestarts: ProcessRestarts | null;
  readonly hostFailures: HostFailures | null;
  readonly diskLoss: DiskLoss | null;
  readonly domainOutages: readonly DomainOutages[];
  readonly bursts: Bursts | null;
  readonly zonePartitions: ZonePartitions | null;
  readonly rollingMaintenance: RollingMaintenance | null;
  readonly pauses: Pauses | null;
}

export interface Experiment {
  readonly name: string;
  readonly description: string;
  /** default trial count */
  readonly runs: number;
  /** simulated time per trial */
  readonly horizonUs: number;
  readonly seed: number | string;
  readonly failures: FailureModel;
  /** reserved for a workload model; always null for now */
  readonly workload: null;
  /**
   * Set when command-line options changed the experiment after it was read (cli/study.ts), so
   * that the table, report.html and the JSON reader can say so without reading `description`
   * (which says the same in words). Absent for an experiment as its file gives it.
   */
  readonly provenance?: ExperimentProvenance;
}

/** How options changed an experiment: the fields are the option texts, as typed. */
export interface ExperimentProvenance {
  /** the options whose failure model replaced the experiment's, e.g. `--node-mttf 30d --node-mttr 2h` */
  readonly failuresReplacedBy?: string;
  /** the experiment whose failures were replaced, e.g. `production` */
  readonly failuresOf?: string;
  /** the `--set` options applied to the experiment, in order, e.g. `--set failures.hostFailures.mttr.median=4h` */
  readonly overrides?: readonly string[];
}

/** The failure-process keys, in the fixed order used for sampling and tie-breaking. */
export const FAILURE_PROCESSES: readonly (keyof FailureModel)[] = [
  'processRestarts',
  'hostFailures',
  'diskLoss',
  'domainOutages',
  'bursts',
  'zonePartitions',
  'rollingMaintenance',
  'pauses',
];
