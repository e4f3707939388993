import { US_PER_YEAR, meanOf } from '../core/index.js';
import { analyticInputs } from '../faults/index.js';
import type { Experiment } from '../model/experiment.js';
import type { ServerSpec, Topology } from '../model/index.js';
import { enumeratedAvailability, meanTimeToQuorumLoss, type QuorumSystem } from '../stats/index.js';
import type { AnalyticValues } from './estimate.js';

/**
 * The closed form beside a simulated estimate, where one applies (availability.md §1a).
 *
 * It applies when the failure model is ONLY independent host crash/repair (`hostFailures`) and/or
 * zone outages (faults/analytic.ts `analyticInputs` decides), and every voter has a host of its
 * own (shared hosts fail together, which the product form ignores).
 * Restarts, disk loss, bursts, partitions and maintenance have no closed form here: null.
 *
 * - Host failures are an alternating renewal process (up for an mttf sample, down for an mttr
 *   sample), so a host is up a fraction a = E[mttf] / (E[mttf] + E[mttr]) of the time whatever
 *   the distributions (renewal-reward; insensitivity), and hosts are independent.
 * - A domain instance is up for `every`, down for `duration` (alternating too), so it is up a
 *   fraction 1 / (1 + E[duration]/E[every]) = 1/(1 + rate·meanDuration), independently of the
 *   hosts' own crashes (outages nest in the simulator: a host is down while any fault holds it).
 * - A voter is up iff its host and its domain are up: `enumeratedAvailability` sums over domain
 *   states and voter states, for majority and hierarchical quorums alike.
 * - Mean time to quorum loss from the birth–death chain needs a Markov model: exponential mttf
 *   and mttr, a majority quorum and no domain outages; otherwise null.
 *
 * This is the QUORUM availability (a quorum of voters up); write availability is lower by the
 * protocol's own detection/election/sync time, which no closed form covers.
 */
export function analyticFor(experiment: Experiment, topology: Topology): AnalyticValues | null {
  const f = experiment.failures;
  const inputs = analyticInputs(f);
  if (inputs === null) return null;
  const voters = topology.servers.filter((s) => s.role !== 'observer');
  if (voters.length === 0) return null;
  if (new Set(voters.map((s) => s.host)).size !== voters.length) return null;
  const a = 1 - inputs.hostDown;
  const zones: string[] = [];
  const serverZone = voters.map((s) => {
    let i = zones.indexOf(s.zone);
    if (i < 0) i = zones.push(s.zone) - 1;
    return i;
  });
  const zoneUp = zones.map(() => 1 - inputs.zoneDown);
  const quorum = quorumSystemOf(topology, voters);
  const r = enumeratedAvailability({ quorum, serverUp: voters.map(() => a), serverZone, zoneUp });

  const host = f.hostFailures;
  const markov =
    host !== null && host.mttf.dist === 'exponential' && host.mttr.dist === 'exponential' && inputs.zoneDown === 0 && topology.quorum === 'majority';
  const mttqlYears = markov ? meanTimeToQuorumLoss({ n: voters.length, mttf: meanOf(host.mttf), mttr: meanOf(host.mttr) }) / US_PER_YEAR : null;

  const parts = [`independent host crash/repair, each voter up a = MTTF/(MTTF+MTTR) = ${a.toPrecision(6)}`];
  if (inputs.zoneDown > 0) parts.push(`independent zone outages, each zone up ${(1 - inputs.zoneDown).toPrecision(6)} of the time`);
  parts.push(`${topology.quorum} quorum of ${voters.length} voters, exact enumeration`);
  if (mttqlYears !== null) parts.push('MTTQL from the birth–death chain (exponential MTTF/MTTR)');
  return {
    quorumAvailability: r.availability,
    quorumUnavailability: r.unavailability,
    meanYearsToQuorumLoss: mttqlYears,
    model: parts.join('; '),
  };
}

function quorumSystemOf(topology: Topology, voters: readonly ServerSpec[]): QuorumSystem {
  if (topology.quorum === 'majority') return { kind: 'majority', voters: voters.length };
  return { kind: 'hierarchical', groups: voters.map((s) => s.group), weights: voters.map((s) => s.weight) };
}
