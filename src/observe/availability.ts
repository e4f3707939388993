import type { FailureSource, ServerId } from '../model/index.js';
import type { Network } from '../net/index.js';
import type { Peer, QuorumVerifier } from '../zk/index.js';

/** Why the ensemble cannot take a write right now (ARCHITECTURE.md "What available means"). */
export type DowntimeCause = 'quorumLost' | 'partitioned' | 'leaderIsolated' | 'electing' | 'syncing';

export const DOWNTIME_CAUSES: readonly DowntimeCause[] = ['quorumLost', 'partitioned', 'leaderIsolated', 'electing', 'syncing'];

export interface ClusterStatus {
  readonly writeAvailable: boolean;
  readonly quorumAvailable: boolean;
  /** null while write-available */
  readonly cause: DowntimeCause | null;
  /** the write-available leader, if any */
  readonly leader: ServerId | null;
}

/**
 * Reads the whole ensemble at one instant. Write-available: an established leader whose synced,
 * reachable (both ways) voters plus itself form a quorum. Quorum-available: some quorum of
 * voter processes is up and pairwise reachable, whatever the protocol is doing.
 */
export function clusterStatus(peers: ReadonlyMap<ServerId, Peer | null>, net: Network, verifier: QuorumVerifier): ClusterStatus {
  let writeLeader: ServerId | null = null;
  let staleLeader = false;
  for (const p of peers.values()) {
    if (!p || !p.isEstablishedLeader) continue;
    const synced = [p.id];
    for (const f of peers.values()) {
      if (!f || f === p || f.state !== 'FOLLOWING' || f.leader !== p.id || f.phase !== 'BROADCAST') continue;
      if (net.pathUp(p.id, f.id) && net.pathUp(f.id, p.id)) synced.push(f.id);
    }
    if (verifier.containsQuorum(synced)) writeLeader = p.id;
    else staleLeader = true;
  }
  const quorumAvailable = hasConnectedQuorum(peers, net, verifier);
  if (writeLeader !== null) return { writeAvailable: true, quorumAvailable, cause: null, leader: writeLeader };
  return { writeAvailable: false, quorumAvailable, cause: causeOf(peers, net, verifier, quorumAvailable, staleLeader), leader: null };
}

function causeOf(
  peers: ReadonlyMap<ServerId, Peer | null>,
  net: Network,
  verifier: QuorumVerifier,
  quorumAvailable: boolean,
  staleLeader: boolean,
): DowntimeCause {
  if (!quorumAvailable) {
    const up = verifier.voters.filter((id) => peers.get(id) != null && net.processUp(id));
    return verifier.containsQuorum(up) ? 'partitioned' : 'quorumLost';
  }
  if (staleLeader) return 'leaderIsolated';
  let syncing = false;
  for (const p of peers.values()) {
    if (!p || !verifier.isVoter(p.id)) continue;
    // A follower still in BROADCAST under a leader that is gone has not noticed yet.
    if (p.state === 'FOLLOWING' && p.phase === 'BROADCAST') return 'leaderIsolated';
    if (p.state === 'LEADING' && !p.isEstablishedLeader) syncing = true;
  }
  return syncing ? 'syncing' : 'electing';
}

/** Is there a set of live voters, pairwise reachable both ways, that is a quorum? */
function hasConnectedQuorum(peers: ReadonlyMap<ServerId, Peer | null>, net: Network, verifier: QuorumVerifier): boolean {
  const live = verifier.voters.filter((id) => peers.get(id) != null && net.processUp(id));
  if (!verifier.containsQuorum(live)) return false;
  // Grow cliques greedily from each member, then fall back to exhaustive search for small n.
  const n = live.length;
  if (n > 16) return greedyClique(live, net, verifier);
  for (let mask = (1 << n) - 1; mask > 0; mask--) {
    const members: ServerId[] = [];
    for (let i = 0; i < n; i++) if (mask & (1 << i)) members.push(live[i] as ServerId);
    if (verifier.containsQuorum(members) && isClique(members, net)) return true;
  }
  return false;
}

function isClique(members: readonly ServerId[], net: Network): boolean {
  for (const a of members) for (const b of members) if (a !== b && !net.pathUp(a, b)) return false;
  return true;
}

function greedyClique(live: readonly ServerId[], net: Network, verifier: QuorumVerifier): boolean {
  for (const seed of live) {
    const clique = [seed];
    for (const c of live) if (c !== seed && clique.every((m) => net.pathUp(m, c) && net.pathUp(c, m))) clique.push(c);
    if (verifier.containsQuorum(clique)) return true;
  }
  return false;
}

/** Integrates write downtime by cause over virtual time; counts outage episodes. */
export class DowntimeMeter {
  readonly byCauseUs: Record<DowntimeCause, number> = { quorumLost: 0, partitioned: 0, leaderIsolated: 0, electing: 0, syncing: 0 };
  quorumDownUs = 0;
  episodes = 0;
  firstQuorumLossUs: number | null = null;
  /** where accounting starts: 0, or the first write-available instant when the cold start is excluded */
  windowStartUs = 0;
  private sinceUs = 0;
  private status: ClusterStatus | null = null;

  /**
   * @param excludeColdStart start the window at the first write-available instant, so the
   *   initial election of a freshly started ensemble is not counted as downtime
   */
  constructor(private readonly excludeColdStart = false) {}

  /** Account the time since the last update to the previous status, then adopt the new one. */
  update(nowUs: number, status: ClusterStatus): void {
    if (this.excludeColdStart && this.status === null) {
      if (!status.writeAvailable) return;
      this.windowStartUs = nowUs;
      this.sinceUs = nowUs;
    }
    this.accrue(nowUs);
    if (status.writeAvailable === false && (this.status === null || this.status.writeAvailable)) this.episodes++;
    if (!status.quorumAvailable && this.firstQuorumLossUs === null) this.firstQuorumLossUs = nowUs;
    this.status = status;
  }

  /**
   * A fault was applied at `nowUs`: `source` is the failure process that produced it and
   * `voters` the voters it touches (empty: it cannot cost a quorum, e.g. an observer restart).
   * Downtime attribution by process reads these. TODO(attribution): implement.
   */
  faultStarted(nowUs: number, index: number, source: FailureSource, voters: readonly ServerId[]): void {
    void nowUs;
    void index;
    void source;
    void voters;
  }

  /** Fault `index` was repaired at `nowUs`. */
  faultEnded(nowUs: number, index: number): void {
    void nowUs;
    void index;
  }

  finish(endUs: number): void {
    this.accrue(endUs);
  }

  get current(): ClusterStatus | null {
    return this.status;
  }

  get writeDownUs(): number {
    let total = 0;
    for (const c of DOWNTIME_CAUSES) total += this.byCauseUs[c];
    return total;
  }

  private accrue(nowUs: number): void {
    const dt = nowUs - this.sinceUs;
    this.sinceUs = nowUs;
    if (dt <= 0 || !this.status) return;
    if (this.status.cause) this.byCauseUs[this.status.cause] += dt;
    if (!this.status.quorumAvailable) this.quorumDownUs += dt;
  }
}
