import { US_PER_YEAR } from '../core/index.js';
import { analyticInputs } from '../faults/index.js';
import { meanOf } from '../model/distribution.js';
import type { Experiment } from '../model/experiment.js';
import { isInitialVoter, type ServerSpec, type Topology } from '../model/index.js';
import { MAX_ENUMERATED_DOMAINS, MAX_ENUMERATED_VOTERS, enumeratedAvailability, meanTimeToQuorumLoss, type QuorumSystem } from '../stats/index.js';
import type { AnalyticValues } from './estimate.js';

/**
 * The closed form beside a simulated estimate (availability.md §1a), for the part of the failure
 * model made of independent per-server, per-host and per-domain processes
 * (faults/analytic.ts `analyticInputs` decides which, and names the ones it leaves out).
 *
 * - Each process is an alternating renewal process (up for an `every`/`mttf` sample, down for a
 *   `downtime`/`mttr`/`duration` sample), so it is up a fraction E[up] / (E[up] + E[down]) of the
 *   time whatever the distributions (renewal-reward; insensitivity), independently of the others
 *   (outages nest in the simulator: a server is down while any fault holds it).
 * - A voter is up iff its process (processRestarts), its disk (diskLoss), its host
 *   (hostFailures) and every domain enclosing it (rack, zone, region outages) are up.
 *   `enumeratedAvailability` sums exactly over the states of the hosts and domains two or more
 *   voters share and over the voters' own states, for majority and hierarchical quorums alike.
 * - Mean time to quorum loss from the birth–death chain needs a Markov model: host failures
 *   alone, exponential mttf and mttr, one voter per host, a majority quorum; otherwise null.
 *
 * Null when no process it covers is on while others are (it would say 100% and mean nothing),
 * when there are no voters, or too many voters or shared domains to enumerate. With bursts, zone partitions or rolling
 * maintenance on, the value is the availability WITHOUT them (`leavesOut` names them): an upper
 * bound in practice, not a check of the simulation.
 *
 * This is the QUORUM availability (a quorum of voters up); write availability is lower by the
 * protocol's own detection/election/sync time, which no closed form covers.
 */
export function analyticFor(experiment: Experiment, topology: Topology): AnalyticValues | null {
  const f = experiment.failures;
  const inputs = analyticInputs(f);
  if (inputs.covers.length === 0 && inputs.leavesOut.length > 0) return null;
  const voters = topology.servers.filter(isInitialVoter);
  if (voters.length === 0 || voters.length > MAX_ENUMERATED_VOTERS) return null;

  // Failure domains by name: a voter lies in its host, rack, zone and region (each level's names
  // kept apart, so a rack and a zone that share a name stay two domains).
  const domainIndex = new Map<string, number>();
  const zoneUp: number[] = [];
  const domain = (key: string, down: number): number => {
    let i = domainIndex.get(key);
    if (i === undefined) {
      i = zoneUp.push(1 - down) - 1;
      domainIndex.set(key, i);
    }
    return i;
  };
  const serverZone = voters.map((s) => [
    domain(`host:${s.host}`, inputs.hostDown),
    domain(`rack:${s.rack}`, inputs.domainDown.rack),
    domain(`zone:${s.zone}`, inputs.domainDown.zone),
    domain(`region:${s.region}`, inputs.domainDown.region),
  ]);
  // Beyond MAX_ENUMERATED_DOMAINS shared domains the enumeration would take too long: no closed form.
  const holders = new Map<number, number>();
  for (const list of serverZone) for (const z of list) if ((zoneUp[z] as number) < 1) holders.set(z, (holders.get(z) ?? 0) + 1);
  if ([...holders.values()].filter((n) => n > 1).length > MAX_ENUMERATED_DOMAINS) return null;
  const own = (1 - inputs.restartDown) * (1 - inputs.diskDown);
  const quorum = quorumSystemOf(topology, voters);
  const r = enumeratedAvailability({ quorum, serverUp: voters.map(() => own), serverZone, zoneUp });

  const host = f.hostFailures;
  const ownHosts = new Set(voters.map((s) => s.host)).size === voters.length;
  const markov =
    host !== null &&
    inputs.covers.length === 1 &&
    inputs.leavesOut.length === 0 &&
    host.mttf.dist === 'exponential' &&
    host.mttr.dist === 'exponential' &&
    ownHosts &&
    topology.quorum === 'majority';
  const mttqlYears = markov ? meanTimeToQuorumLoss({ n: voters.length, mttf: meanOf(host.mttf), mttr: meanOf(host.mttr) }) / US_PER_YEAR : null;

  const up = (down: number): string => (1 - down).toPrecision(6);
  const parts: string[] = [];
  if (f.processRestarts !== null) parts.push(`process restarts, each server's process up ${up(inputs.restartDown)}`);
  if (f.diskLoss !== null) parts.push(`disk loss, each server up ${up(inputs.diskDown)} (rebuilds)`);
  if (host !== null) parts.push(`independent host crash/repair, each host up a = MTTF/(MTTF+MTTR) = ${up(inputs.hostDown)}`);
  for (const level of ['rack', 'zone', 'region'] as const) {
    if (f.domainOutages.some((o) => o.level === level)) parts.push(`independent ${level} outages, each ${level} up ${up(inputs.domainDown[level])} of the time`);
  }
  if (parts.length === 0) parts.push('no failures');
  parts.push(`${topology.quorum} quorum of ${voters.length} voters, exact enumeration over shared hosts and domains`);
  if (mttqlYears !== null) parts.push('MTTQL from the birth–death chain (exponential MTTF/MTTR)');
  if (inputs.leavesOut.length > 0) parts.push(`leaves out ${inputs.leavesOut.join(', ')} (no closed form)`);
  return {
    quorumAvailability: r.availability,
    quorumUnavailability: r.unavailability,
    meanYearsToQuorumLoss: mttqlYears,
    model: parts.join('; '),
    covers: inputs.covers,
    leavesOut: inputs.leavesOut,
  };
}

/** The quorum system of `voters` (ascending id) as stats/quorum.ts takes it. */
export function quorumSystemOf(topology: Topology, voters: readonly ServerSpec[]): QuorumSystem {
  if (topology.quorum === 'majority') return { kind: 'majority', voters: voters.length };
  return { kind: 'hierarchical', groups: voters.map((s) => s.group), weights: voters.map((s) => s.weight) };
}
