/**
 * Whether a set of active faults leaves a connected quorum of voters, judged from the fault
 * schedule alone (no protocol): what failure biasing (faults/forcing.ts) needs to stop biasing a
 * cycle once it has lost the quorum. A voter is down when a kill, crash or wipe holds its host
 * (crash and wipe take the whole host, a kill only its process) or a domain-down holds its rack,
 * zone or region; a partition cuts every link between its two groups, an isolate every link of
 * its server, a one-way cut its links in one direction (counted as cut: a link that loses one
 * direction carries no round trip). A connected quorum is a set of up voters, pairwise linked,
 * that contains a quorum (the same notion as observe/availability.ts hasConnectedQuorum, which
 * judges live peers instead). Gray failures: a pause, a full disk and a stalled disk hold their
 * voter down (it acknowledges nothing); a 100% loss cuts its links; a slow disk, a partial loss, a
 * delay and a blackhole cut nothing (a round trip still completes, later). A maintenance step counts against the server it names; a `leader`
 * target (scripted only) against none: sampled schedules never hold one.
 */
import { compileQuorum, type QuorumSystem } from '../stats/index.js';
import type { FaultSpec, NodeRef } from '../model/faults.js';
import type { ServerId } from '../model/ids.js';
import { isInitialVoter, type ServerSpec, type Topology } from '../model/topology.js';

export type QuorumJudge = (active: readonly FaultSpec[]) => boolean;

/** A predicate: true when `active` leaves NO connected quorum of the topology's voters. */
export function quorumLostJudge(topology: Topology): QuorumJudge {
  const voters = [...topology.servers].filter(isInitialVoter).sort((a, b) => a.id - b.id);
  const system: QuorumSystem =
    topology.quorum === 'majority' ? { kind: 'majority', voters: voters.length } : { kind: 'hierarchical', groups: voters.map((s) => s.group), weights: voters.map((s) => s.weight) };
  const hasQuorum = voters.length === 0 ? () => true : compileQuorum(system);
  const index = new Map(voters.map((s, i) => [s.id, i]));
  const byId = new Map(topology.servers.map((s) => [s.id, s]));
  return (active) => {
    if (voters.length === 0) return false;
    const up = voters.map((v) => !active.some((f) => holdsDown(f, v, byId)));
    const cuts: [number, number][] = [];
    for (const f of active) for (const pair of cutPairs(f, voters, index)) cuts.push(pair);
    if (cuts.length === 0) return !hasQuorum(up);
    return !connectedQuorum(up, cuts, hasQuorum);
  };
}

function refId(node: NodeRef): ServerId | null {
  return node.kind === 'leader' ? null : node.id;
}

function holdsDown(f: FaultSpec, v: ServerSpec, byId: ReadonlyMap<ServerId, ServerSpec>): boolean {
  switch (f.kind) {
    case 'kill': {
      return refId(f.node) === v.id;
    }
    case 'crash':
    case 'wipe': {
      const id = refId(f.node);
      const target = id === null ? undefined : byId.get(id);
      return target !== undefined && target.host === v.host;
    }
    case 'domain-down':
      return v[f.level] === f.name;
    // A paused process, one whose txn-log thread died on a full disk (disk.ts "Disk full") and one
    // whose disk stalls all run but acknowledge nothing: for a quorum they count as down. A disk
    // that is only slow still acknowledges, later.
    case 'pause':
    case 'disk-full':
      return refId(f.node) === v.id;
    case 'slow-disk':
      return f.fsync === 'stall' && refId(f.node) === v.id;
    // start holds its server down BEFORE it fires (never sampled, so never judged here); loss,
    // delay and a blackhole leave links that still carry a round trip, later
    default:
      return false;
  }
}

/** The voter index pairs fault `f` cuts. */
function cutPairs(f: FaultSpec, voters: readonly ServerSpec[], index: ReadonlyMap<ServerId, number>): [number, number][] {
  const ids = (xs: readonly ServerId[]): number[] => xs.map((x) => index.get(x)).filter((i): i is number => i !== undefined);
  const cross = (a: number[], b: number[]): [number, number][] => a.flatMap((i) => b.map((j): [number, number] => [i, j]));
  switch (f.kind) {
    case 'partition':
      return cross(ids(f.groups[0]), ids(f.groups[1]));
    case 'oneway':
      return cross(ids(f.from), ids(f.to));
    case 'loss':
      return f.percent >= 100 ? cross(ids(f.from), ids(f.to)) : []; // total loss: nothing gets through
    case 'isolate': {
      const id = refId(f.node);
      const i = id === null ? undefined : index.get(id);
      return i === undefined ? [] : voters.map((_, j): [number, number] => [i, j]).filter(([a, b]) => a !== b);
    }
    default:
      return [];
  }
}

/** Some set of up voters, pairwise uncut, contains a quorum (≤ 2^V subsets; V is small). */
function connectedQuorum(up: readonly boolean[], cuts: readonly [number, number][], hasQuorum: (mask: readonly boolean[]) => boolean): boolean {
  const n = up.length;
  const cutMask = new Array<number>(n).fill(0);
  for (const [a, b] of cuts) {
    cutMask[a] = (cutMask[a] as number) | (1 << b);
    cutMask[b] = (cutMask[b] as number) | (1 << a);
  }
  let upMask = 0;
  up.forEach((u, i) => {
    if (u) upMask |= 1 << i;
  });
  for (let s = upMask; s > 0; s = (s - 1) & upMask) {
    let clique = true;
    for (let i = 0; i < n && clique; i++) if (s & (1 << i) && (cutMask[i] as number) & s) clique = false;
    if (clique && hasQuorum(up.map((_, i) => (s & (1 << i)) !== 0))) return true;
  }
  return false;
}
