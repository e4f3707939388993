/**
 * Dynamic reconfiguration as ZooKeeper 3.8.6 runs it (quorum/QuorumPeer.java, Leader.java,
 * Learner.java, Follower.java, Observer.java, FastLeaderElection.java, PrepRequestProcessor.java;
 * zookeeperReconfig.md). A peer holds two configurations (`PeerConfigs`): the committed one
 * (getQuorumVerifier) and the last-seen one (getLastSeenQuorumVerifier: a reconfig proposal it
 * logged). While the last-seen one is newer, every quorum the peer counts — proposal ACKs,
 * NEWLEADER ACKs, the leader's synced set, FLE votes — must be a quorum of both
 * (SyncedLearnerTracker.hasAllQuorums over Proposal.qvAcksetPairs).
 */
import { applyChange, votersOf, type ClusterConfig, type Member, type ReconfigChange, type ReconfigRefusal, type ServerId, type Zxid } from '../model/index.js';
import type { DurableState } from './durable.js';
import type { PeerConfig } from './context.js';
import type { QuorumVerifier } from './quorum.js';

/** A server's learner type in a configuration (QuorumPeer.updateLearnerType): voter, observer, or not a member (a non-voting participant). */
export type LearnerType = 'voter' | 'observer' | 'nonVoting';

/** The committed and last-seen configurations of one peer, with their verifiers, kept on its disk. */
export class PeerConfigs {
  committed: ClusterConfig;
  qv: QuorumVerifier;
  /** the last-seen configuration's verifier while it is newer than the committed one, else null */
  next: QuorumVerifier | null = null;
  private lastSeenConfig: ClusterConfig | null = null;

  constructor(
    private readonly config: PeerConfig,
    private readonly durable: DurableState,
  ) {
    const rules = config.reconfig;
    this.committed = durable.config ?? rules?.initial ?? staticConfig(config);
    // The initial configuration's verifier is the one the trial built (the naive rule wraps it); later ones come from the rules.
    this.qv = durable.config === null || rules === undefined ? config.verifier : rules.verifierOf(this.committed.members);
    if (durable.lastSeen !== null && durable.lastSeen.version > this.committed.version) this.noteLastSeen(durable.lastSeen);
  }

  get enabled(): boolean {
    return this.config.reconfig?.reconfigEnabled === true;
  }

  /** getLastSeenQuorumVerifier: the newest configuration this peer has seen (committed or proposed). */
  get lastSeen(): ClusterConfig {
    return this.lastSeenConfig ?? this.committed;
  }

  /** A reconfig is in progress here: the last-seen configuration is newer than the committed one. */
  get pending(): boolean {
    return this.next !== null;
  }

  /** SyncedLearnerTracker.hasAllQuorums: a quorum of the committed configuration and, while one is pending, of the next. */
  hasAllQuorums(ids: Iterable<ServerId>): boolean {
    if (this.next === null) return this.qv.containsQuorum(ids);
    const list = [...ids];
    return this.qv.containsQuorum(list) && this.next.containsQuorum(list);
  }

  /** getCurrentAndNextConfigVoters: a voter of the committed or the pending configuration. */
  isVoterInAny(id: ServerId): boolean {
    return this.qv.isVoter(id) || (this.next?.isVoter(id) ?? false);
  }

  learnerType(id: ServerId): LearnerType {
    return learnerTypeIn(this.committed.members, id);
  }

  /**
   * setLastSeenQuorumVerifier(qv, true): a logged reconfig proposal, or a NEWLEADER's config. Set
   * even when older than the one held (3.8 logs "stale config" and sets it: a new leader that
   * never logged a reconfig drops it this way); nothing when reconfig is disabled.
   */
  setLastSeen(config: ClusterConfig): void {
    if (!this.enabled || config.version === this.lastSeen.version) return;
    if (config.version > this.committed.version) this.noteLastSeen(config);
    else {
      this.lastSeenConfig = null;
      this.next = null;
    }
    this.durable.lastSeen = this.lastSeenConfig;
  }

  /**
   * setQuorumVerifier(qv, true): make `config` the committed one (written to the dynamic file);
   * returns the previous committed configuration, or null when `config` is not newer.
   */
  setCommitted(config: ClusterConfig): ClusterConfig | null {
    if (config.version <= this.committed.version) return null;
    const prev = this.committed;
    this.committed = config;
    this.qv = this.verifierOf(config.members);
    this.durable.config = config;
    if (this.lastSeenConfig !== null && this.lastSeenConfig.version <= config.version) {
      this.lastSeenConfig = null;
      this.next = null;
      this.durable.lastSeen = null;
    }
    return prev;
  }

  private noteLastSeen(config: ClusterConfig): void {
    this.lastSeenConfig = config;
    this.next = this.verifierOf(config.members);
  }

  private verifierOf(members: readonly Member[]): QuorumVerifier {
    return this.config.reconfig?.verifierOf(members) ?? this.config.verifier;
  }
}

/** A peer built without reconfiguration rules (unit tests): its verifier's voters, and itself as an observer when it does not vote. */
function staticConfig(config: PeerConfig): ClusterConfig {
  const members: Member[] = config.verifier.voters.map((id) => ({ id, role: 'voter' }));
  if (!config.isVoter) members.push({ id: config.id, role: 'observer' });
  return { members, version: 0 };
}

export function learnerTypeIn(members: readonly Member[], id: ServerId): LearnerType {
  const m = members.find((x) => x.id === id);
  return m === undefined ? 'nonVoting' : m.role;
}

/**
 * PrepRequestProcessor.pRequest2Txn, OpCode.reconfig, in its order: reconfigEnabled
 * (ReconfigDisabledException), one at a time (ReconfigInProgress: last-seen ≠ committed), an
 * incremental change only of a majority quorum system (BadArguments), the new member list
 * (BadArguments: at least 2 voters when standaloneEnabled, else 1), and a connected, synced quorum of the new configuration (NewConfigNoQuorum: Leader.isQuorumSynced —
 * the leader if it votes in the new config, plus synced forwarding followers that do).
 */
export function checkReconfig(
  configs: PeerConfigs,
  peer: PeerConfig,
  change: ReconfigChange,
  syncedFollowers: readonly ServerId[],
): { readonly members: Member[]; readonly refusal: ReconfigRefusal | null } {
  const members = applyChange(configs.lastSeen.members, change);
  const rules = peer.reconfig;
  if (rules === undefined || !rules.reconfigEnabled) return { members, refusal: 'reconfigDisabled' };
  if (configs.pending) return { members, refusal: 'reconfigInProgress' };
  // "Incremental reconfiguration requested but last configuration seen has a non-majority quorum system"
  if (change.kind === 'incremental' && rules.verifierOf(configs.lastSeen.members).kind !== 'majority') return { members, refusal: 'badArguments' };
  const voters = votersOf({ members });
  if (voters.length < (rules.standaloneEnabled ? 2 : 1)) return { members, refusal: 'badArguments' };
  const qv = rules.verifierOf(members);
  const synced = syncedFollowers.filter((id) => qv.isVoter(id));
  if (qv.isVoter(peer.id)) synced.push(peer.id);
  return { members, refusal: qv.containsQuorum(synced) ? null : 'newConfigNoQuorum' };
}

/** One outstanding proposal as getDesignatedLeader reads it: who ACKed it, and the configurations it needs a quorum of (qvAcksetPairs, committed first). */
export interface AckedProposal {
  readonly zxid: Zxid;
  readonly acks: ReadonlySet<ServerId>;
  readonly verifiers: readonly QuorumVerifier[];
}

/**
 * Leader.getDesignatedLeader: the leader itself when it votes in the new configuration; else,
 * among the new configuration's voters that ACKed the reconfig, the one that ACKed the most of
 * the proposals after it, in order (fewest ops dropped). Java's HashSet<Long> iterates small ids
 * in ascending order, so "the first candidate" is the lowest id.
 */
export function designatedLeader(self: ServerId, next: ClusterConfig, reconfigAcks: ReadonlySet<ServerId>, after: readonly AckedProposal[]): ServerId {
  const voters = new Set(votersOf(next));
  if (voters.has(self)) return self;
  let candidates = [...reconfigAcks].filter((id) => voters.has(id) && id !== self).sort((a, b) => a - b);
  let current = candidates[0] ?? self;
  for (const p of after) {
    // each qvAckset pair holds only the ACKs of its own configuration's voters (SyncedLearnerTracker.addAck)
    for (const qv of p.verifiers) {
      candidates = candidates.filter((id) => p.acks.has(id) && qv.isVoter(id));
      if (candidates.length === 0) return current;
      current = candidates[0] as ServerId;
      if (candidates.length === 1) return current;
    }
  }
  return current;
}
