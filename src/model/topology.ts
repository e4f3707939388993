import type { Distribution } from './distribution.js';
import type { ServerId, ServerRole } from './ids.js';
import type { BackupPolicy } from './backup.js';
import type { DrReplication } from './dr.js';

/** Where a server runs. Host defaults to `server-<id>`, rack to `<zone>-<host>` (a rack of its own). */
export interface Placement {
  readonly host: string;
  readonly rack: string;
  readonly zone: string;
  readonly region: string;
}

export interface ServerSpec extends Placement {
  readonly id: ServerId;
  readonly role: ServerRole;
  /** hierarchical quorums: weight.N (default 1) */
  readonly weight: number;
  /** hierarchical quorums: the group.g this server belongs to (0 = flat majority) */
  readonly group: number;
  /**
   * This server's own disk where it differs from the topology's `storage` (a slower volume, a
   * shared one): the latencies set here replace the ensemble's; `serverStorage` merges them.
   * Absent when the server uses the ensemble's storage as it is.
   */
  readonly storage?: ServerStorage;
  /**
   * false: the server runs from t = 0 but is not in the initial configuration (a non-voting
   * learner, QuorumPeer.updateLearnerType "non-voting participant") until a reconfig adds it.
   * Absent: a member, with `role`.
   */
  readonly member?: false;
}

/** What a server's own `storage:` may set: its disk's latencies (config/schema.ts SERVER_STORAGE_KEYS). */
export type ServerStorage = Partial<Pick<StorageSettings, 'fsync' | 'fileReplace'>>;

/** The storage a server's disk uses: the topology's, with the server's own overrides on top. */
export function serverStorage(topology: Pick<Topology, 'storage' | 'servers'>, id: ServerId): StorageSettings {
  const own = topology.servers.find((s) => s.id === id)?.storage;
  return own === undefined ? topology.storage : { ...topology.storage, ...own };
}

export type LinkClass = 'sameHost' | 'sameZone' | 'crossZone' | 'crossRegion';

/** One per-link latency override: the one-way delay between two servers, both directions, in µs. */
export interface LinkLatency {
  readonly between: readonly [ServerId, ServerId];
  readonly oneWay: Distribution;
}

/**
 * ZooKeeper's timing settings, in µs (whole milliseconds in files and in the JSON contract, as
 * zoo.cfg writes them: config/ converts).
 */
export interface ZkSettings {
  readonly tickTimeUs: number;
  readonly initLimit: number;
  readonly syncLimit: number;
  readonly cnxTimeoutUs: number;
  /** FLE finalizeWait and the minimum notification interval (200 ms in 3.8) */
  readonly finalizeWaitUs: number;
  /** FLE maxNotificationInterval (60 000 ms in 3.8) */
  readonly maxNotificationIntervalUs: number;
  /** observer re-election jitter bound, zookeeper.observer.election.DelayMs (200 ms) */
  readonly observerElectionDelayUs: number;
  /**
   * zoo.cfg connectToLearnerMasterLimit, in ticks: a learner's deadline for connecting to its
   * leader is tickTime × this (Learner.connectToLeader); 0 (the 3.8 default) means initLimit.
   */
  readonly connectToLearnerMasterLimit: number;
  /**
   * zookeeper.testingonly.initialZxid (Leader.lead): the low 32 bits a new leader's zxid is set
   * to before its first proposal, so the first proposal's counter is this + 1; 0 (unset in 3.8)
   * leaves the counter at 0. For zxid roll-over studies (ZOOKEEPER-1277).
   */
  readonly initialZxid: number;
  /**
   * zoo.cfg minSessionTimeout / maxSessionTimeout: the bounds a server clamps a client's requested
   * session timeout to (ZooKeeperServer.processConnectRequest); 0 (unset, -1 in 3.8) means
   * 2 × tickTime / 20 × tickTime (QuorumPeerConfig.parseProperties). sessionTimeoutBoundsUs
   * resolves them.
   */
  readonly minSessionTimeoutUs: number;
  readonly maxSessionTimeoutUs: number;
}

/** The session timeout bounds [min, max] in µs, the unset ones derived from tickTime as 3.8 does. */
export function sessionTimeoutBoundsUs(zk: ZkSettings): readonly [min: number, max: number] {
  return [zk.minSessionTimeoutUs > 0 ? zk.minSessionTimeoutUs : 2 * zk.tickTimeUs, zk.maxSessionTimeoutUs > 0 ? zk.maxSessionTimeoutUs : 20 * zk.tickTimeUs];
}

/** Disks and data size: what fsync and synchronisation cost. */
export interface StorageSettings {
  /** one fsync of the txn log (the SyncRequestProcessor batch), in µs */
  readonly fsync: Distribution;
  /**
   * An atomic small-file replace with fsync, in µs: write a temp file, flush, fsync, rename
   * (AtomicFileOutputStream.close, used by QuorumPeer.writeLongToFile for the acceptedEpoch and
   * currentEpoch files, and by a learner's SNAP snapshot)
   */
  readonly fileReplace: Distribution;
  /** data tree size as a snapshot before any simulated write */
  readonly snapshotMB: number;
  /** one txn as logged and sent */
  readonly txnBytes: number;
  /** per-connection throughput for sync streams (DIFF/SNAP) and snapshot writes */
  readonly bandwidthMbps: number;
}

/**
 * The time a ZooKeeper process takes for the work a protocol model would otherwise make instant
 * (issue 13: start, role changes, exit, snapshots). Distributions in µs; rates in MB/s or txns/s.
 * Defaults: config/schema.ts DEFAULT_PROCESS, each with its source or marked an assumption.
 */
export interface ProcessSettings {
  /** spawn → the client port answers, with an empty database: JVM start, class loading, QuorumPeer.start() up to startServerCnxnFactory */
  readonly jvmStart: Distribution;
  /** client port up → electing: AdminServer (Jetty) start, then startLeaderElection (QuorumPeer.start, 3.8) */
  readonly startLeaderElection: Distribution;
  /** leaving a role before LOOKING again: QuorumPeer.run()'s finally, Follower/Leader.shutdown (request processors, their threads) */
  readonly roleShutdown: Distribution;
  /** lookForLeader's prologue (LeaderElectionBean JMX registration): LOOKING, votes queue, none sent yet */
  readonly fleStart: Distribution;
  /** entering LEADING after FLE decided: makeLeader (LeaderZooKeeperServer, the Leader constructor binding the quorum port) */
  readonly leaderSetup: Distribution;
  /** entering FOLLOWING/OBSERVING: makeFollower/makeObserver and followLeader up to connectToLeader */
  readonly learnerSetup: Distribution;
  /**
   * CPU cores per host for process starts (jvmStart, startLeaderElection are CPU-bound): k
   * processes starting at once on a host take max(1, k / coresPerHost) times as long. Absent:
   * every host has cores to spare.
   */
  readonly coresPerHost?: number;
  /** kill -9 → the kernel has torn the process down and closed its sockets (peers see FIN/RST) */
  readonly exitClose: Distribution;
  /** takeSnapshot: serialising the data tree (FileTxnSnapLog.save) to disk, MB/s, before its fsync */
  readonly snapshotWriteMBps: number;
  /** database load at start (ZKDatabase.loadDataBase): deserialising the snapshot, MB/s */
  readonly snapshotLoadMBps: number;
  /** database load at start: txns replayed from the log after the snapshot, per second */
  readonly txnReplayPerSec: number;
}

/** A resolved, validated topology: what every module downstream of config/ reads. */
/**
 * A voter of the topology's initial configuration (observers and `member: false` servers are
 * not): what closed forms, failure models and summaries count as the ensemble's voters.
 */
export function isInitialVoter(s: Pick<ServerSpec, 'role' | 'member'>): boolean {
  return s.role !== 'observer' && s.member !== false;
}

/** zoo.cfg's two reconfiguration switches (read from the topology's `zookeeper:` section). */
export interface ReconfigSettings {
  /**
   * zoo.cfg reconfigEnabled: whether a `reconfig` is accepted (PrepRequestProcessor:
   * ReconfigDisabledException) and processed (QuorumPeer.processReconfig returns at once when
   * false). 3.8's default is false; zksim's is true: a scenario that reconfigures
   * is an operator's deliberate act on an ensemble set up for it. Set false to see 3.8's refusal.
   */
  readonly reconfigEnabled: boolean;
  /**
   * zoo.cfg standaloneEnabled (default true): a reconfig must leave at least 2 voters
   * (PrepRequestProcessor: "new configuration must include at least 2 followers"); false: 1.
   */
  readonly standaloneEnabled: boolean;
}

/** reconfigEnabled and standaloneEnabled of a topology (both true when its file sets neither). */
export function reconfigSettings(t: Pick<Topology, 'reconfig'>): ReconfigSettings {
  return t.reconfig ?? { reconfigEnabled: true, standaloneEnabled: true };
}

export interface Topology {
  readonly name: string;
  readonly description: string;
  readonly servers: readonly ServerSpec[];
  /** one-way delay per link class, in µs (files and the JSON contract say ms: config/ converts) */
  readonly latency: Readonly<Record<LinkClass, Distribution>>;
  /**
   * Per-link one-way latency overrides (the file's `latency.links`), µs: each replaces the class
   * latency of the link between its two servers, both directions. Absent: none.
   */
  readonly linkLatency?: readonly LinkLatency[];
  readonly zk: ZkSettings;
  readonly storage: StorageSettings;
  /** what processes take to start, change role, exit and snapshot */
  readonly process: ProcessSettings;
  /** 'majority' (QuorumMaj) or 'hierarchical' (QuorumHierarchical, from group/weight) */
  readonly quorum: 'majority' | 'hierarchical';
  /** the zookeeper section's reconfiguration switches; absent: both true */
  readonly reconfig?: ReconfigSettings;
  /** off-site backups and the restore after a total loss (model/backup.ts); absent: none */
  readonly backup?: BackupPolicy;
  /** a standby ensemble in another region fed by asynchronous replication (model/dr.ts); absent: none */
  readonly dr?: DrReplication;
  /**
   * The settings that `--set`/`--vary` changed after the file was read, in order (cli/study.ts),
   * so that the settings lines can mark them "(overridden by --set)" without reading
   * `description` (which lists them in words). Absent when no option changed the topology.
   */
  readonly overrides?: readonly TopologyOverride[];
}

/** One topology setting changed by a command-line option. */
export interface TopologyOverride {
  /** the option, e.g. `--set` or `--vary` */
  readonly flag: string;
  /** the setting's path without a `topology.` prefix, e.g. `zookeeper.tickTime` or `latency.crossZone.mean` */
  readonly path: string;
  /** the value as typed, e.g. `1000` */
  readonly value: string;
}
