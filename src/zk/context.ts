import type { ClusterConfig, FailoverStep, Member, PeerEffect, PeerEvent, PeerInput, PeerState, ServerId, TimerName, WorkKind, ZabPhase } from '../model/index.js';
import type { DurableState } from './durable.js';
import type { SyncSettings } from './sync.js';
import type { TxnLog } from './txnlog.js';
import type { QuorumVerifier } from './quorum.js';
import type { UnsafeRules } from './unsafe.js';
import type { PeerConfigs } from './reconfig.js';

/** Static configuration of one peer: zoo.cfg values in microseconds plus its place in the ensemble. */
export interface PeerConfig {
  readonly id: ServerId;
  readonly isVoter: boolean;
  readonly verifier: QuorumVerifier;
  readonly tickTimeUs: number;
  readonly initLimit: number;
  readonly syncLimit: number;
  readonly finalizeWaitUs: number;
  readonly maxNotificationIntervalUs: number;
  readonly observerElectionDelayUs: number;
  readonly cnxTimeoutUs: number;
  /**
   * A learner's deadline for connecting to its leader, in ticks (× tickTimeUs): zoo.cfg
   * connectToLearnerMasterLimit, or initLimit when that is 0, its 3.8 default
   * (Learner.connectToLeader). Already resolved: never 0.
   */
  readonly connectToLearnerMasterLimit: number;
  /** uniform [0,1) draws for the observer re-election jitter; a seeded stream, never an unseeded generator */
  readonly random: () => number;
  readonly sync: SyncSettings;
  /** zookeeper.testingonly.initialZxid: the first zxid counter of a new epoch (tests only; default 1) */
  readonly testingInitialZxidCounter?: number;
  /** deliberately unsafe switches (zk/unsafe.ts) for demonstrations and tests; absent = ZooKeeper's rules */
  readonly unsafe?: UnsafeRules;
  /** dynamic reconfiguration (zk/reconfig.ts); absent: the membership `verifier` gives, fixed, reconfigs refused */
  readonly reconfig?: ReconfigRules;
}

/** What a peer needs to run dynamic reconfiguration (scenario/peer-config.ts builds it from the topology). */
export interface ReconfigRules {
  /** the topology's initial configuration (version 0): a server whose disk holds none starts from it */
  readonly initial: ClusterConfig;
  /** the verifier of a configuration's voters (QuorumPeer.configFromString → QuorumMaj / QuorumHierarchical; the naive rule wraps it) */
  verifierOf(members: readonly Member[]): QuorumVerifier;
  /** zoo.cfg reconfigEnabled (QuorumPeerConfig; processReconfig does nothing when false) */
  readonly reconfigEnabled: boolean;
  /** zoo.cfg standaloneEnabled: a new config needs at least 2 voters when true (PrepRequestProcessor) */
  readonly standaloneEnabled: boolean;
}

/** What the role objects (election, leader, learner) may touch of their peer. */
export interface PeerContext {
  readonly config: PeerConfig;
  readonly durable: DurableState;
  /** the txn log as this process sees it (written entries, fsynced prefix, delivered count) */
  readonly log: TxnLog;
  readonly nowUs: number;
  readonly state: PeerState;
  /** the committed and last-seen configurations (zk/reconfig.ts): every quorum the roles count comes from here */
  readonly configs: PeerConfigs;
  /**
   * QuorumPeer.processReconfig(qv, suggestedLeaderId, zxid): commit `config` (when newer and
   * reconfig is enabled), update the learner type and the vote (to `designated` when given);
   * returns whether the role or the leader changed — the caller then leaves its role, and the
   * peer goes straight to the role its vote says (updateServerState with reconfigFlag set).
   */
  processReconfig(config: ClusterConfig, designated: ServerId | null): boolean;
  emit(effect: PeerEffect): void;
  event(event: PeerEvent): void;
  setTimer(timer: TimerName, afterUs: number): void;
  cancelTimer(timer: TimerName): void;
  setPhase(phase: ZabPhase): void;
  /** leave the current role and run FLE again (QuorumPeer.run loop, updateServerState) */
  lookAgain(): void;
  /** FLE decided: enter the role */
  enterRole(state: Exclude<PeerState, 'LOOKING'>, leader: ServerId): void;
  /** after sync: rewrite the stored vote's peerEpoch (updateElectionVote, ZOOKEEPER-1732) */
  updateElectionVote(peerEpoch: number): void;
  /** ask the disk to fsync the log so far (plus `extraBytes`, e.g. a snapshot); returns the token */
  persist(extraBytes?: number): number;
  /** apply log entries up to (excluding) `count`: delivered events, client replies */
  deliverUpTo(count: number): void;
  /** start CPU work that takes time (model/effects.ts WorkKind); `then` runs when it is done, if the peer is still in the same role */
  startWork(what: WorkKind, then: () => void): void;
  /**
   * Write a file with fsync on the server's disk (an epoch file: QuorumPeer.writeLongToFile →
   * AtomicFileOutputStream; a snapshot: takeSnapshot, `bytes` of data tree). `durable` runs when
   * the write is on disk (while the process lives, whatever its role by then); `then` only if the
   * peer is still in the role that asked.
   */
  persistFile(step: Exclude<FailoverStep, WorkKind>, bytes: number, durable: (() => void) | null, then: () => void): void;
  /**
   * Write the acceptedEpoch or currentEpoch file (QuorumPeer.setAcceptedEpoch/setCurrentEpoch:
   * writeLongToFile, an fsynced atomic replace): the durable value rises to `epoch` when the write
   * completes; `then` as for persistFile.
   */
  writeEpoch(file: 'acceptedEpoch' | 'currentEpoch', epoch: number, then: () => void): void;
  /** the history was cut back or replaced during sync */
  historyCut(keep: number, mode: 'TRUNC' | 'SNAP'): void;
}

/** A role handles the inputs that reach it while the peer is in that role. */
export interface Role {
  handle(input: PeerInput): void;
  /** leaving the role: close connections, cancel timers */
  stop(): void;
}
