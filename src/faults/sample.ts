/**
 * Stochastic failure processes → scripted faults.
 *
 * `sampleFaults` draws every process of an experiment over a trial's horizon and returns the
 * faults the trial runner applies, each carrying the `source` (model/faults.ts FailureSource) of
 * the process that produced it. It is a pure function of (experiment, topology, rng seed,
 * horizon): it reads the rng only through labelled forks, so
 *   - each process has its own stream (`hostFailures`, `bursts`, …): switching one process on or
 *     off never shifts another's draws;
 *   - every process is defined per server, per host, per domain or per zone pair, and forks again
 *     per entity (`hostFailures:3`, `domainOutages[0]:zone:az1`, `zonePartitions:az1|az2`).
 *     Entities are named by what they are (server id, domain name), never by their position in
 *     the topology, so server 3 draws the same faults in an n3 and an n5 layout, and adding
 *     servers in other zones (observers in a DR zone) never changes the faults the existing
 *     servers see: compared topologies get common random numbers.
 *
 * Conventions shared by all processes:
 *   - `every` / `mttf` is the up time from the end of one event to the start of the next
 *     (alternating renewal), so one entity's events never overlap each other; different processes
 *     may overlap freely — the trial runner nests outages.
 *   - Sampled durations are rounded to whole microseconds and clamped to at least 1 µs (a normal
 *     can draw negative values; a zero-length fault is meaningless).
 *   - Only faults that start before the horizon are emitted; a repair may fall after it.
 *   - Every process starts "all up" at t = 0 (no stationary start); rolling maintenance starts at a
 *     random phase within its period.
 *
 * The processes themselves are the entries of faults/processes.ts FAILURE_PROCESS_TABLE, sampled
 * in that table's order.
 *
 * Cost is O(number of faults): each loop iteration emits a fault or ends the process. A model
 * whose expected faults per trial exceed the budget (config/limits.ts MAX_EXPECTED_FAULTS, for
 * this topology's servers, hosts, domains and zone pairs) is refused before drawing anything,
 * and sampling stops past MAX_SAMPLED_FAULTS whatever was expected: both with a
 * SimulationLimitError naming the field, never unbounded memory.
 */
import { faultBudgetIssues } from '../config/experiment-validate.js';
import { MAX_SAMPLED_FAULTS } from '../config/limits.js';
import { SimulationLimitError, type Rng } from '../core/index.js';
import type { Experiment } from '../model/experiment.js';
import type { FaultSpec } from '../model/faults.js';
import type { Topology } from '../model/topology.js';
import type { BiasedSchedule } from './biasing.js';
import { type ApproximateForcing, DEFAULT_FORCING, forcedSchedule } from './forcing.js';
import { FAILURE_PROCESS_TABLE, type FailureProcess } from './processes.js';
import { byId, domains, FaultList, hostRepresentatives } from './sampling.js';

/** How many entities of each kind (config/limits.ts FaultEntity) the topology has. */
export function entityCounts(topology: Topology): (entity: string) => number {
  const servers = byId(topology);
  const zones = domains(servers, 'zone').length;
  const counts: Record<string, number> = {
    server: servers.length,
    host: hostRepresentatives(servers).length,
    rack: domains(servers, 'rack').length,
    zone: zones,
    region: domains(servers, 'region').length,
    'zone pair': (zones * (zones - 1)) / 2,
    'zone host': hostRepresentatives(servers).length,
  };
  return (entity) => counts[entity] ?? 0;
}

/** `cap` and `processes` are for tests; every caller leaves them at MAX_SAMPLED_FAULTS and FAILURE_PROCESS_TABLE. */
export function sampleFaults(
  experiment: Experiment,
  topology: Topology,
  rng: Rng,
  horizonUs: number,
  cap = MAX_SAMPLED_FAULTS,
  processes: readonly FailureProcess[] = FAILURE_PROCESS_TABLE,
): FaultSpec[] {
  if (!Number.isSafeInteger(horizonUs) || horizonUs < 0) throw new RangeError(`horizonUs must be a non-negative integer, got ${horizonUs}`);
  const budget = faultBudgetIssues(experiment.failures, horizonUs, entityCounts(topology));
  if (budget.length > 0) throw new SimulationLimitError(budget.map((i) => `topology ${topology.name}: ${i.path}: ${i.message}`).join('; '));
  const f = experiment.failures;
  const servers = byId(topology);
  // One list per process, concatenated in table order; the stable sort by time then keeps
  // (process order, emission order) as the tiebreak.
  const out = new FaultList(cap);
  const ctx = { servers, hosts: hostRepresentatives(servers), rng, horizonUs, out };
  for (const p of processes) if (p.sources(f).length > 0) p.sample(f, ctx);
  return out.items.sort((a, b) => a.atUs - b.atUs);
}

/**
 * The `--node-mttf/--node-mttr` failure model: exponential host crash/repair on every server and
 * nothing else (the closed-form case: each server up with probability MTTF/(MTTF+MTTR)).
 */
export function independentCrashRepair(mttfUs: number, mttrUs: number): Experiment['failures'] {
  return {
    processRestarts: null,
    hostFailures: { mttf: { dist: 'exponential', mean: mttfUs }, mttr: { dist: 'exponential', mean: mttrUs } },
    diskLoss: null,
    domainOutages: [],
    bursts: null,
    zonePartitions: null,
    rollingMaintenance: null,
    pauses: null,
  };
}

/**
 * The trial's fault schedule under failure biasing (the change of measure of
 * `--method failure-biasing`, faults/forcing.ts: balanced failure biasing with approximate
 * forcing): the same processes, budget checks and `cap` as sampleFaults, but while the schedule
 * is degraded a further failure of a voter-touching process with an exponential up time is
 * forced into the time before the next repair with raised probability, and the schedule comes
 * with its regenerative cycles, each weighted by its likelihood ratio dP/dQ. Timing and choice
 * draws come from the stream `bias:schedule`, each entity's marks (durations, burst coins) from
 * its own (`bias:hostFailures:3`, …); rolling maintenance and other processes that cannot be
 * biased are sampled exactly as sampleFaults samples them. `horizonUs` is a non-negative
 * integer (RangeError otherwise); the fault budget and the cap throw SimulationLimitError; a
 * forcing outside 0 < probability ≤ max < 1 throws RangeError.
 */
export function sampleFaultsBiased(
  experiment: Experiment,
  topology: Topology,
  rng: Rng,
  horizonUs: number,
  forcing: ApproximateForcing = DEFAULT_FORCING,
  cap = MAX_SAMPLED_FAULTS,
): BiasedSchedule {
  if (!Number.isSafeInteger(horizonUs) || horizonUs < 0) throw new RangeError(`horizonUs must be a non-negative integer, got ${horizonUs}`);
  const budget = faultBudgetIssues(experiment.failures, horizonUs, entityCounts(topology));
  if (budget.length > 0) throw new SimulationLimitError(budget.map((i) => `topology ${topology.name}: ${i.path}: ${i.message}`).join('; '));
  const servers = byId(topology);
  const ctx = { servers, hosts: hostRepresentatives(servers), rng, horizonUs, out: new FaultList(cap) };
  return forcedSchedule(experiment.failures, topology, ctx, forcing);
}
