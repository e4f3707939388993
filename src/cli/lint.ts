/**
 * Placement lint for `zksim validate`: a topology can be valid and still a poor layout. Each
 * warning names what it found and why it matters, in one line. Quorums are decided by the
 * topology's own rule (majority or hierarchical) through zk/quorum.ts's verifier, the code the
 * simulated servers use, so the lint and the simulation can never disagree on what a quorum is.
 *
 * Warnings (never errors: users compare poor layouts with good ones on purpose):
 *   - evenVoters:   an even number of voters under the majority rule
 *   - sharedHost:   two or more voters on one host (one host failure takes them all)
 *   - sharedRack:   two or more voters in one rack (one rack outage takes them all)
 *   - zoneOutage:   a zone whose loss leaves no quorum among the voters outside it
 *   - fewZones:     voters in fewer than three zones
 *   - shortLimits:  initLimit×tickTime or syncLimit×tickTime under ten one-way delays between the
 *                   farthest voters: discovery and sync take several round trips plus fsyncs
 *                   (Leader.java waits initLimit×tickTime for them; Learner's read timeout is
 *                   syncLimit×tickTime), so a leader may never be established, or followers
 *                   time out in normal operation
 */
import { usToMs } from '../core/time.js';
import { isInitialVoter, meanOf, type ServerSpec, type Topology } from '../model/index.js';
import { linkClass } from '../net/latency.js';
import { verifierFor } from '../zk/quorum.js';

export type PlacementWarningKind = 'evenVoters' | 'sharedHost' | 'sharedRack' | 'zoneOutage' | 'fewZones' | 'shortLimits';

/** How many mean one-way delays between the farthest voters initLimit/syncLimit × tickTime should at least span. */
const LIMIT_DELAYS = 10;

export interface PlacementWarning {
  readonly kind: PlacementWarningKind;
  /** one line: what was found, then why it matters */
  readonly message: string;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function ids(servers: readonly ServerSpec[]): string {
  return servers.map((s) => s.id).join(', ');
}

/** `voter 1` / `voters 1, 2` */
function voterList(servers: readonly ServerSpec[]): string {
  return `${servers.length === 1 ? 'voter' : 'voters'} ${ids(servers)}`;
}

/** Groups voters by a key; only groups of two or more are returned, in first-seen order. */
function sharing(voters: readonly ServerSpec[], key: (s: ServerSpec) => string): [string, ServerSpec[]][] {
  const groups = new Map<string, ServerSpec[]>();
  for (const v of voters) groups.set(key(v), [...(groups.get(key(v)) ?? []), v]);
  return [...groups].filter(([, g]) => g.length > 1);
}

/** The largest mean one-way delay between two voters (µs), 0 with fewer than two voters. */
function farthestVotersUs(topology: Topology, voters: readonly ServerSpec[]): number {
  let most = 0;
  for (const a of voters) for (const b of voters) {
    if (a.id >= b.id) continue;
    most = Math.max(most, meanOf(topology.latency[linkClass(a, b)]));
  }
  return most;
}

function timeoutWarnings(topology: Topology, voters: readonly ServerSpec[]): PlacementWarning[] {
  const oneWayUs = farthestVotersUs(topology, voters);
  if (oneWayUs <= 0) return [];
  const { tickTimeUs, initLimit, syncLimit } = topology.zk;
  const ms = (us: number): string => `${Number(usToMs(us).toPrecision(3))} ms`;
  const out: PlacementWarning[] = [];
  for (const [name, ticks, what] of [
    ['initLimit', initLimit, 'a leader may never be established (connecting and synchronising a follower takes several round trips plus fsyncs)'],
    ['syncLimit', syncLimit, 'followers may time out in normal operation'],
  ] as const) {
    const limitUs = ticks * tickTimeUs;
    if (limitUs < LIMIT_DELAYS * oneWayUs) {
      out.push({
        kind: 'shortLimits',
        message: `${name}×tickTime = ${ms(limitUs)} is under ${LIMIT_DELAYS} one-way delays between the farthest voters (${ms(oneWayUs)} each): ${what}`,
      });
    }
  }
  return out;
}

export function lintPlacement(topology: Topology): PlacementWarning[] {
  const out: PlacementWarning[] = [];
  // the initial configuration: `member: false` servers join only by a reconfig
  const voters = topology.servers.filter(isInitialVoter);
  const verifier = verifierFor(topology.servers.filter((s) => s.member !== false), topology.quorum);
  const n = voters.length;
  if (topology.quorum === 'majority' && n > 0 && n % 2 === 0) {
    // A majority of n needs ⌊n/2⌋+1, so n tolerates ⌈n/2⌉−1 failures: the same as n−1.
    const f = Math.ceil(n / 2) - 1;
    out.push({
      kind: 'evenVoters',
      message: `${n} voters: tolerates ${plural(f, 'failure')}, as ${n - 1} ${n - 1 === 1 ? 'does' : 'do'}, with more ways to fail (a quorum is ${Math.floor(n / 2) + 1} of ${n})`,
    });
  }
  for (const [host, group] of sharing(voters, (s) => s.host)) {
    out.push({ kind: 'sharedHost', message: `voters ${ids(group)} share host ${host}: one host failure takes down ${group.length} voters at once` });
  }
  // Rack names are per zone in practice; keying by both keeps az1/r1 and az2/r1 apart.
  for (const [, group] of sharing(voters, (s) => `${s.zone}\u0000${s.rack}`)) {
    const first = group[0] as ServerSpec;
    out.push({ kind: 'sharedRack', message: `voters ${ids(group)} share rack ${first.rack} in ${first.zone}: one rack outage takes down ${group.length} voters at once` });
  }
  const zones = [...new Set(voters.map((s) => s.zone))];
  for (const zone of zones) {
    const inside = voters.filter((s) => s.zone === zone);
    const outside = voters.filter((s) => s.zone !== zone);
    if (!verifier.containsQuorum(outside.map((s) => s.id))) {
      const left = outside.length === 0 ? 'no voter' : voterList(outside);
      out.push({
        kind: 'zoneOutage',
        message: `losing zone ${zone} (${voterList(inside)}) leaves ${left}, not a ${topology.quorum} quorum: one zone outage stops writes`,
      });
    }
  }
  if (n > 0 && zones.length < 3) {
    out.push({
      kind: 'fewZones',
      message: `voters in ${plural(zones.length, 'zone')} (${zones.join(', ')}): surviving the loss of any one zone needs voters in at least three`,
    });
  }
  out.push(...timeoutWarnings(topology, voters));
  return out;
}
