/**
 * The fault-kind table's entries for issue 13's kinds (their text is config/fault-kinds.ts
 * GRAY_SYNTAX): a late start, and the gray failures operators get paged for — a stop-the-world
 * pause, a slow or stalled disk, a full disk, a lossy or slow link, a middlebox that drops
 * established connections. Each acts through the `FaultHost` (scenario/fault-injector.ts), which
 * hands it to the trial (pause), the disks (scenario/disk.ts) or the network (net/links.ts).
 * `check` draws them in slots 7–13, after the older kinds' 0–6, so old seeds' kinds keep their
 * slots; their parameters come from the draw's `zone` field (no new draw fields: a seed's other
 * draws stay as they were).
 */
import { FAULT_SYNTAX, type FaultSyntax } from '../config/fault-kinds.js';
import { DEFAULT_ZK_SETTINGS } from '../config/schema.js';
import { US_PER_MS } from '../model/duration.js';
import type { Distribution, FaultOf, NodeFault, ServerId, Topology } from '../model/index.js';
import { RETRIES2_TIMEOUT_US, TCP } from '../net/index.js';
import { drawnNode, drawnSides, type FaultDraw, type FaultHost, type FaultKindEntry } from './fault-host.js';

type Link = readonly [ServerId, ServerId];

function cross(a: readonly ServerId[], b: readonly ServerId[]): Link[] {
  return a.flatMap((x) => b.map((y): Link => [x, y]));
}

function ends(links: readonly Link[]): ServerId[] {
  const ids = new Set<ServerId>();
  for (const [a, b] of links) ids.add(a).add(b);
  return [...ids].sort((a, b) => a - b);
}

/** Voters at both ends of a link (a lossy link between a voter and an observer touches no vote). */
function votersAcross(host: FaultHost, links: readonly Link[]): ServerId[] {
  const ids = new Set<ServerId>();
  for (const [a, b] of links) if (host.isVoter(a) && host.isVoter(b)) ids.add(a).add(b);
  return [...ids].sort((a, b) => a - b);
}

const voterTarget = (host: FaultHost, target: ServerId | null): ServerId[] => (target !== null && host.isVoter(target) ? [target] : []);

/** `check`'s parameters, chosen by the draw's `zone` (0–2): mild, bad, near-outage. */
const DRAWN_FSYNC: readonly (Distribution | 'stall')[] = [
  { dist: 'lognormal', median: 20 * US_PER_MS, sigma: 1.5 },
  { dist: 'constant', value: 200 * US_PER_MS },
  'stall',
];
const DRAWN_LOSS_PERCENT: readonly number[] = [5, 30, 90];
const DRAWN_DELAY_US: readonly number[] = [20 * US_PER_MS, 200 * US_PER_MS, 2000 * US_PER_MS];

function pick<T>(list: readonly T[], k: number): T {
  return list[k % list.length] as T;
}

function nodeKind<K extends 'pause' | 'disk-full'>(kind: K, slot: number): Pick<FaultKindEntry<NodeFault<K>>, 'target' | 'explore' | 'affectedVoters'> {
  return {
    target: (host, f) => host.resolveNode(f.node),
    affectedVoters: (host, _f, target) => voterTarget(host, target),
    explore: { slot, resolve: (t, d) => ({ kind, node: drawnNode(t, d.node), atUs: d.atUs, durationUs: d.durationUs }) as NodeFault<K> },
  };
}

/** A drawn loss's or delay's links (side A to side B) and timing. */
function directed(t: Topology, d: FaultDraw): { from: ServerId[]; to: ServerId[]; atUs: number; durationUs: number } {
  const [from, to] = drawnSides(t, d.sides);
  return { from, to, atUs: d.atUs, durationUs: d.durationUs };
}

const syntax = <K extends keyof typeof FAULT_SYNTAX>(kind: K): FaultSyntax<FaultOf<K>> => FAULT_SYNTAX[kind] as unknown as FaultSyntax<FaultOf<K>>;

/** One entry per issue-13 kind. */
export const GRAY_KIND_ENTRIES = {
  start: {
    ...syntax('start'),
    target: (_host, f) => f.server,
    notRunningAtStart: (f) => f.server,
    apply: (host, f) => {
      host.startLate(f.server);
      return { effect: 'started', servers: [f.server], domain: null };
    },
    // never called for a parsed fault (start takes no +DUR); a start built in code with one has nothing to undo
    repair: (_host, f) => ({ effect: 'restarted', servers: [f.server], domain: null }),
    // the downtime it causes lies before it fires (the meter's `startup`); after it fires it holds nothing
    affectedVoters: () => [],
    explore: {
      slot: 13,
      resolve: (t, d) => ({ kind: 'start', server: (t.servers[d.node % t.servers.length] as Topology['servers'][number]).id, atUs: d.atUs, durationUs: null }),
    },
  },
  pause: {
    ...syntax('pause'),
    ...nodeKind('pause', 7),
    apply: (host, _f, target) => {
      host.pauseProcess(target as ServerId);
      return { effect: 'paused', servers: [target as ServerId], domain: null };
    },
    repair: (host, _f, target) => {
      host.resumeProcess(target as ServerId);
      return { effect: 'resumed', servers: [target as ServerId], domain: null };
    },
    // A resumed process handles what reached it in order, in the role it had: a LOOKING peer's
    // notification answered while still FOLLOWING (FastLeaderElection.WorkerReceiver) is not in
    // its next election's votes, and a peer whose vote already wins re-sends it only when its own
    // poll times out: up to maxNotificationInterval (60 s by default) after the pause.
    lingerUs: () => DEFAULT_ZK_SETTINGS.maxNotificationIntervalUs,
  },
  'slow-disk': {
    ...syntax('slow-disk'),
    target: (host, f) => host.resolveNode(f.node),
    apply: (host, f, target) => {
      host.slowDisk(target as ServerId, f.fsync);
      return { effect: f.fsync === 'stall' ? 'disk stalled' : 'disk slow', servers: [target as ServerId], domain: null };
    },
    repair: (host, f, target) => {
      host.clearSlowDisk(target as ServerId, f.fsync);
      return { effect: 'disk recovered', servers: [target as ServerId], domain: null };
    },
    affectedVoters: (host, _f, target) => voterTarget(host, target),
    explore: {
      slot: 8,
      resolve: (t, d) => ({ kind: 'slow-disk', node: drawnNode(t, d.node), fsync: pick(DRAWN_FSYNC, d.zone), atUs: d.atUs, durationUs: d.durationUs }),
    },
  },
  'disk-full': {
    ...syntax('disk-full'),
    ...nodeKind('disk-full', 9),
    apply: (host, _f, target) => {
      host.fillDisk(target as ServerId);
      return { effect: 'disk full', servers: [target as ServerId], domain: null };
    },
    repair: (host, _f, target) => {
      host.freeDisk(target as ServerId);
      return { effect: 'disk recovered', servers: [target as ServerId], domain: null };
    },
  },
  loss: {
    ...syntax('loss'),
    apply: (host, f) => {
      const links = cross(f.from, f.to);
      host.addLoss(links, f.percent / 100);
      return { effect: 'lossy link', servers: ends(links), domain: null };
    },
    repair: (host, f) => {
      const links = cross(f.from, f.to);
      host.removeLoss(links, f.percent / 100);
      return { effect: 'healed', servers: ends(links), domain: null };
    },
    affectedVoters: (host, f) => votersAcross(host, cross(f.from, f.to)),
    // after the heal, a segment in back-off goes out at its next retransmission: at most RTO_MAX later
    lingerUs: () => TCP.rtoMaxUs,
    explore: { slot: 10, resolve: (t, d) => ({ kind: 'loss', ...directed(t, d), percent: pick(DRAWN_LOSS_PERCENT, d.zone) }) },
  },
  delay: {
    ...syntax('delay'),
    apply: (host, f) => {
      const links = cross(f.from, f.to);
      host.addDelay(links, f.extraUs);
      return { effect: 'delayed link', servers: ends(links), domain: null };
    },
    repair: (host, f) => {
      const links = cross(f.from, f.to);
      host.removeDelay(links, f.extraUs);
      return { effect: 'healed', servers: ends(links), domain: null };
    },
    affectedVoters: (host, f) => votersAcross(host, cross(f.from, f.to)),
    explore: { slot: 11, resolve: (t, d) => ({ kind: 'delay', ...directed(t, d), extraUs: pick(DRAWN_DELAY_US, d.zone) }) },
  },
  blackhole: {
    ...syntax('blackhole'),
    apply: (host, f) => {
      const pairs = cross(f.groups[0], f.groups[1]);
      host.blackhole(pairs);
      return { effect: 'connections dropped', servers: ends(pairs), domain: null };
    },
    // never called for a parsed fault (blackhole takes no +DUR): new connections already work
    repair: (_host, f) => ({ effect: 'healed', servers: ends(cross(f.groups[0], f.groups[1])), domain: null }),
    // the voters whose connections it dropped: the re-election or resync that follows is its doing
    affectedVoters: (host, f) => votersAcross(host, cross(f.groups[0], f.groups[1])),
    // An end that writes into a dropped connection learns only when tcp_retries2 runs out (~924.6 s,
    // net/tcp.ts) after its first unacknowledged write, and QuorumCnxManager's RecvWorker has no
    // read timeout, so the election waits for it. That first write may come one FLE back-off after
    // the drop (a LOOKING server re-sends at most every maxNotificationInterval), and after the
    // error the next vote goes out at the next re-send: two back-offs on top (deliberately
    // generous: liveness asks whether the ensemble comes back, not how fast).
    lingerUs: () => RETRIES2_TIMEOUT_US + 2 * DEFAULT_ZK_SETTINGS.maxNotificationIntervalUs,
    explore: { slot: 12, resolve: (t, d) => ({ kind: 'blackhole', groups: drawnSides(t, d.sides), atUs: d.atUs, durationUs: null }) },
  },
} as const satisfies { readonly [K in 'start' | 'pause' | 'slow-disk' | 'disk-full' | 'loss' | 'delay' | 'blackhole']: FaultKindEntry<FaultOf<K>> };
