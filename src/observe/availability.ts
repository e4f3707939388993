import { FAILURE_SOURCES, type FailureSource, type ServerId, type WriteDowntimeCause } from '../model/index.js';
import type { Network } from '../net/index.js';
import type { Peer, QuorumVerifier } from '../zk/index.js';
import { CycleLedger, type CycleDowntime } from './cycles.js';

/** Why the ensemble cannot take a write right now (ARCHITECTURE.md "What available means"). */
export type DowntimeCause = WriteDowntimeCause;
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
const NONE: ReadonlySet<ServerId> = new Set();

/** A voter's process runs (or is starting, its host up): it counts for the quorum. */
function isUp(peers: ReadonlyMap<ServerId, Peer | null>, net: Network, starting: ReadonlySet<ServerId>, id: ServerId): boolean {
  return (peers.get(id) != null && net.processUp(id)) || (starting.has(id) && net.hostIsUp(id));
}

/**
 * `starting`: voters whose process is starting (jvmStart, loadDataBase, startLeaderElection:
 * scenario/process-timing.ts). They are up for the quorum — a process runs on a live host — though
 * they cannot vote yet: the time they take is the protocol's cost, charged as electing, like an
 * election's (a cold start is not a quorum loss, a loss ends when its last repair restarts a process).
 */
export function clusterStatus(peers: ReadonlyMap<ServerId, Peer | null>, net: Network, verifier: QuorumVerifier, starting: ReadonlySet<ServerId> = NONE): ClusterStatus {
  let writeLeader: ServerId | null = null;
  let staleLeader = false;
  for (const p of peers.values()) {
    if (!p || !p.isEstablishedLeader) continue;
    const synced = [p.id, ...syncedLearners(peers, net, p.id, 'FOLLOWING')];
    if (verifier.containsQuorum(synced)) writeLeader = p.id;
    else staleLeader = true;
  }
  const quorumAvailable = hasConnectedQuorum(peers, net, verifier, starting);
  if (writeLeader !== null) return { writeAvailable: true, quorumAvailable, cause: null, leader: writeLeader };
  return { writeAvailable: false, quorumAvailable, cause: causeOf(peers, net, verifier, quorumAvailable, staleLeader, starting), leader: null };
}

/**
 * The learners synced with `leader` now, in map order: in BROADCAST under it, FOLLOWING
 * (`state`), OBSERVING, or either (`any`), and reaching it both ways — what the leader's `mntr`
 * counts in zk_synced_followers / zk_synced_observers (Leader.getForwardingFollowers, getObservingLearners).
 */
export function syncedLearners(peers: ReadonlyMap<ServerId, Peer | null>, net: Pick<Network, 'pathUp'>, leader: ServerId, state: 'FOLLOWING' | 'OBSERVING' | 'any'): ServerId[] {
  const out: ServerId[] = [];
  for (const f of peers.values()) {
    if (!f || f.id === leader || f.leader !== leader || f.phase !== 'BROADCAST') continue;
    if (state === 'any' ? f.state !== 'FOLLOWING' && f.state !== 'OBSERVING' : f.state !== state) continue;
    if (net.pathUp(leader, f.id) && net.pathUp(f.id, leader)) out.push(f.id);
  }
  return out;
}

function causeOf(
  peers: ReadonlyMap<ServerId, Peer | null>,
  net: Network,
  verifier: QuorumVerifier,
  quorumAvailable: boolean,
  staleLeader: boolean,
  starting: ReadonlySet<ServerId>,
): DowntimeCause {
  if (!quorumAvailable) {
    const up = verifier.voters.filter((id) => isUp(peers, net, starting, id));
    return verifier.containsQuorum(up) ? 'partitioned' : 'quorumLost';
  }
  let [syncing, unaware] = [false, staleLeader];
  for (const p of peers.values()) {
    if (!p || !verifier.isVoter(p.id)) continue;
    // A follower still in BROADCAST under a leader that is gone has not noticed yet.
    if (p.state === 'FOLLOWING' && p.phase === 'BROADCAST') unaware = true;
    if (p.state === 'LEADING' && !p.isEstablishedLeader) syncing = true;
  }
  // A new leader synchronising is the cause even before the old one steps down (after a reconfig's handover too).
  return syncing ? 'syncing' : unaware ? 'leaderIsolated' : 'electing';
}

/**
 * Is there a set of live voters, pairwise reachable both ways, that is a quorum?
 *
 * A clique search, cheap in the cases that occur: (1) every live voter reaches every other
 * (no cut): yes at once; (2) voters whose mutual neighbourhood (themselves included) holds no
 * quorum can be in no quorum clique, and are dropped until none is left to drop — a zone or
 * pair partition leaves one fully connected side or nothing; (3) otherwise Bron–Kerbosch with
 * pivoting, pruned whenever the chosen members plus the candidates hold no quorum (quorums are
 * monotone: a superset of a quorum is a quorum). O(n²) link reads for n live voters in cases 1
 * and 2 (n ≤ 51, config/limits.ts); case 3 explores only branches that could still succeed.
 */
export function hasConnectedQuorum(peers: ReadonlyMap<ServerId, Peer | null>, net: Network, verifier: QuorumVerifier, starting: ReadonlySet<ServerId> = NONE): boolean {
  const live = verifier.voters.filter((id) => isUp(peers, net, starting, id));
  if (!verifier.containsQuorum(live)) return false;
  const n = live.length;
  // The common case, every live voter reaching every other, without allocating: this runs on
  // every status change of every trial.
  let complete = true;
  for (let i = 0; i < n && complete; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = live[i] as ServerId;
      const b = live[j] as ServerId;
      if (!net.pathUp(a, b) || !net.pathUp(b, a)) {
        complete = false;
        break;
      }
    }
  }
  if (complete) return true;
  // neighbours[i]: indices j ≠ i with the path up both ways
  const neighbours: Set<number>[] = live.map(() => new Set<number>());
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = live[i] as ServerId;
      const b = live[j] as ServerId;
      if (net.pathUp(a, b) && net.pathUp(b, a)) {
        neighbours[i]!.add(j);
        neighbours[j]!.add(i);
      }
    }
  }
  return quorumClique(live, neighbours, verifier);
}

/** Exported for tests: a quorum clique of the graph (indices into `ids`, `neighbours` symmetric)? */
export function quorumClique(ids: readonly ServerId[], neighbours: readonly ReadonlySet<number>[], verifier: Pick<QuorumVerifier, 'containsQuorum'>): boolean {
  const idsOf = (xs: Iterable<number>): ServerId[] => [...xs].map((i) => ids[i] as ServerId);
  // (2) peel off members that cannot belong to a quorum clique
  const alive = new Set<number>(ids.keys());
  for (let changed = true; changed; ) {
    changed = false;
    for (const i of alive) {
      const closed = [i, ...[...neighbours[i]!].filter((j) => alive.has(j))];
      if (!verifier.containsQuorum(idsOf(closed))) {
        alive.delete(i);
        changed = true;
      }
    }
  }
  if (!verifier.containsQuorum(idsOf(alive))) return false;
  // (3) Bron–Kerbosch with pivot, existence only (no X set needed), pruned by quorum monotonicity
  const search = (chosen: number[], candidates: Set<number>): boolean => {
    if (!verifier.containsQuorum(idsOf([...chosen, ...candidates]))) return false;
    if (candidates.size === 0) return true; // chosen ∪ ∅ holds a quorum, and chosen is a clique
    let pivot = -1;
    let best = -1;
    for (const u of candidates) {
      let degree = 0;
      for (const v of candidates) if (neighbours[u]!.has(v)) degree++;
      if (degree > best) {
        best = degree;
        pivot = u;
      }
    }
    for (const v of [...candidates]) {
      if (neighbours[pivot]!.has(v)) continue;
      const next = new Set<number>();
      for (const w of candidates) if (neighbours[v]!.has(w)) next.add(w);
      if (search([...chosen, v], next)) return true;
      candidates.delete(v);
    }
    return false;
  };
  return search([], alive);
}

/**
 * Which failure process a stretch of downtime is charged to: one of the model's FAILURE_SOURCES,
 * or `startup`, the initial election of a freshly started ensemble (a trial starts with every
 * server up and no leader).
 */
export type DowntimeProcess = FailureSource | 'startup';

/** Every attribution bucket, in the fixed order of tables, JSON and charts. */
export const DOWNTIME_PROCESSES: readonly DowntimeProcess[] = ['startup', ...FAILURE_SOURCES];

/** A record with a zero for every attribution bucket. */
export function zeroByProcess(): Record<DowntimeProcess, number> {
  const r = {} as Record<DowntimeProcess, number>;
  for (const p of DOWNTIME_PROCESSES) r[p] = 0;
  return r;
}

/**
 * Integrates downtime over virtual time (integer µs) from t = 0, split two ways, and counts
 * episodes.
 *
 * By symptom (`byCauseUs`): the `DowntimeCause` of the status in force. By failure process
 * (`byProcessUs` for write downtime, `quorumByProcessUs` for quorum downtime), the rule is:
 * each downtime instant is charged to the process of the EARLIEST-STARTED fault still active
 * that touches at least one voter; when none is active, to the process of the most recently
 * repaired such fault (the aftermath of a repair, e.g. the election after a partition heals or a
 * restarted voter syncing); before any such fault, to `startup` (the initial election). Faults
 * that touch no voter (an observer restart) are never charged. Every µs of downtime goes to
 * exactly one cause and exactly one process, so each split adds up exactly to the total.
 *
 * An episode (write outage: a maximal interval without a write-available leader; quorum loss: a
 * maximal interval without a connected quorum of voters) is charged to the process in force at
 * its first instant. The initial election is a write outage episode charged to `startup`, unless
 * a fault is charged downtime before it ends (the ensemble never got its first leader): then the
 * episode is that fault's.
 * Episodes still open when the trial ends are closed at its end (their duration is cut there).
 *
 * Given regenerative cycle starts (failure biasing, observe/cycles.ts), the meter also splits all
 * of the above by cycle (`cycles`): each episode, its downtime (by cause and by process) and its
 * duration go to the cycle in which the episode started, so the per-cycle figures add up exactly
 * to the totals and each cycle's likelihood ratio weighs exactly the downtime its excursion caused.
 */
export class DowntimeMeter {
  readonly byCauseUs: Record<DowntimeCause, number> = { quorumLost: 0, partitioned: 0, leaderIsolated: 0, electing: 0, syncing: 0 };
  /** write downtime by failure process (µs); adds up to `writeDownUs` */
  readonly byProcessUs: Record<DowntimeProcess, number> = zeroByProcess();
  /** quorum downtime by failure process (µs); adds up to `quorumDownUs` */
  readonly quorumByProcessUs: Record<DowntimeProcess, number> = zeroByProcess();
  quorumDownUs = 0;
  /** write outage episodes (the initial election included) */
  episodes = 0;
  readonly episodesByProcess: Record<DowntimeProcess, number> = zeroByProcess();
  /** quorum-loss episodes */
  quorumEpisodes = 0;
  readonly quorumEpisodesByProcess: Record<DowntimeProcess, number> = zeroByProcess();
  /** [start, end) of every quorum-loss episode, µs; `end` is null while it lasts (set by `finish`) */
  readonly quorumLossIntervals: [number, number | null][] = [];
  /** the longest write outage episode (µs), 0 if none */
  longestWriteOutageUs = 0;
  firstQuorumLossUs: number | null = null;
  /** where accounting starts: 0, or the first write-available instant when the cold start is excluded */
  windowStartUs = 0;
  private sinceUs = 0;
  private status: ClusterStatus | null = null;
  private writeDownSinceUs = 0;
  /** faults touching voters, still active: fault index → process, in the order they started */
  private readonly active = new Map<number, FailureSource>();
  private lastEnded: DowntimeProcess = 'startup';
  /** the process the open write (quorum) episode is counted under, null when none is open */
  private writeEpisodeProcess: DowntimeProcess | null = null;
  private quorumEpisodeProcess: DowntimeProcess | null = null;
  /** per-cycle split, null without cycle starts (then nothing below costs more than a null test) */
  readonly cycles: CycleLedger | null;
  /** the cycle sink of the open write (quorum) episode; null when none is open or without cycles */
  private writeCycle: CycleDowntime | null = null;
  private quorumCycle: CycleDowntime | null = null;

  /**
   * @param excludeColdStart start the window at the first write-available instant, so the
   *   initial election of a freshly started ensemble is not counted as downtime (Monte Carlo
   *   trials no longer use this: they count from t = 0, see montecarlo/plan.ts)
   * @param cycleStartsUs regenerative cycle starts (integer µs, ascending, first 0) to
   *   split the totals by; absent: no split
   * @throws RangeError when `cycleStartsUs` is malformed (observe/cycles.ts checkCycleStarts)
   */
  constructor(
    private readonly excludeColdStart = false,
    cycleStartsUs?: readonly number[],
  ) {
    this.cycles = cycleStartsUs === undefined ? null : new CycleLedger(cycleStartsUs);
  }

  /** Account the time since the last update to the previous status, then adopt the new one. */
  update(nowUs: number, status: ClusterStatus): void {
    if (this.excludeColdStart && this.status === null) {
      if (!status.writeAvailable) return;
      this.windowStartUs = nowUs;
      this.sinceUs = nowUs;
    }
    this.accrue(nowUs);
    const prev = this.status;
    const process = this.process();
    const wasWriteUp = prev === null || prev.writeAvailable;
    if (!status.writeAvailable && wasWriteUp) {
      this.episodes++;
      this.episodesByProcess[process]++;
      this.writeEpisodeProcess = process;
      this.writeDownSinceUs = nowUs;
      if (this.cycles !== null) (this.writeCycle = this.cycles.sinkAt(nowUs)).openWriteEpisode(process);
    } else if (status.writeAvailable && !wasWriteUp) {
      this.closeWriteEpisode(nowUs);
    }
    const wasQuorumUp = prev === null || prev.quorumAvailable;
    if (!status.quorumAvailable && wasQuorumUp) {
      this.quorumEpisodes++;
      this.quorumEpisodesByProcess[process]++;
      this.quorumEpisodeProcess = process;
      this.quorumLossIntervals.push([nowUs, null]);
      if (this.firstQuorumLossUs === null) this.firstQuorumLossUs = nowUs;
      if (this.cycles !== null) (this.quorumCycle = this.cycles.sinkAt(nowUs)).openQuorumEpisode(process);
    } else if (status.quorumAvailable && !wasQuorumUp) {
      this.closeQuorumEpisode(nowUs);
    }
    this.status = status;
  }

  /**
   * A fault was applied at `nowUs`: `source` is the failure process that produced it and
   * `voters` the voters it touches (empty: it cannot cost a quorum, e.g. an observer restart,
   * and is never charged downtime). Call before `update` at the same instant.
   */
  faultStarted(nowUs: number, index: number, source: FailureSource, voters: readonly ServerId[]): void {
    if (voters.length === 0) return;
    this.accrue(nowUs);
    this.active.set(index, source);
  }

  /** Fault `index` was repaired at `nowUs` (call before `update` at the same instant). */
  faultEnded(nowUs: number, index: number): void {
    const source = this.active.get(index);
    if (source === undefined) return;
    this.accrue(nowUs);
    this.active.delete(index);
    this.lastEnded = source;
  }

  /** Accounts up to `endUs` and closes the episodes still open there. */
  finish(endUs: number): void {
    this.accrue(endUs);
    if (this.status && !this.status.quorumAvailable) this.closeQuorumEpisode(endUs);
    if (this.status && !this.status.writeAvailable) this.closeWriteEpisode(endUs);
  }

  private closeWriteEpisode(nowUs: number): void {
    const lastedUs = nowUs - this.writeDownSinceUs;
    this.longestWriteOutageUs = Math.max(this.longestWriteOutageUs, lastedUs);
    this.writeEpisodeProcess = null;
    if (this.writeCycle !== null) {
      this.writeCycle.longestWriteOutageUs = Math.max(this.writeCycle.longestWriteOutageUs, lastedUs);
      this.writeCycle = null;
    }
  }

  private closeQuorumEpisode(nowUs: number): void {
    const open = this.quorumLossIntervals[this.quorumLossIntervals.length - 1];
    if (open) {
      open[1] = nowUs;
      this.quorumCycle?.quorumLossDurationsUs.push(nowUs - open[0]);
    }
    this.quorumEpisodeProcess = null;
    this.quorumCycle = null;
  }

  get current(): ClusterStatus | null {
    return this.status;
  }

  get writeDownUs(): number {
    let total = 0;
    for (const c of DOWNTIME_CAUSES) total += this.byCauseUs[c];
    return total;
  }

  /** The process downtime is charged to right now (see the class comment). */
  process(): DowntimeProcess {
    for (const s of this.active.values()) return s;
    return this.lastEnded;
  }

  private accrue(nowUs: number): void {
    const dt = nowUs - this.sinceUs;
    if (this.excludeColdStart && this.status === null) return;
    this.sinceUs = nowUs;
    if (dt <= 0 || !this.status) return;
    const process = this.process();
    if (this.status.cause) {
      this.byCauseUs[this.status.cause] += dt;
      this.byProcessUs[process] += dt;
      this.writeCycle?.addWriteDown(this.status.cause, process, dt);
      // The first election of an ensemble that a fault hits before it ends (a trial that never
      // gets a leader) is that fault's outage, not start-up's (in the episode's cycle too).
      if (this.writeEpisodeProcess === 'startup' && process !== 'startup') {
        rechargeStartup(this.episodesByProcess, process);
        if (this.writeCycle !== null) rechargeStartup(this.writeCycle.episodesByProcess, process);
        this.writeEpisodeProcess = process;
      }
    }
    if (!this.status.quorumAvailable) {
      this.quorumDownUs += dt;
      this.quorumByProcessUs[process] += dt;
      this.quorumCycle?.addQuorumDown(process, dt);
      if (this.quorumEpisodeProcess === 'startup' && process !== 'startup') {
        rechargeStartup(this.quorumEpisodesByProcess, process);
        if (this.quorumCycle !== null) rechargeStartup(this.quorumCycle.quorumEpisodesByProcess, process);
        this.quorumEpisodeProcess = process;
      }
    }
  }
}

/** Moves one episode from `startup` to `to` (the start-up episode turned out to be a fault's). */
function rechargeStartup(episodesByProcess: Record<DowntimeProcess, number>, to: DowntimeProcess): void {
  episodesByProcess.startup--;
  episodesByProcess[to]++;
}
