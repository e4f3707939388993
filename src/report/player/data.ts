// report/player/data — what player.html embeds: the run's events, its placement, cut links and a
// sample of the messages it delivered (pure: built in Node by cli/render/player.ts, read in the page).
import type { RunEventJson, RunJson } from '../run-json.js';
import type { TraceRecord } from '../../scenario/trial-types.js';
import type { QuorumPacket, Topology } from '../../model/index.js';
import type { LayoutServer } from './layout.js';
import type { MessageFamily } from './view.js';

/**
 * One delivered message: sent by `from` at `sentMs` (estimated: the sender's last step before the
 * delivery, so never before its true send), delivered to `to` at `atMs` (simulated ms).
 */
export interface PlayerMessage {
  readonly sentMs: number;
  readonly atMs: number;
  readonly from: number;
  readonly to: number;
  readonly label: string;
  readonly family: MessageFamily;
}

/** The directed links a cut fault severs while it lasts (scenario/faults.ts cutLinks). */
export interface PlayerCut {
  readonly faultIndex: number;
  readonly links: readonly (readonly [number, number])[];
  readonly oneWay: boolean;
}

/** How many messages of each family were delivered, and how many the page holds. */
export interface MessageCounts {
  readonly delivered: Readonly<Record<MessageFamily, number>>;
  readonly kept: Readonly<Record<MessageFamily, number>>;
}

/** The `player-data` block of player.html. Times in simulated milliseconds. */
export interface PlayerData {
  readonly title: string;
  readonly subtitle: string;
  readonly durationMs: number;
  readonly servers: readonly LayoutServer[];
  /** `run --json`'s eventLog without the client outcomes (counted in `clientEventsLeftOut`) */
  readonly events: readonly RunEventJson[];
  readonly clientEventsLeftOut: number;
  /** the prose timeline (observe/format.ts), the page's event list */
  readonly timeline: RunJson['timeline'];
  readonly cuts: readonly PlayerCut[];
  /** ascending by sentMs */
  readonly messages: readonly PlayerMessage[];
  readonly messageCounts: MessageCounts;
  /** broadcast transactions kept per second of simulated time (the rest are counted, not drawn) */
  readonly broadcastTxnsPerSecond: number;
}

/**
 * Broadcast transactions (REQUEST/PROPOSAL/ACK/COMMIT of one write) a player keeps per simulated
 * second: a workload of hundreds of writes a second would otherwise put millions of messages in
 * the page. Election and learner traffic is always kept whole.
 */
export const PLAYER_TXNS_PER_SECOND = 3;

const CLIENT_EVENTS: ReadonlySet<string> = new Set(['writeIssued', 'writeCommitted', 'writeFailed', 'readServed', 'readFailed']);

/** Packets of the learner protocol's discovery and sync (Learner.registerWithLeader, LearnerHandler.run). */
const LEARNER_PACKETS: ReadonlySet<QuorumPacket['type']> = new Set(['FOLLOWERINFO', 'LEADERINFO', 'ACKEPOCH', 'SYNC', 'NEWLEADER', 'UPTODATE']);

/** Keeps every election and learner message; at most `txnsPerSecond` transactions' REQUEST/PROPOSAL/ACK/COMMIT per simulated second. */
export interface MessageSampler {
  readonly trace: (r: TraceRecord) => void;
  readonly messages: () => { messages: PlayerMessage[]; counts: MessageCounts };
}

function zeroCounts(): Record<MessageFamily, number> {
  return { election: 0, learner: 0, broadcast: 0 };
}

function packetLabel(p: QuorumPacket): string {
  return p.type === 'SYNC' ? p.mode : p.type;
}

/**
 * Which transaction a broadcast packet is about: its zxid (PROPOSAL/INFORM carry a txn, ACK/COMMIT
 * a zxid), or the client write a forwarded REQUEST carries; null for none.
 */
function packetKey(p: QuorumPacket): string | null {
  if ('txn' in p && p.txn) return `z${p.txn.zxid}`;
  if ('zxid' in p) return `z${p.zxid}`;
  if ('writeId' in p) return `w${p.writeId}`;
  return null;
}

/**
 * Collects delivered messages from the trial's trace hook (TrialOptions.trace): FLE notifications
 * (kernel `vote` events), and learner packets (kernel `packet` events; the sender is the far end
 * of the connection, learnt from its `accepted`/`connected` events). Sampled, deterministically:
 * election and learner traffic is rare and kept whole; broadcast traffic (one PROPOSAL, ACK and
 * COMMIT per follower per write) is kept for the first `txnsPerSecond` transactions (zxids, or writes a REQUEST forwards) seen
 * in each simulated second.
 */
export function messageSampler(txnsPerSecond: number): MessageSampler {
  const ends = new Map<number, [number, number]>();
  const kept: PlayerMessage[] = [];
  const delivered = zeroCounts();
  const keptCounts = zeroCounts();
  let second = -1;
  const keysThisSecond = new Set<string>();
  const keep = (m: PlayerMessage): void => {
    kept.push(m);
    keptCounts[m.family]++;
  };
  // each server's last step: a message's send instant is estimated as its sender's last step
  const lastStepUs = new Map<number, number>();
  const trace = (r: TraceRecord): void => {
    if (r.type !== 'sim') return void lastStepUs.set(r.node, r.tUs);
    const e = r.event;
    const at = 'node' in e ? e.node : 'to' in e ? e.to : null;
    const sentMs = (from: number): number => (lastStepUs.get(from) ?? r.tUs) / 1000;
    if (at !== null) lastStepUs.set(at, r.tUs);
    if (e.kind === 'accepted' || e.kind === 'connected') ends.set(e.connId, [e.to, e.peer]);
    else if (e.kind === 'vote') {
      if (e.msg.from === e.to) return;
      delivered.election++;
      keep({ sentMs: sentMs(e.msg.from), atMs: r.tUs / 1000, from: e.msg.from, to: e.to, label: `vote ${e.msg.leader}`, family: 'election' });
    } else if (e.kind === 'packet') {
      const pair = ends.get(e.connId);
      const from = pair === undefined ? null : pair[0] === e.to ? pair[1] : pair[0];
      const family: MessageFamily = LEARNER_PACKETS.has(e.packet.type) ? 'learner' : 'broadcast';
      delivered[family]++;
      if (from === null) return;
      const m = { sentMs: sentMs(from), atMs: r.tUs / 1000, from, to: e.to, label: packetLabel(e.packet), family };
      if (family === 'learner') return keep(m);
      const s = Math.floor(r.tUs / 1e6);
      if (s !== second) {
        second = s;
        keysThisSecond.clear();
      }
      const key = packetKey(e.packet);
      if (key === null) return keep(m);
      if (keysThisSecond.has(key) || keysThisSecond.size < txnsPerSecond) {
        keysThisSecond.add(key);
        keep(m);
      }
    }
  };
  const bySent = (): PlayerMessage[] => [...kept].sort((a, b) => a.sentMs - b.sentMs || a.atMs - b.atMs);
  return { trace, messages: () => ({ messages: bySent(), counts: { delivered: { ...delivered }, kept: { ...keptCounts } } }) };
}

export interface PlayerInput {
  readonly doc: RunJson;
  readonly topology: Topology;
  readonly cuts: readonly PlayerCut[];
  readonly sampled: ReturnType<MessageSampler['messages']>;
  readonly txnsPerSecond: number;
  readonly subtitle: string;
}

/** Where an event names no placed server: drawn apart rather than left out. */
const UNPLACED = 'not in the topology';

/**
 * Every server the run shows: the topology's (pass it with the servers its reconfig faults add,
 * scenario/reconfig-kind.ts withReconfigServers), then any other server an event names, in a zone
 * of its own, so no server that acted is ever missing from the picture.
 */
export function playerServers(topology: Topology, events: readonly RunEventJson[]): LayoutServer[] {
  const out: LayoutServer[] = topology.servers.map((s) => ({ id: s.id, zone: s.zone, region: s.region, voter: s.role !== 'observer', member: s.member !== false }));
  const known = new Set(out.map((s) => s.id));
  for (const e of events) {
    const ids = [...('server' in e && typeof e.server === 'number' ? [e.server] : []), ...('servers' in e && Array.isArray(e.servers) ? e.servers : [])];
    for (const id of ids) {
      if (known.has(id)) continue;
      known.add(id);
      out.push({ id, zone: UNPLACED, region: UNPLACED, voter: true, member: false });
    }
  }
  return out;
}

/** The page's data from a run document, its topology and what the sampler kept. */
export function playerData(input: PlayerInput): PlayerData {
  const { doc, topology } = input;
  const events = doc.eventLog.filter((e) => !CLIENT_EVENTS.has(e.type));
  return {
    title: `zksim run of ${doc.topology}`,
    subtitle: input.subtitle,
    durationMs: doc.durationMs,
    servers: playerServers(topology, doc.eventLog),
    events,
    clientEventsLeftOut: doc.eventLog.length - events.length,
    timeline: doc.timeline,
    cuts: input.cuts,
    messages: input.sampled.messages,
    messageCounts: input.sampled.counts,
    broadcastTxnsPerSecond: input.txnsPerSecond,
  };
}
