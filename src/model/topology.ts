import type { Distribution } from './distribution.js';
import type { ServerId, ServerRole } from './ids.js';

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
}

export type LinkClass = 'sameHost' | 'sameZone' | 'crossZone' | 'crossRegion';

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
}

/** Disks and data size: what fsync and synchronisation cost. */
export interface StorageSettings {
  /** one fsync of the txn log (the SyncRequestProcessor batch), in µs */
  readonly fsync: Distribution;
  /** data tree size as a snapshot before any simulated write */
  readonly snapshotMB: number;
  /** one txn as logged and sent */
  readonly txnBytes: number;
  /** per-connection throughput for sync streams (DIFF/SNAP) and snapshot writes */
  readonly bandwidthMbps: number;
}

/** A resolved, validated topology: what every module downstream of config/ reads. */
export interface Topology {
  readonly name: string;
  readonly description: string;
  readonly servers: readonly ServerSpec[];
  /** one-way delay per link class, in µs (files and the JSON contract say ms: config/ converts) */
  readonly latency: Readonly<Record<LinkClass, Distribution>>;
  readonly zk: ZkSettings;
  readonly storage: StorageSettings;
  /** 'majority' (QuorumMaj) or 'hierarchical' (QuorumHierarchical, from group/weight) */
  readonly quorum: 'majority' | 'hierarchical';
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
