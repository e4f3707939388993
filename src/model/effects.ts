import type { PeerState, ServerId, ZabPhase } from './ids.js';
import type { Notification, QuorumPacket, SyncMode } from './messages.js';
import type { ProcessStep } from './events.js';
import type { Zxid } from './zxid.js';
import type { Member, ReconfigChange, ReconfigRefusal } from './reconfig.js';

/** Named per-peer timers; setting a timer replaces a pending one with the same name. */
export type TimerName = string;

/**
 * What a peer is handed. `connId`s are allocated by the network; `tag`s by the peer, to match
 * a `connect` effect with its outcome.
 */
export type PeerInput =
  | { readonly kind: 'start' }
  | { readonly kind: 'vote'; readonly msg: Notification }
  | { readonly kind: 'timer'; readonly timer: TimerName }
  | { readonly kind: 'connected'; readonly tag: number; readonly connId: number; readonly peer: ServerId }
  | { readonly kind: 'connectFailed'; readonly tag: number; readonly peer: ServerId }
  | { readonly kind: 'accepted'; readonly connId: number; readonly peer: ServerId }
  | { readonly kind: 'packet'; readonly connId: number; readonly from: ServerId; readonly packet: QuorumPacket }
  /** reset: the far end closed or died (we heard it); timeout: a watch saw the far end go silent */
  | { readonly kind: 'connClosed'; readonly connId: number; readonly reason: 'reset' | 'timeout' }
  | { readonly kind: 'clientWrite'; readonly writeId: number }
  /** the disk finished the fsync asked for by `persist` with this token */
  | { readonly kind: 'persisted'; readonly token: number }
  /** the process finished the `work` asked for with this token */
  | { readonly kind: 'workDone'; readonly token: number }
  /** the disk failed the write asked for with this token (ENOSPC, EIO: scenario/disk.ts "Disk full") */
  | { readonly kind: 'diskError'; readonly token: number }
  /** a client's `reconfig` reaches this server (the leader, zk/reconfig.ts; anyone else refuses it) */
  | { readonly kind: 'reconfig'; readonly change: ReconfigChange };

/**
 * What a `persist` writes, for its cost on the disk (scenario/disk.ts): the txn log (fsync), an
 * epoch file (atomic small-file replace with fsync), a snapshot (serialised, no fsync).
 */
export type DiskWrite = 'txnLog' | 'epochFile' | 'snapshot';

/**
 * Work a process does on the failover path that takes time of its own (issue 13, zab-facts §12),
 * answered by `workDone` after a draw from the topology's ProcessSettings:
 * - `roleShutdown`: QuorumPeer.run()'s finally — Follower/Leader.shutdown (request processors and
 *   their threads) — before the peer goes LOOKING again;
 * - `fleStart`: lookForLeader's prologue (LeaderElectionBean JMX registration) between the peer
 *   turning LOOKING — from then on notifications queue for it — and its first notifications;
 * - `leaderSetup`: makeLeader after FLE decided (LeaderZooKeeperServer, the Leader constructor
 *   that binds the quorum port); `learnerSetup`: makeFollower/makeObserver up to the connect.
 * Disk work (epoch files, snapshots) goes through `persist` instead, on the server's disk.
 */
export type WorkKind = 'roleShutdown' | 'fleStart' | 'leaderSetup' | 'learnerSetup';

/**
 * What a peer asks of the world. The peer never performs I/O itself (etcd-raft shape).
 */
export type PeerEffect =
  | { readonly kind: 'vote'; readonly to: ServerId; readonly msg: Notification }
  | { readonly kind: 'setTimer'; readonly timer: TimerName; readonly afterUs: number }
  | { readonly kind: 'cancelTimer'; readonly timer: TimerName }
  | { readonly kind: 'connect'; readonly tag: number; readonly to: ServerId; readonly timeoutUs: number }
  | { readonly kind: 'send'; readonly connId: number; readonly packet: QuorumPacket }
  | { readonly kind: 'close'; readonly connId: number }
  /**
   * Lazy heartbeat failure detector on a connection. `beats`: the far end sends a packet every
   * periodUs (leader PINGs every tickTime/2); `echo`: the far end only answers our own beats
   * (a follower answering PINGs), so a cut in either direction silences it. The network fires
   * connClosed(timeout) exactly when real heartbeats would have: last beat before the silence,
   * plus timeoutUs. Replaces any earlier watch by this peer on this connection.
   */
  /**
   * Watch a connection's liveness lazily: heartbeats every `periodUs` on the grid that started at
   * `originUs` (default: now); fire when the far end has been silent for `timeoutUs` since the
   * last beat that got through.
   */
  | { readonly kind: 'watch'; readonly connId: number; readonly timeoutUs: number; readonly periodUs: number; readonly mode: 'beats' | 'echo'; readonly originUs?: number }
  | { readonly kind: 'unwatch'; readonly connId: number }
  | { readonly kind: 'reply'; readonly writeId: number; readonly ok: boolean; readonly zxid: Zxid }
  /**
   * fsync what was written so far (plus `bytes` more, e.g. a snapshot); the world answers with
   * `persisted(token)` after the disk's latency, in request order. Until then a host crash or a
   * process kill loses it.
   */
  | { readonly kind: 'persist'; readonly token: number; readonly bytes: number; readonly write?: DiskWrite }
  /** CPU work that takes time (WorkKind); the world answers `workDone(token)` */
  | { readonly kind: 'work'; readonly token: number; readonly what: WorkKind }
  /**
   * The process exits on its own (System.exit): ZooKeeperServer.takeSnapshot's IOException →
   * ServiceUtils.requestSystemExit(ExitCode.TXNLOG_ERROR_TAKING_SNAPSHOT = 10) on a full disk
   */
  | { readonly kind: 'exit'; readonly code: number }
  | { readonly kind: 'event'; readonly event: PeerEvent };

/** Observable facts a peer reports, for the timeline, trace and checkers. */
export type PeerEvent =
  | { readonly type: 'state'; readonly state: PeerState; readonly phase: ZabPhase }
  | { readonly type: 'electionStarted'; readonly round: number }
  /** FLE poll timed out with no notification: votes re-sent, the next wait doubled (capped) */
  | { readonly type: 'notificationTimeout'; readonly round: number; readonly nextWaitUs: number }
  /** `state`: the role taken (a non-member follows as a non-voting FOLLOWING; absent: LEADING if the leader is itself, else by voter-ness) */
  | {
      readonly type: 'decided';
      readonly leader: ServerId;
      readonly round: number;
      readonly viaFinalizeWait: boolean;
      readonly state?: Exclude<PeerState, 'LOOKING'>;
      /** the role a committed reconfig designated, taken without an election (zk/peer.ts updateServerState) */
      readonly designated?: true;
    }
  | { readonly type: 'epochProposed'; readonly epoch: number }
  /** leader: a quorum acked NEWLEADER — the leader is established for this epoch */
  | { readonly type: 'established'; readonly epoch: number; readonly quorum: readonly ServerId[] }
  | { readonly type: 'synced'; readonly leader: ServerId; readonly epoch: number; readonly mode: SyncMode }
  | { readonly type: 'learnerSynced'; readonly learner: ServerId }
  | { readonly type: 'learnerLost'; readonly learner: ServerId; readonly reason: string }
  | { readonly type: 'steppedDown'; readonly epoch: number; readonly reason: string }
  | { readonly type: 'leaderLost'; readonly leader: ServerId; readonly reason: string }
  /** leader: a quorum acked zxid, COMMIT sent */
  | { readonly type: 'committed'; readonly zxid: Zxid; readonly writeId: number }
  /** any server applied the txn at this position of its history (0-based) */
  | { readonly type: 'delivered'; readonly zxid: Zxid; readonly writeId: number; readonly index: number }
  /** the server's history was cut back (TRUNC) or replaced (SNAP) to `keep` entries */
  | { readonly type: 'historyCut'; readonly keep: number; readonly mode: SyncMode }
  | { readonly type: 'epochs'; readonly acceptedEpoch: number; readonly currentEpoch: number }
  /** the leader proposed, refused or committed a reconfig (zk/reconfig.ts; model/events.ts ReconfigEvent) */
  | { readonly type: 'reconfigProposed'; readonly zxid: Zxid; readonly members: readonly Member[] }
  | { readonly type: 'reconfigRefused'; readonly reason: ReconfigRefusal; readonly members: readonly Member[] }
  | { readonly type: 'reconfigCommitted'; readonly version: Zxid; readonly members: readonly Member[]; readonly designatedLeader: ServerId }
  /**
   * A step of the failover path finished (issue 13): a role shut down or set up, an epoch file
   * written (acceptedEpoch/currentEpoch, one fsync), a snapshot taken (takeSnapshot: the data
   * tree serialised to disk). `tookUs` from its start; `bytes` for a snapshot.
   */
  | { readonly type: 'stepDone'; readonly step: ProcessStep; readonly tookUs: number; readonly bytes: number };

/** The timed steps of the failover path a peer reports (PeerEvent `stepDone`). */
export type FailoverStep = WorkKind | 'acceptedEpoch' | 'currentEpoch' | 'takeSnapshot';
