/**
 * Which estimator a study uses (`--method naive|auto|failure-biasing`, issue 12).
 *
 * - `naive`: plain Monte Carlo, every trial under the real failure model.
 * - `failure-biasing`: the fault schedule is drawn under a biased measure that makes a second
 *   failure during an outage about as likely as its repair (faults/biasing.ts), and every
 *   regenerative cycle is weighted by its likelihood ratio (montecarlo/weighted.ts).
 * - `auto` (the default) picks failure biasing exactly where it pays: where losing the quorum
 *   takes OVERLAPPING failures. Failure biasing raises the odds of a further failure while one is
 *   already in progress; it leaves the first failure of every excursion as it is. So where a
 *   single failure event can take the quorum away by itself (a zone outage in a one-zone layout,
 *   a 2|2 partition of four voters), those losses are as frequent as the event and naive Monte
 *   Carlo sees plenty of them, while the weights would only add variance. Where no single event
 *   can (the minimal cut is two or more events), quorum losses need coincidences that naive
 *   Monte Carlo rarely draws — there failure biasing is used, provided some failure process it
 *   can bias (exponential up times, touching a voter) is on, and provided the losses are rare
 *   for the study at hand: a pilot of fault schedules alone (no protocol, milliseconds) counts
 *   the quorum losses naive trials would see, and where the planned trials would see at least
 *   NAIVE_ENOUGH_LOSSES of them naive Monte Carlo stays (it resolves them, at a fraction of a
 *   biased trial's cost).
 */
import { deriveSeed, Rng } from '../core/index.js';
import { quorumLostJudge, sampleFaults } from '../faults/index.js';
import type { FaultSpec } from '../model/faults.js';
import { compileQuorum } from '../stats/index.js';
import { quorumSystemOf } from './analytic.js';
import type { Experiment, FailureModel } from '../model/experiment.js';
import { isInitialVoter, type ServerSpec, type Topology } from '../model/index.js';

export type RequestedMethod = 'naive' | 'auto' | 'failure-biasing';
export type EstimationMethod = 'naive' | 'failure-biasing';
export const REQUESTED_METHODS: readonly RequestedMethod[] = ['auto', 'naive', 'failure-biasing'];

export interface ResolvedMethod {
  readonly method: EstimationMethod;
  /** why, in words (for --show-model, the JSON's notes and the table's footnote) */
  readonly reason: string;
}

/** What the auto pilot needs of the study: its trials, horizon and seed. */
export interface StudyPlanOf {
  readonly runs: number;
  readonly horizonUs: number;
  readonly seed: string;
}

/** Quorum losses the planned naive trials must be expected to see for auto to keep naive Monte Carlo. */
export const NAIVE_ENOUGH_LOSSES = 100;
/** Fault schedules (trials' worth) the auto pilot draws. */
export const PILOT_TRIALS = 64;

/**
 * The method a study of (topology, experiment) runs with when `requested` was asked for; `plan`
 * (runs, horizon, seed) lets `auto` count the losses naive trials would see (without it, auto
 * decides on the failure model and layout alone).
 */
export function resolveMethod(requested: RequestedMethod, topology: Topology, experiment: Experiment, plan?: StudyPlanOf): ResolvedMethod {
  if (requested === 'naive') return { method: 'naive', reason: 'asked for (--method naive)' };
  const biasable = biasableProcesses(experiment.failures);
  if (requested === 'failure-biasing') {
    return { method: 'failure-biasing', reason: biasable.length > 0 ? 'asked for (--method failure-biasing)' : 'asked for, but no process can be biased (none has exponential up times): the weights are all 1' };
  }
  if (biasable.length === 0) return { method: 'naive', reason: 'no failure process has exponential up times to bias (--method auto)' };
  const memory = regenerationProblem(experiment.failures);
  if (memory !== null) return { method: 'naive', reason: `${memory} (--method auto)` };
  const single = singleEventQuorumLoss(topology, experiment.failures);
  if (single !== null) return { method: 'naive', reason: `a single failure event takes the quorum (${single}), so quorum losses are not rare (--method auto)` };
  if (plan) {
    const expected = pilotQuorumLosses(topology, experiment, plan);
    if (expected >= NAIVE_ENOUGH_LOSSES) {
      return { method: 'naive', reason: `losing the quorum takes overlapping failures, but ${plan.runs} naive trials would see ~${Math.round(expected)} quorum losses (a pilot of fault schedules), enough on their own (--method auto)` };
    }
  }
  return { method: 'failure-biasing', reason: 'losing the quorum takes overlapping failures, which naive Monte Carlo rarely draws (--method auto)' };
}

/**
 * Quorum-loss episodes expected in `plan.runs` naive trials, from PILOT_TRIALS fault schedules
 * drawn as naive trials draw them (own seed, `<seed>:auto-pilot`) and judged from the schedule
 * alone (faults/quorum-state.ts): deterministic, and blind to the protocol (what it counts are
 * the stretches without a connected quorum of voters up).
 */
export function pilotQuorumLosses(topology: Topology, experiment: Experiment, plan: StudyPlanOf): number {
  const lost = quorumLostJudge(topology);
  const trials = Math.max(1, Math.min(PILOT_TRIALS, plan.runs));
  let episodes = 0;
  for (let i = 0; i < trials; i++) {
    const faults = sampleFaults(experiment, topology, new Rng(deriveSeed(`${plan.seed}:auto-pilot`, i)).fork('faults'), plan.horizonUs);
    episodes += lossEpisodes(faults, lost);
  }
  return (episodes / trials) * plan.runs;
}

/** Transitions into "no connected quorum" over a schedule: one sweep over its starts and repairs. */
function lossEpisodes(faults: readonly FaultSpec[], lost: (active: readonly FaultSpec[]) => boolean): number {
  const edges: [number, 1 | -1, FaultSpec][] = [];
  for (const f of faults) {
    edges.push([f.atUs, 1, f]);
    if (f.durationUs !== null) edges.push([f.atUs + f.durationUs, -1, f]);
  }
  // At one instant, repairs before starts: a fault is active on [atUs, atUs + durationUs).
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const active = new Set<FaultSpec>();
  let episodes = 0;
  let was = false;
  for (let k = 0; k < edges.length; ) {
    const t = (edges[k] as [number, 1 | -1, FaultSpec])[0];
    for (; k < edges.length && (edges[k] as [number, 1 | -1, FaultSpec])[0] === t; k++) {
      const [, d, f] = edges[k] as [number, 1 | -1, FaultSpec];
      if (d === 1) active.add(f);
      else active.delete(f);
    }
    const now = active.size > 0 && lost([...active]);
    if (now && !was) episodes++;
    was = now;
  }
  return episodes;
}

/**
 * Why the all-up instants of this failure model are not regeneration points, or null when they
 * are. Failure biasing weights each cycle by its own likelihood ratio, which is unbiased only if a
 * cycle's future does not depend on when it starts: every process must be memoryless (exponential
 * up times). Rolling maintenance runs on a calendar, and a non-exponential up time carries its
 * age across cycles; with either, biased cycles start at different points of that calendar or
 * age than natural ones, and the weights no longer correct for it (measured: 37 elections a year
 * against 52 under weekly maintenance, with a tight interval). Such models run naive Monte Carlo.
 */
export function regenerationProblem(f: FailureModel): string | null {
  if (f.rollingMaintenance !== null) return 'rolling maintenance runs on a calendar, so the all-up instants are no regeneration points for failure biasing';
  const exp = (d: { dist: string }): boolean => d.dist === 'exponential';
  const memory: string[] = [];
  if (f.processRestarts && !exp(f.processRestarts.every)) memory.push('processRestarts');
  if (f.hostFailures && !exp(f.hostFailures.mttf)) memory.push('hostFailures');
  if (f.diskLoss && !exp(f.diskLoss.every)) memory.push('diskLoss');
  if (f.domainOutages.some((o) => !exp(o.every))) memory.push('domainOutages');
  if (f.bursts && !exp(f.bursts.every)) memory.push('bursts');
  if (f.zonePartitions && !exp(f.zonePartitions.every)) memory.push('zonePartitions');
  if (f.pauses && !exp(f.pauses.every)) memory.push('pauses');
  if (memory.length > 0) return `${memory.join(', ')} ${memory.length === 1 ? 'has' : 'have'} non-exponential up times, which carry their age across cycles, so the all-up instants are no regeneration points for failure biasing`;
  return null;
}

/** The processes failure biasing can bias: those on whose up time is exponential. */
export function biasableProcesses(f: FailureModel): string[] {
  const out: string[] = [];
  const exp = (d: { dist: string }): boolean => d.dist === 'exponential';
  if (f.processRestarts && exp(f.processRestarts.every)) out.push('processRestarts');
  if (f.hostFailures && exp(f.hostFailures.mttf)) out.push('hostFailures');
  if (f.diskLoss && exp(f.diskLoss.every)) out.push('diskLoss');
  if (f.domainOutages.some((o) => exp(o.every))) out.push('domainOutages');
  if (f.bursts && exp(f.bursts.every)) out.push('bursts');
  if (f.zonePartitions && exp(f.zonePartitions.every)) out.push('zonePartitions');
  return out;
}

/**
 * A failure event of a process that is on which, alone, leaves no connected quorum of voters,
 * named in words; null when there is none. Events: a server down (process restarts, disk loss,
 * one rolling-maintenance step, a GC pause), a host down (host failures), every host of a zone down (a burst
 * at its worst, zone outages), every host of a rack / region down (domain outages), two zones cut
 * apart (zone partitions: the quorum survives iff the voters outside one of the two zones hold one).
 */
export function singleEventQuorumLoss(topology: Topology, f: FailureModel): string | null {
  const voters = [...topology.servers].filter(isInitialVoter).sort((a, b) => a.id - b.id);
  if (voters.length === 0) return null;
  const hasQuorum = compileQuorum(quorumSystemOf(topology, voters));
  const survives = (down: (s: ServerSpec) => boolean): boolean => hasQuorum(voters.map((s) => !down(s)));
  const names = (field: 'host' | 'rack' | 'zone' | 'region'): string[] => [...new Set(voters.map((s) => s[field]))];
  const checks: [boolean, string, (name: string) => (s: ServerSpec) => boolean, 'host' | 'rack' | 'zone' | 'region' | 'server'][] = [
    // a pause holds its voter down for a quorum's purposes (faults/quorum-state.ts)
    [f.processRestarts !== null || f.diskLoss !== null || f.rollingMaintenance !== null || f.pauses !== null, 'server', (n) => (s) => String(s.id) === n, 'server'],
    [f.hostFailures !== null, 'host', (n) => (s) => s.host === n, 'host'],
    [f.bursts !== null, 'burst in zone', (n) => (s) => s.zone === n, 'zone'],
  ];
  for (const o of f.domainOutages) checks.push([true, `${o.level} outage`, (n) => (s) => s[o.level] === n, o.level]);
  for (const [on, what, down, field] of checks) {
    if (!on) continue;
    const entities = field === 'server' ? voters.map((s) => String(s.id)) : names(field);
    for (const n of entities) if (!survives(down(n))) return `${what} ${n}`;
  }
  if (f.zonePartitions !== null) {
    const zones = names('zone');
    for (const [i, a] of zones.entries()) {
      for (const b of zones.slice(i + 1)) {
        if (!survives((s) => s.zone === a) && !survives((s) => s.zone === b)) return `zone partition ${a}|${b}`;
      }
    }
  }
  return null;
}
