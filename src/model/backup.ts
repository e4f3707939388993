import type { Distribution } from './distribution.js';
import type { ServerId } from './ids.js';
import type { Zxid } from './zxid.js';

/**
 * A topology's `backup:` section (config/backup.ts reads it): copies of the ensemble's data kept
 * off-site, and how an operator restores them when no voter holds the data any more. Times in µs.
 *
 * ZooKeeper itself ships no backup tool: its admin guide ("Ongoing Data Directory Cleanup",
 * zookeeperAdmin.md) says a snapshot plus the txn logs after it restore a server's state, that
 * snapshots are fuzzy (valid only with the logs that follow them), and that `autopurge.snapRetainCount`
 * (default 3, minimum 3) snapshots and their logs are kept. Operators therefore copy the newest
 * snapshot every `snapshotEvery` and the txn-log files every `logShipEvery`; both are this model.
 */
export interface BackupPolicy {
  /**
   * Whose data is copied: `leader` (the established leader of the moment: a shipment with no
   * leader serving writes fails and the next one catches up), or one server, whose copy fails
   * while it is not serving.
   */
  readonly source: 'leader' | ServerId;
  /** a snapshot copied off-site every … (µs); the first at this time after t = 0 */
  readonly snapshotEveryUs: number;
  /** the txn logs shipped every … (µs): the committed txns since the last shipment */
  readonly logShipEveryUs: number;
  /** snapshots kept off-site (the newest; autopurge.snapRetainCount's role) */
  readonly retainCount: number;
  /** snapshots older than this are purged even within `retainCount` (µs); null: kept by count only */
  readonly retainForUs: number | null;
  readonly restore: RestoreProcedure;
  /**
   * The clients' write rate (writes/s), to express the RPO of Monte Carlo studies (whose trials run
   * no workload) as acknowledged writes lost: rate × the loss window. Null: the window only.
   */
  readonly writesPerSec: number | null;
}

/**
 * The operator's restore after a total loss: detection, a decision (and replacement hosts), then
 * fetching the backup; loading it is the restored servers' ordinary start (process.snapshotLoadMBps,
 * process.txnReplayPerSec: scenario/process-timing.ts loadDataBase). All assumptions, stated as such.
 */
export interface RestoreProcedure {
  /** the loss → an operator knows (alerting, paging), µs */
  readonly detect: Distribution;
  /** known → the restore begins (diagnosis, the decision to lose data, hosts provisioned), µs */
  readonly decide: Distribution;
  /** off-site storage → the servers' disks, MB/s (snapshot and shipped logs) */
  readonly fetchMBps: number;
}

/**
 * What the backup process reports (scenario/backup.ts), as trial events (model/events.ts):
 * - `dataLost`: no voter holds the ensemble's data any more (every voter's disk lost, none
 *   resynced since). The backup holds the committed history up to `restorableZxid`, shipped at
 *   `lastShippedUs` (null: nothing shipped yet, only the initial data tree survives). RPO:
 *   `ackedLost` writes the clients saw acknowledged are not in it (`committedLost` txns in all),
 *   acknowledged from `firstLostAckUs` to `lastLostAckUs` (null when none).
 * - `restoreStarted`: the operator starts every server from the backup, `detectUs` + `decideUs` +
 *   `fetchUs` after the loss (`bytes` fetched: the snapshot of `snapshotTxns` txns and
 *   `logTxns` shipped txns to replay); each server's start then loads them (stepDone loadDataBase).
 * - `restoreDone`: writes are accepted again, `rtoUs` after the loss (the RTO).
 */
export type BackupEvent =
  | {
      readonly type: 'dataLost';
      readonly atUs: number;
      readonly lastSnapshotUs: number | null;
      readonly lastShippedUs: number | null;
      readonly restorableZxid: Zxid;
      readonly committedLost: number;
      readonly ackedLost: number;
      readonly firstLostAckUs: number | null;
      readonly lastLostAckUs: number | null;
    }
  | {
      readonly type: 'restoreStarted';
      readonly atUs: number;
      readonly lossUs: number;
      readonly detectUs: number;
      readonly decideUs: number;
      readonly fetchUs: number;
      readonly bytes: number;
      readonly snapshotTxns: number;
      readonly logTxns: number;
      readonly restoredZxid: Zxid;
      /** servers whose host is down at the restore: each starts from the backup when its host returns */
      readonly awaitingHosts: readonly ServerId[];
    }
  | { readonly type: 'restoreDone'; readonly atUs: number; readonly lossUs: number; readonly rtoUs: number };
