import type { PeerState, ServerId } from './ids.js';
import type { Zxid } from './zxid.js';
import type { ClusterConfig } from './reconfig.js';

/**
 * FLE notification (FastLeaderElection.Notification / ToSend). Travels on the election channel,
 * which the network treats as best-effort: delivered after one network delay when the path is
 * up, dropped otherwise (QuorumCnxManager keeps one queued message per peer and re-sends on the
 * next poll timeout, which the peer models by re-broadcasting).
 */
export interface Notification {
  readonly from: ServerId;
  readonly state: PeerState;
  /** proposed leader sid */
  readonly leader: ServerId;
  /** proposed leader's last logged zxid */
  readonly zxid: Zxid;
  /** sender's logicalclock ("round") */
  readonly electionEpoch: number;
  /** proposed leader's currentEpoch */
  readonly peerEpoch: number;
  /**
   * The sender's committed configuration (the notification's config bytes and version,
   * FastLeaderElection.buildMsg with self.getQuorumVerifier()): a LOOKING receiver adopts a newer
   * one and restarts its election. Absent for peers built without reconfiguration (tests).
   */
  readonly config?: ClusterConfig;
}

/** One transaction as it travels in PROPOSAL/INFORM and sync streams. */
export interface Txn {
  readonly zxid: Zxid;
  /** client write id, so a client can recognise its write in any history (0 = internal) */
  readonly writeId: number;
  /** a reconfig txn (OpCode.reconfig: SetDataTxn of /zookeeper/config): the configuration it makes, its version = zxid */
  readonly config?: ClusterConfig;
}

export type SyncMode = 'DIFF' | 'TRUNC' | 'SNAP';

/**
 * Learner protocol packets (Leader.java / Learner.java packet types), carried on a FIFO
 * connection between a learner and its leader. PING is not a message: heartbeats are modelled
 * lazily by the network's watches (ARCHITECTURE.md "Time scales without waste").
 */
export type QuorumPacket =
  | { readonly type: 'FOLLOWERINFO'; readonly sid: ServerId; readonly acceptedEpoch: number; readonly observer: boolean }
  | { readonly type: 'LEADERINFO'; readonly newEpoch: number }
  /** hasSnapshot: false for a server whose disk was lost (it lacks even the initial data tree) */
  | { readonly type: 'ACKEPOCH'; readonly lastZxid: Zxid; readonly currentEpoch: number; readonly hasSnapshot: boolean }
  | {
      readonly type: 'SYNC';
      readonly mode: SyncMode;
      /** TRUNC: truncate the log above this zxid; SNAP: replace the whole history */
      readonly truncZxid: Zxid;
      /** committed txns the learner lacks (DIFF), or the whole committed history (SNAP) */
      readonly committed: readonly Txn[];
      /** proposals outstanding at the leader, sent after the committed ones */
      readonly outstanding: readonly Txn[];
      /** bytes moved, for transfer-time modelling */
      readonly bytes: number;
    }
  /** `config`: the leader's last-seen configuration (LearnerHandler: learnerMaster.getQuorumVerifierBytes()), adopted at UPTODATE */
  | { readonly type: 'NEWLEADER'; readonly epoch: number; readonly config?: ClusterConfig }
  | { readonly type: 'ACK'; readonly zxid: Zxid }
  /**
   * `pingOriginUs` is not in ZooKeeper's packet: it stands in for the PINGs the lazy heartbeat
   * model does not send. The leader pings every learner in the same pass of its lead() loop,
   * every tickTime/2 from the instant it was established (Leader.java `lead`), so all learners'
   * last heartbeats before a silence fall on that one grid.
   */
  | { readonly type: 'UPTODATE'; readonly pingOriginUs: number }
  | { readonly type: 'PROPOSAL'; readonly txn: Txn }
  | { readonly type: 'COMMIT'; readonly zxid: Zxid }
  | { readonly type: 'INFORM'; readonly txn: Txn }
  | { readonly type: 'REQUEST'; readonly writeId: number }
  /**
   * A reconfig committed (Leader.commitAndActivate to followers; informAndActivate, carrying the
   * txn, to observers): activate its configuration and follow `designatedLeader`
   * (Leader.getDesignatedLeader).
   */
  | { readonly type: 'COMMITANDACTIVATE'; readonly zxid: Zxid; readonly designatedLeader: ServerId }
  | { readonly type: 'INFORMANDACTIVATE'; readonly txn: Txn; readonly designatedLeader: ServerId };
