import type { BackupEvent } from './backup.js';
import type { FailureSource } from './faults.js';
import type { PeerState, ServerId, ZabPhase } from './ids.js';
import type { FailoverStep } from './effects.js';
import type { SyncMode } from './messages.js';
import type { Member, ReconfigRefusal } from './reconfig.js';
import type { Zxid } from './zxid.js';

/**
 * The typed events a trial reports (ARCHITECTURE.md "Events, not prose"). Everything downstream
 * — availability accounting, charts, demos, liveness, the text timeline — reads these; prose is
 * rendered from them by one formatter (observe/format.ts) and is never parsed back.
 *
 * Times are integer microseconds of simulated time (`atUs`, and every other `…Us` field); the JSON
 * contract (`run --json`'s `eventLog`, report/run-json.ts) carries each as `…Ms` in milliseconds.
 * Every event is `{ type, atUs, …typed fields }`; `TrialEvent` is the union of all of them:
 * FaultEvent (faults applied, skipped, repaired), PeerTrialEvent (what one server did),
 * ClusterEvent (write availability changed), ClientEvent (a client request's outcome) and
 * ViolationEvent (a safety invariant broken).
 */

/** A failure domain taken down as a whole. */
export interface DomainRef {
  readonly level: 'zone' | 'rack' | 'region';
  readonly name: string;
}

/**
 * What a fault did when it fired:
 * - `process killed`: the server's process died, its host stays up (peers see connections reset);
 * - `host down`: the host died silently (peers notice by timeouts); `disk lost` likewise, and the
 *   server comes back with an empty disk;
 * - `domain down`: every host of a zone, rack or region down, silently;
 * - `isolated`: every link of one server cut, both ways; `links cut`: the links of a partition or
 *   a one-way cut;
 * - `started`: a server held back at t = 0 (`start:`) started;
 * - `paused`: the process stopped the world (a JVM pause): it runs, answers nothing, keeps its
 *   connections;
 * - `disk slow` / `disk stalled`: its fsyncs take the fault's distribution / never complete;
 *   `disk full`: its writes fail (ENOSPC);
 * - `lossy link` / `delayed link`: transmissions on the links lost with a probability / later;
 * - `connections dropped`: a middlebox dropped the established connections between two groups;
 * - `reconfig submitted`: a client's reconfig reached the leader (its outcome is a ReconfigEvent);
 * - `maintenance started`: a rolling-maintenance round began (its restarts are processStopped events);
 * - `vote inflated` / `ack unlogged` / `txn flipped`: a server turned Byzantine (zk/byzantine.ts): it
 *   lies in its votes, its fsyncs write nothing, or a txn on its disk was flipped (`target` says which);
 *   `vote not counted`: it lies in its votes but is not a voter now, so no election counts them
 *   (FastLeaderElection.validVoter); `txn flipped back`: a second flip of the same txn restored its bit;
 *   `nothing to flip`: its disk holds no client txn, nothing changed.
 */
export type FaultEffect =
  | 'process killed'
  | 'host down'
  | 'disk lost'
  | 'domain down'
  | 'isolated'
  | 'links cut'
  | 'started'
  | 'paused'
  | 'disk slow'
  | 'disk stalled'
  | 'disk full'
  | 'lossy link'
  | 'delayed link'
  | 'connections dropped'
  | 'reconfig submitted'
  | 'maintenance started'
  | 'vote inflated'
  | 'vote not counted'
  | 'ack unlogged'
  | 'txn flipped'
  | 'txn flipped back'
  | 'nothing to flip';

/**
 * Whether a fault effect stops server processes (their servers are DOWN until restarted); an
 * isolated server or one behind cut links keeps running. A Record, so a new effect must say.
 */
export const EFFECT_STOPS_PROCESSES: Readonly<Record<FaultEffect, boolean>> = {
  'process killed': true,
  'host down': true,
  'disk lost': true,
  'domain down': true,
  isolated: false,
  'links cut': false,
  started: false,
  // a paused process is still there: it keeps its role, its connections and its memory
  paused: false,
  'disk slow': false,
  'disk stalled': false,
  // a full disk stops the txn-log thread, not the process (a snapshot write that fails exits it: a processStopped event says so)
  'disk full': false,
  'lossy link': false,
  'delayed link': false,
  'connections dropped': false,
  // the reconfig's own events (reconfigProposed, …) tell what it did; a removed server keeps running
  'reconfig submitted': false,
  // the round's plan stops one server at a time: its processStopped events say which, when
  'maintenance started': false,
  // a Byzantine server keeps running: that is the point (a bit-flip's failed start is a processStopped event)
  'vote inflated': false,
  'vote not counted': false,
  'ack unlogged': false,
  'txn flipped': false,
  'txn flipped back': false,
  'nothing to flip': false,
};

/**
 * What a repair did: the process restarted (or is still down, held by another fault), the host or
 * domain back up, the links healed (cuts, loss, delay), a paused process resumed, a slow, stalled
 * or full disk back to normal, a Byzantine server honest again (the damage it did stays).
 */
export type RepairEffect = 'restarted' | 'still down' | 'host up' | 'domain up' | 'healed' | 'resumed' | 'disk recovered' | 'maintenance done' | 'honest again';

export type FaultEvent =
  | {
      readonly type: 'faultApplied';
      readonly atUs: number;
      /** index of the fault in the trial's fault list */
      readonly faultIndex: number;
      /** the fault in its canonical text (config/faults.ts formatFault) */
      readonly fault: string;
      readonly source: FailureSource;
      /** the server a server-targeted fault resolved to (`leader`, a maintenance step); else null */
      readonly target: ServerId | null;
      readonly effect: FaultEffect;
      /**
       * the servers hit, ascending: those whose process stopped (kill: the target; a host crash or
       * disk loss: every server of the host; a domain: every server in it), the isolated server,
       * or the servers at either end of a partition's or one-way cut's links
       */
      readonly servers: readonly ServerId[];
      readonly domain: DomainRef | null;
    }
  /** a fault aimed at `leader` (or a maintenance step) fired when there was nobody to hit */
  | { readonly type: 'faultSkipped'; readonly atUs: number; readonly faultIndex: number; readonly fault: string; readonly reason: 'no leader' }
  | {
      readonly type: 'faultRepaired';
      readonly atUs: number;
      readonly faultIndex: number;
      readonly fault: string;
      readonly target: ServerId | null;
      readonly effect: RepairEffect;
      /** the servers the fault had affected, ascending */
      readonly servers: readonly ServerId[];
      readonly domain: DomainRef | null;
    };

/**
 * What one server did (its `server`), as the timeline tells it. Emitted by the recorder
 * (observe/record.ts) from the peer's own reports (model/effects.ts PeerEvent); the per-write
 * reports (committed, delivered) are not events here, so recording stays off the hot path.
 */
export type PeerTrialEvent =
  /** the server started an election (ServerState LOOKING) */
  | { readonly type: 'looking'; readonly atUs: number; readonly server: ServerId }
  /** a follower or observer entered a Zab phase other than DISCOVERY and BROADCAST (told by roleDecided / synced) */
  | { readonly type: 'phase'; readonly atUs: number; readonly server: ServerId; readonly state: Exclude<PeerState, 'LOOKING'>; readonly phase: ZabPhase }
  /** the FLE poll timed out with no notification: votes re-sent; the next wait (doubled, capped) in µs */
  | { readonly type: 'notificationTimeout'; readonly atUs: number; readonly server: ServerId; readonly round: number; readonly nextWaitUs: number }
  /**
   * the election ended for this server: LEADING (leader === server), FOLLOWING or OBSERVING
   * `leader`; `viaFinalizeWait` false when it joined an already established leader
   */
  | {
      readonly type: 'roleDecided';
      readonly atUs: number;
      readonly server: ServerId;
      readonly role: 'LEADING' | 'FOLLOWING' | 'OBSERVING';
      readonly leader: ServerId;
      readonly round: number;
      readonly viaFinalizeWait: boolean;
      /** the role a committed reconfig designated (QuorumPeer.updateServerState with reconfigFlag): no election ran */
      readonly designated?: true;
    }
  /** a prospective leader proposed this epoch (LEADERINFO) */
  | { readonly type: 'epochProposed'; readonly atUs: number; readonly server: ServerId; readonly epoch: number }
  /** a leader is established: a quorum (ascending, itself included) acked NEWLEADER */
  | { readonly type: 'established'; readonly atUs: number; readonly server: ServerId; readonly epoch: number; readonly quorum: readonly ServerId[] }
  /** a learner finished synchronising with `leader` by DIFF, TRUNC or SNAP and now serves */
  | { readonly type: 'synced'; readonly atUs: number; readonly server: ServerId; readonly leader: ServerId; readonly epoch: number; readonly mode: SyncMode }
  /** a leader dropped a learner (read timeout, connection reset) */
  | { readonly type: 'learnerLost'; readonly atUs: number; readonly server: ServerId; readonly learner: ServerId; readonly reason: string }
  /** a learner gave up on its leader */
  | { readonly type: 'leaderLost'; readonly atUs: number; readonly server: ServerId; readonly leader: ServerId; readonly reason: string }
  /** a leader stepped down from its epoch */
  | { readonly type: 'steppedDown'; readonly atUs: number; readonly server: ServerId; readonly epoch: number; readonly reason: string }
  /** the server's process is gone: `how` is 'killed', 'host crashed', 'disk lost' or '<level> <name> down' */
  | { readonly type: 'processStopped'; readonly atUs: number; readonly server: ServerId; readonly how: string }
  /**
   * A timed step of a process finished (issue 13): its start (`jvmStart`: spawn → client port;
   * `loadDataBase`: snapshot and txn-log replay; `startLeaderElection`: AdminServer start and the
   * election port bound) or its failover path (model/effects.ts FailoverStep). `tookUs` since the
   * step began; `bytes` the data it wrote or read (snapshots), else 0.
   */
  | { readonly type: 'stepDone'; readonly atUs: number; readonly server: ServerId; readonly step: ProcessStep; readonly tookUs: number; readonly bytes: number };

/** The steps a `stepDone` event names: a process start, then the failover path's (model/effects.ts). */
export type ProcessStep = 'jvmStart' | 'loadDataBase' | 'startLeaderElection' | FailoverStep;

/**
 * Why writes are unavailable (observe/availability.ts DowntimeCause is this type): no connected
 * quorum of voter processes, a quorum up but partitioned, the leader gone and not yet detected,
 * electing, syncing. People read them by model/downtime-causes.ts DOWNTIME_CAUSE_LABELS only.
 */
export type WriteDowntimeCause = 'quorumLost' | 'partitioned' | 'leaderIsolated' | 'electing' | 'syncing';

/**
 * The ensemble's write availability changed (an established leader with a synced quorum, or not).
 * `writesUnavailable` is also reported at time 0 when the trial starts without a leader;
 * `writesAvailable` carries how long writes were down (`downForUs`, µs).
 */
export type ClusterEvent =
  | { readonly type: 'writesUnavailable'; readonly atUs: number; readonly cause: WriteDowntimeCause }
  | { readonly type: 'writesAvailable'; readonly atUs: number; readonly leader: ServerId | null; readonly downForUs: number };

/**
 * A client request's outcome (scenario/workload.ts), reported only when a workload runs:
 * - `writeIssued`: the client sent write `writeId` to `server` (that server holds it in process,
 *   ZooKeeperServer.requestsInProcess, until it answers: observe/metrics.ts zk_outstanding_requests);
 * - `writeCommitted`: the client got its reply, `latencyUs` after issuing the write to `server`;
 * - `writeFailed`: `reason` 'no server' (no serving server to send it to: `server` and `writeId`
 *   null), 'rejected' (the server answered with an error) or 'timed out' (no answer within the
 *   client's read timeout);
 * - `readServed` (`stale`: the server had applied less than some other server) / `readFailed`.
 */
export type ClientEvent =
  | { readonly type: 'writeIssued'; readonly atUs: number; readonly server: ServerId; readonly writeId: number }
  | { readonly type: 'writeCommitted'; readonly atUs: number; readonly server: ServerId; readonly writeId: number; readonly latencyUs: number }
  | {
      readonly type: 'writeFailed';
      readonly atUs: number;
      readonly server: ServerId | null;
      readonly writeId: number | null;
      readonly reason: 'no server' | 'rejected' | 'timed out';
    }
  | { readonly type: 'readServed'; readonly atUs: number; readonly server: ServerId; readonly stale: boolean }
  | { readonly type: 'readFailed'; readonly atUs: number };

/**
 * A safety invariant was violated (observe/safety.ts; `invariant` is one of its Invariant names).
 * Reported for the examples the checker keeps (the first EXAMPLES_PER_INVARIANT of each
 * invariant), so a broken rule that violates at every delivery cannot flood the stream.
 */
export interface ViolationEvent {
  readonly type: 'safetyViolation';
  readonly atUs: number;
  readonly invariant: 'Leadership' | 'PrefixConsistency' | 'UniqueZxid' | 'TotalOrder' | 'Durability' | 'EpochOrder';
  readonly detail: string;
}

/** Everything a trial reports, in the order it happened (see the file header). */
/**
 * Dynamic reconfiguration (zk/reconfig.ts): a `reconfig` submitted to the leader was proposed
 * (the txn's zxid will be the new config's version), refused (PrepRequestProcessor's reason),
 * committed (COMMITANDACTIVATE: `designatedLeader` leads the new config, Leader.getDesignatedLeader),
 * or an operator rewrote the dynamic config file of stopped servers (`configRewritten`, outside
 * the protocol: FaultHost.rewriteConfig).
 */
export type ReconfigEvent =
  | { readonly type: 'reconfigProposed'; readonly atUs: number; readonly server: ServerId; readonly zxid: Zxid; readonly members: readonly Member[] }
  | { readonly type: 'reconfigRefused'; readonly atUs: number; readonly server: ServerId | null; readonly reason: ReconfigRefusal; readonly members: readonly Member[] }
  | {
      readonly type: 'reconfigCommitted';
      readonly atUs: number;
      readonly server: ServerId;
      readonly version: Zxid;
      readonly members: readonly Member[];
      readonly designatedLeader: ServerId;
    }
  | { readonly type: 'configRewritten'; readonly atUs: number; readonly servers: readonly ServerId[]; readonly version: Zxid; readonly members: readonly Member[] };

/**
 * Byzantine faults and their detection (issue 15; observe/digest.ts, scenario/byzantine*.ts):
 * - `digestMismatch`: `server` applied txn `zxid` and its data-tree digest differs from the digest
 *   the leader carried with the txn (DataTree.compareDigest, ZOOKEEPER-3150; on by default,
 *   `zookeeper.digest.enabled`). 3.8 logs it and adds one to ServerMetrics
 *   DIGEST_MISMATCHES_COUNT (`digest_mismatches_count`); it repairs nothing. `expected` is the
 *   carried digest, `actual` the server's own; both are the model's 32-bit digests. Reported for
 *   the first mismatching txn after each load of the server's tree (3.8 logs that one at ERROR,
 *   DataTree.firstMismatchTxn); the counter's value is observe/digest.ts DigestMonitor.mismatches.
 * - `logChecksumFailed`: `server`'s txn log failed its Adler32 check while loading at start-up
 *   (FileTxnLog.FileTxnIterator.next: "CRC check failed"): the process exits instead of starting.
 * - `digestDiverged`: an operator's audit of the digest logs (not ZooKeeper; observe/digest-audit.ts)
 *   found, at the poll `atUs`, two servers with different digests for `zxid` (`conflict`: `servers`
 *   reported `actual`, others `expected`) or a committed (zxid, digest) gone from `servers`' log
 *   without a restart or SNAP (`rewritten`: a TRUNC below a committed txn; `actual` null).
 * - `quarantined` / `readmitted`: an operator's automation (not ZooKeeper; scenario/byzantine-ops.ts)
 *   removed `server` by reconfig after a mismatch it saw in the digests it polls (the admin `hash`
 *   command; `zxid`: the first mismatching txn it saw), or after the audit's divergence (`cause`),
 *   and later re-added it once restored from a peer's snapshot.
 */
export type ByzantineEvent =
  | { readonly type: 'digestMismatch'; readonly atUs: number; readonly server: ServerId; readonly zxid: Zxid; readonly expected: number; readonly actual: number }
  | { readonly type: 'logChecksumFailed'; readonly atUs: number; readonly server: ServerId; readonly zxid: Zxid }
  | { readonly type: 'digestDiverged'; readonly atUs: number; readonly how: 'conflict' | 'rewritten'; readonly zxid: Zxid; readonly servers: readonly ServerId[]; readonly expected: number; readonly actual: number | null }
  | { readonly type: 'quarantined'; readonly atUs: number; readonly server: ServerId; readonly zxid: Zxid; readonly cause?: 'conflict' | 'rewritten' }
  | { readonly type: 'readmitted'; readonly atUs: number; readonly server: ServerId };

export type TrialEvent = FaultEvent | PeerTrialEvent | ClusterEvent | ClientEvent | ViolationEvent | ReconfigEvent | BackupEvent | ByzantineEvent;

export type TrialEventType = TrialEvent['type'];
