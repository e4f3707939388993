/** Topology schema: defaults, key names and the programmatic input shape. */
import { freeze } from 'immer';
import type { ServerId, ServerRole } from '../model/ids.js';
import type { Distribution } from '../model/distribution.js';
import type { LinkClass, LinkLatency, ProcessSettings, ReconfigSettings, ServerStorage, StorageSettings, Topology, ZkSettings } from '../model/topology.js';

// ---------------------------------------------------------------------------------------------
// Defaults

/** zoo_sample.cfg values for tickTime/initLimit/syncLimit; 3.8 code defaults for the rest. In µs. */
export const DEFAULT_ZK_SETTINGS: ZkSettings = freeze(
  {
    tickTimeUs: 2_000_000,
    initLimit: 10,
    syncLimit: 5,
    cnxTimeoutUs: 5_000_000,
    finalizeWaitUs: 200_000,
    maxNotificationIntervalUs: 60_000_000,
    observerElectionDelayUs: 200_000,
    connectToLearnerMasterLimit: 0,
    initialZxid: 0,
    minSessionTimeoutUs: 0,
    maxSessionTimeoutUs: 0,
  },
  true,
);

/**
 * LAN one-way delay 0.1–0.5 ms (zab-facts §9). Cross-zone 0.5–1.5 ms and cross-region 30 ms are
 * assumptions (typical cloud AZ-to-AZ and intra-continent figures), not measurements. In µs.
 */
export const DEFAULT_LATENCY: Readonly<Record<LinkClass, Distribution>> = freeze(
  {
    sameHost: { dist: 'constant', value: 50 },
    sameZone: { dist: 'uniform', min: 100, max: 500 },
    crossZone: { dist: 'uniform', min: 500, max: 1500 },
    crossRegion: { dist: 'lognormal', median: 30_000, sigma: 0.2 },
  },
  true,
);

/**
 * The disk figures, in µs, in one place with their sources.
 *
 * Measured (../shared/reference/real-zk-n3/README.md, "fsync here", ext4 on the lab VM):
 * - append + fsync of 1 KB: median ≈ 2 ms, p99 ≈ 6 ms → lognormal median 2 ms,
 *   sigma = ln(6/2)/2.326 = 0.47 (2.326: the standard normal's 99th percentile);
 * - atomic small-file replace with fsync: median ≈ 3.4 ms, p99 ≈ 12 ms → lognormal median
 *   3.4 ms, sigma = ln(12/3.4)/2.326 = 0.54.
 * These are LAB_STORAGE, for a one-zone lab topology like the one measured.
 *
 * DEFAULT_STORAGE (production) keeps its assumptions — an SSD-backed txn log fsync of ~1 ms
 * median with a long tail, a 10 MB data tree, 1 KB transactions, 1 Gbit/s between servers — and
 * takes its file replace from the lab's measured ratio (replace/fsync medians 3.4/2 = 1.7, sigma
 * 0.54): an assumption derived from a measurement, not one.
 */
export const LAB_FSYNC: Distribution = freeze({ dist: 'lognormal', median: 2_000, sigma: 0.47 }, true);
export const LAB_FILE_REPLACE: Distribution = freeze({ dist: 'lognormal', median: 3_400, sigma: 0.54 }, true);
export const DEFAULT_STORAGE: StorageSettings = freeze(
  {
    fsync: { dist: 'lognormal', median: 1000, sigma: 0.5 },
    fileReplace: { dist: 'lognormal', median: 1700, sigma: 0.54 },
    snapshotMB: 10,
    txnBytes: 1024,
    bandwidthMbps: 1000,
  },
  true,
);

/**
 * What a ZooKeeper process takes for its own work (model/topology.ts ProcessSettings), in µs.
 * - jvmStart: measured, real-zk-n3/README.md "JVM start of one restarted server (spawn → client
 *   port answering): 193 / 259 / 297 ms" → lognormal median 259 ms, sigma 0.15.
 * - startLeaderElection: the AdminServer (Jetty) start and startLeaderElection itself, between the client port and
 *   the first vote (QuorumPeer.start in 3.8). Not measured on its own: calibrated so that a
 *   restarted server is serving again as in real-zk-n3 (leader_crash 429 ms, follower_crash 575 ms
 *   median, both including jvmStart); the same value serves every topology and fault.
 * - roleShutdown, fleStart, learnerSetup, exitClose: a few ms of thread joins, object construction
 *   and kernel teardown; assumptions (not measured), small against the 200 ms finalizeWait.
 * - leaderSetup: makeLeader up to the quorum port's bind, assumed ~10 ms, longer than a learner's
 *   setup: in real-zk-n3 19 of 20 leader changes show the learner's first connect refused and
 *   retried 100 ms later (new leader serving at 355–377 ms, a retry's worth above finalizeWait and
 *   the rest), which happens when the learner connects before the leader has bound its port.
 * - snapshotWriteMBps, snapshotLoadMBps, txnReplayPerSec: assumptions of the order ZOOKEEPER-2678
 *   (PR #157) reports for large databases (seconds for GBs), not measurements.
 */
export const DEFAULT_PROCESS: ProcessSettings = freeze(
  {
    jvmStart: { dist: 'lognormal', median: 259_000, sigma: 0.15 },
    startLeaderElection: { dist: 'lognormal', median: 200_000, sigma: 0.15 },
    roleShutdown: { dist: 'lognormal', median: 3_000, sigma: 0.5 },
    fleStart: { dist: 'lognormal', median: 3_000, sigma: 0.3 },
    leaderSetup: { dist: 'lognormal', median: 10_000, sigma: 0.3 },
    learnerSetup: { dist: 'lognormal', median: 2_000, sigma: 0.3 },
    exitClose: { dist: 'lognormal', median: 1_000, sigma: 0.5 },
    snapshotWriteMBps: 100,
    snapshotLoadMBps: 200,
    txnReplayPerSec: 50_000,
  },
  true,
);

export const DEFAULT_REGION = 'region1';
export const DEFAULT_QUORUM: Topology['quorum'] = 'majority';
export const LINK_CLASSES: readonly LinkClass[] = ['sameHost', 'sameZone', 'crossZone', 'crossRegion'];

// ---------------------------------------------------------------------------------------------
// Programmatic input and resolution

export interface ServerInput {
  readonly id: ServerId;
  readonly zone: string;
  readonly region?: string;
  readonly rack?: string;
  readonly host?: string;
  readonly role?: ServerRole;
  readonly weight?: number;
  readonly group?: number;
  /** this server's own disk latencies over the topology's `storage` (ServerSpec.storage) */
  readonly storage?: ServerStorage;
  /** false: not in the initial configuration, a non-voting learner until a reconfig adds it (ServerSpec.member) */
  readonly member?: boolean;
}

/** A topology with every optional part left out; `resolveTopology` fills the defaults. */
export interface TopologyInput {
  readonly name: string;
  readonly description?: string;
  readonly zk?: Partial<ZkSettings>;
  /** in µs, like Topology's */
  readonly latency?: Partial<Record<LinkClass, Distribution>>;
  /** the file's `latency.links`, in µs */
  readonly linkLatency?: readonly LinkLatency[];
  readonly storage?: Partial<StorageSettings>;
  readonly process?: Partial<ProcessSettings>;
  readonly quorum?: Topology['quorum'];
  readonly servers: readonly ServerInput[];
  /** the zookeeper section's reconfigEnabled / standaloneEnabled (ReconfigSettings); absent: both true */
  readonly reconfig?: Partial<ReconfigSettings>;
  /** the file's `backup:` section, read by config/backup.ts */
  readonly backup?: Topology['backup'];
  /** the file's `dr:` section, read by config/dr.ts */
  readonly dr?: Topology['dr'];
}

// ---------------------------------------------------------------------------------------------
// YAML key names

/**
 * YAML key, ZkSettings field, smallest valid value in the file's unit (whole ms for the `Us`
 * fields, which files write in ms as zoo.cfg does; a count for the limits).
 */
export const ZK_KEYS: readonly (readonly [yamlKey: string, field: keyof ZkSettings, minimum: number])[] = [
  ['tickTime', 'tickTimeUs', 1],
  ['initLimit', 'initLimit', 1],
  ['syncLimit', 'syncLimit', 1],
  ['cnxTimeout', 'cnxTimeoutUs', 1],
  ['finalizeWait', 'finalizeWaitUs', 1],
  ['maxNotificationInterval', 'maxNotificationIntervalUs', 1],
  ['observerElectionDelay', 'observerElectionDelayUs', 0],
  ['connectToLearnerMasterLimit', 'connectToLearnerMasterLimit', 0],
  ['initialZxid', 'initialZxid', 0],
  ['minSessionTimeout', 'minSessionTimeoutUs', 0],
  ['maxSessionTimeout', 'maxSessionTimeoutUs', 0],
];
/** initialZxid is the low 32 bits of a zxid (Leader.lead ORs it under the epoch). */
export const MAX_INITIAL_ZXID = 0xffff_ffff;

/**
 * zoo.cfg keys of 3.8 (QuorumPeerConfig.parseProperties, and the `zookeeper.<key>` system
 * properties an unknown zoo.cfg key becomes) that a topology's `zookeeper:` section accepts and
 * the model IGNORES: nothing it computes depends on them (no client ports, sessions, purging,
 * TLS, metrics or snapshot scheduling are modelled). Any scalar value is accepted and dropped,
 * so a real zoo.cfg's settings can be pasted in. With the 3.8 default, for the README.
 */
export const ZK_IGNORED_KEYS: Readonly<Record<string, string>> = {
  dataDir: '(required in zoo.cfg)',
  dataLogDir: 'dataDir',
  clientPort: '(none)',
  clientPortAddress: 'all addresses',
  secureClientPort: '(none)',
  secureClientPortAddress: 'all addresses',
  clientPortListenBacklog: '-1 (the OS default)',
  maxClientCnxns: '60',
  localSessionsEnabled: 'false',
  localSessionsUpgradingEnabled: 'false',
  globalOutstandingLimit: '1000',
  electionAlg: '3 (the only one 3.8 has)',
  electionPortBindRetry: '3 (the model never fails a bind)',
  quorumListenOnAllIPs: 'false',
  'quorum.cnxn.threads.size': '20',
  'multiAddress.enabled': 'false',
  'multiAddress.reachabilityCheckEnabled': 'true',
  'multiAddress.reachabilityCheckTimeoutMs': '1000',
  snapCount: '100000',
  snapSizeLimitInKb: '4194304',
  txnLogSizeLimitInKb: '-1',
  preAllocSize: '65536 (KB)',
  'fsync.warningthresholdms': '1000',
  'autopurge.snapRetainCount': '3',
  'autopurge.purgeInterval': '0',
  sslQuorum: 'false',
  portUnification: 'false',
  sslQuorumReloadCertFiles: 'false',
  'metricsProvider.className': 'NullMetricsProvider',
  'admin.enableServer': 'true',
  'admin.serverPort': '8080',
  '4lw.commands.whitelist': 'srvr',
  'jvm.pause.monitor': 'false',
  'jute.maxbuffer': '1048575',
  skipACL: 'no',
};

/**
 * zoo.cfg keys of 3.8 that change behaviour the model does not implement (or spells elsewhere):
 * refused with the reason rather than silently ignored.
 */
export const ZK_UNSUPPORTED_KEYS: Readonly<Record<string, string>> = {
  leaderServes: 'the model\'s leader always serves clients (the 3.8 default, yes)',
  forceSync: 'the model always fsyncs the txn log (the 3.8 default, yes); slow the disk with storage.fsync instead',
  syncEnabled: 'the model\'s observers always log and fsync (the 3.8 default, true)',
  peerType: 'write role: observer on the server in `servers`',
  observerMasterPort: 'observers follow the leader (no observer masters are modelled)',
};
export const TOP_KEYS = ['name', 'description', 'zookeeper', 'latency', 'storage', 'process', 'quorum', 'servers', 'backup', 'dr'] as const;
/** `process:` keys: the distributions (times), then the rates (positive numbers) */
export const PROCESS_DISTRIBUTION_KEYS = ['jvmStart', 'startLeaderElection', 'roleShutdown', 'fleStart', 'leaderSetup', 'learnerSetup', 'exitClose'] as const;
export const PROCESS_RATE_KEYS = ['snapshotWriteMBps', 'snapshotLoadMBps', 'txnReplayPerSec', 'coresPerHost'] as const;
export const STORAGE_KEYS = ['fsync', 'fileReplace', 'snapshotMB', 'txnBytes', 'bandwidthMbps'] as const;
/** the distributions of `storage:` (times), the rest are positive numbers */
export const STORAGE_DISTRIBUTION_KEYS = ['fsync', 'fileReplace'] as const;
/**
 * What a server's own `storage:` may set: its disk's latencies. Not the ensemble's data
 * (snapshotMB, txnBytes) nor bandwidthMbps, which the network's sync streams share.
 */
export const SERVER_STORAGE_KEYS = STORAGE_DISTRIBUTION_KEYS;
export const SERVER_KEYS = ['id', 'zone', 'region', 'rack', 'host', 'role', 'weight', 'group', 'storage', 'member'] as const;
/** Topology files name distributions as experiments do (model/distribution.ts): `constant` or `fixed`, … */
export { DIMENSIONLESS_PARAMS, DISTRIBUTION_NAMES, DISTRIBUTION_PARAMS } from '../model/distribution.js';
